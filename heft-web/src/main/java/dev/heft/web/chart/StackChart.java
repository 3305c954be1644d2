package dev.heft.web.chart;

import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.web.chart.SvgCharts.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One stacked bar of memory parts against a capacity (a device's usable memory): the parts in order, the capacity as a
 * dashed line, optionally a marker (training's peak, which is less than the sum of the parts because gradients grow as
 * activations are freed), a byte axis with ticks and grid lines, and a legend of the parts with their sizes. The
 * capacity and marker labels sit above the bar, the total below it, each on the first free lane, so none of them
 * covers the bar or another label, whether the stack is under or over the capacity.
 *
 * <p>Spec: {@code parts} ([name, bytes]), {@code capacity}, {@code capacity_label}, {@code marker},
 * {@code marker_label}, {@code total_label}, {@code label}, {@code width}.
 */
final class StackChart {
    private static final double LANE = 16;
    private static final double BAR = 30;

    private StackChart() {}

    static String render(JsonObject spec) {
        List<Row> parts = SvgCharts.rows(spec, "parts");
        if (parts.size() > SvgCharts.MAX_SERIES) {
            throw new dev.heft.core.error.InvalidInputException(
                    "chart: a stack has at most " + SvgCharts.MAX_SERIES + " parts");
        }
        Quantity q = SvgCharts.unit(spec, "unit", "bytes");
        double width = SvgCharts.width(spec);
        Optional<Double> capacity = SvgCharts.optional(spec, "capacity").filter(c -> c > 0);
        Optional<Double> marker = SvgCharts.optional(spec, "marker").filter(c -> c > 0);
        double total = parts.stream().mapToDouble(Row::value).sum();
        double max = Math.max(Math.max(total, capacity.orElse(0.0)), marker.orElse(0.0));

        double x0 = 4;
        double x1 = width - 4;
        List<Quantity.Tick> ticks = SvgCharts.ticks(q, max, x1 - x0);
        double top = ticks.getLast().value();
        double span = x1 - x0;

        Lanes above = new Lanes(0, width);
        String capacityLabel = spec.getString("capacity_label", "usable");
        String markerLabel = spec.getString("marker_label", "peak");
        Lanes.Placed cap = capacity.map(
                        c -> above.place(x0 + span * c / top, c / top > 0.5, capacityLabel + " " + q.format(c), true))
                .orElse(null);
        Lanes.Placed mark = marker.map(
                        m -> above.place(x0 + span * m / top, m / top > 0.5, markerLabel + " " + q.format(m), true))
                .orElse(null);
        double barY = above.count() * LANE + 6;
        Lanes below = new Lanes(0, width);
        Lanes.Placed totalAt = below.place(
                x0 + span * total / top,
                total / top > 0.5,
                spec.getString("total_label", "total") + " " + q.format(total),
                true);
        double axisY = barY + BAR + below.count() * LANE + 4;

        List<Legend.Entry> legend = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).value() > 0) {
                legend.add(new Legend.Entry(
                        SvgCharts.series(i),
                        parts.get(i).name() + " " + q.format(parts.get(i).value()),
                        false));
            }
        }
        double legendY = axisY + 22;
        double height = legendY + Legend.height(legend, width - 8) + 4;
        Svg s = new Svg(width, height, spec.getString("label", "memory stack against the device's usable memory"));

        for (Quantity.Tick t : ticks) {
            double x = x0 + span * t.value() / top;
            s.line(x, x, barY - 4, axisY, t.value() == 0 ? "axis" : "grid");
            double w = TextWidth.of(t.label());
            s.text(Math.min(Math.max(x, w / 2), width - w / 2), axisY + 14, "middle", "tick", t.label());
        }
        double x = x0;
        for (int i = 0; i < parts.size(); i++) {
            Row p = parts.get(i);
            double w = span * p.value() / top;
            if (w > 0) {
                s.rect(x, barY, w, BAR, "bar seg " + SvgCharts.series(i), p.name() + ": " + q.format(p.value()));
            }
            x += w;
        }
        if (cap != null) {
            double cx = x0 + span * capacity.get() / top;
            s.line(cx, cx, barY - 5, barY + BAR + 5, "limit");
            s.text(cap.x(), (cap.lane() + 1) * LANE - 4, "start", "limit-label", cap.text());
        }
        if (mark != null) {
            double mx = x0 + span * marker.get() / top;
            s.line(mx, mx, barY - 5, barY + BAR + 5, "mark");
            s.text(mark.x(), (mark.lane() + 1) * LANE - 4, "start", "mark-label", mark.text());
        }
        s.text(totalAt.x(), barY + BAR + (totalAt.lane() + 1) * LANE - 2, "start", "total", totalAt.text());
        Legend.draw(s, legend, 4, legendY, width - 8);
        return s.close();
    }
}
