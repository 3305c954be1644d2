/**
 * The page's server-rendered SVG charts ({@code POST /api/chart}): {@link dev.heft.web.chart.SvgCharts} reads a chart
 * spec and hands it to one class per chart type (bars, grouped bars, a stack against a capacity, lines), which lay
 * the chart out for the page's width with axes, ticks, legends and labels that never leave the chart or overlap
 * ({@code TextWidth}: label widths in the page's font; {@code Lanes}: label placement; {@code Legend}: wrapping).
 */
package dev.heft.web.chart;
