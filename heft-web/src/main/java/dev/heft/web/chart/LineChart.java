package dev.heft.web.chart;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lines over a shared x axis (context length): a title, a legend that wraps, y and x axes with ticks and grid lines,
 * optionally a horizontal limit (a device's usable memory, labelled at its right end) and a vertical mark at the chosen
 * x (labelled above the plot) with a dot where each line crosses it.
 *
 * <p>Spec: {@code xs}, {@code series} ([{name, ys, cls}]: {@code cls} 1..8 picks the colour), {@code unit} (y),
 * {@code x_unit} (default tokens), {@code title}, {@code width}, {@code limit}, {@code limit_label}, {@code mark_x},
 * {@code mark_label}.
 */
final class LineChart {
    private static final double PLOT_HEIGHT = 190;

    private LineChart() {}

    static String render(JsonObject spec) {
        double[] xs = SvgCharts.numbers(spec.getArray("xs").orElseThrow(() -> SvgCharts.missing("xs")));
        JsonArray series = spec.getArray("series").orElseThrow(() -> SvgCharts.missing("series"));
        if (xs.length == 0 || series.size() == 0 || series.size() > SvgCharts.MAX_SERIES) {
            throw new InvalidInputException("chart: a line chart needs 1.." + SvgCharts.MAX_POINTS + " x values and 1.."
                    + SvgCharts.MAX_SERIES + " series");
        }
        Quantity qy = SvgCharts.unit(spec, "unit", "count");
        Quantity qx = SvgCharts.unit(spec, "x_unit", "tokens");
        double width = SvgCharts.width(spec);
        String title = spec.getString("title", "");
        Optional<Double> limit = SvgCharts.optional(spec, "limit").filter(v -> v > 0);
        Optional<Double> markX = SvgCharts.optional(spec, "mark_x");

        List<double[]> ys = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<Legend.Entry> legend = new ArrayList<>();
        double maxY = limit.orElse(0.0);
        for (int i = 0; i < series.size(); i++) {
            JsonObject se = series.get(i).asObject("series");
            double[] y = SvgCharts.numbers(se.getArray("ys").orElseThrow(() -> SvgCharts.missing("series[].ys")));
            if (y.length != xs.length) {
                throw new InvalidInputException("chart: every series needs one y per x");
            }
            long c = se.getLong("cls", i + 1);
            if (c < 1 || c > SvgCharts.MAX_SERIES) {
                throw new InvalidInputException("chart: a series' cls is 1.." + SvgCharts.MAX_SERIES);
            }
            classes.add("s" + c + (se.getBoolean("dashed", false) ? " dashed" : ""));
            legend.add(new Legend.Entry(classes.getLast(), se.getString("name", ""), true));
            ys.add(y);
            for (double d : y) {
                maxY = Math.max(maxY, d);
            }
        }
        double maxX = 0;
        for (double d : xs) {
            maxX = Math.max(maxX, d);
        }
        maxX = Math.max(maxX, markX.orElse(0.0));

        // About five rows of grid: labels 30+ px apart, far more than a line of text needs.
        List<Quantity.Tick> yTicks = qy.ticks(maxY, 5);
        double topY = yTicks.getLast().value();
        double left =
                yTicks.stream().mapToDouble(t -> TextWidth.of(t.label())).max().orElse(0) + 10;
        double right = width - 12;
        List<Quantity.Tick> xTicks = SvgCharts.ticks(qx, maxX, right - left);
        double topX = xTicks.getLast().value();
        double titleH = title.isEmpty() ? 0 : 18;
        double legendH = Legend.height(legend, width - 8);
        Lanes marks = new Lanes(0, width);
        double plotX0 = left;
        double plotW = right - left;
        Lanes.Placed markAt = markX.map(m -> marks.place(
                        plotX0 + plotW * m / topX, m / topX > 0.5, spec.getString("mark_label", qx.format(m)), true))
                .orElse(null);
        double plotTop = titleH + legendH + 6 + marks.count() * 16 + 4;
        double plotBottom = plotTop + PLOT_HEIGHT;
        String xTitle = spec.getString("x_title", qx == Quantity.TOKENS ? "context (tokens)" : "");
        double height = plotBottom + 18 + (xTitle.isEmpty() ? 0 : 16) + 4;

        Svg s = new Svg(width, height, title.isEmpty() ? "line chart" : title);
        if (!title.isEmpty()) {
            s.text(4, 13, "start", "title", TextWidth.fit(title, width - 8, true), title);
        }
        Legend.draw(s, legend, 4, titleH + 2, width - 8);
        for (Quantity.Tick t : yTicks) {
            double y = plotBottom - PLOT_HEIGHT * t.value() / topY;
            s.line(left, right, y, y, t.value() == 0 ? "axis" : "grid");
            s.text(left - 6, y + 4, "end", "tick", t.label());
        }
        for (Quantity.Tick t : xTicks) {
            double x = left + plotW * t.value() / topX;
            s.line(x, x, plotTop, plotBottom, t.value() == 0 ? "axis" : "grid");
            double w = TextWidth.of(t.label());
            s.text(Math.min(Math.max(x, w / 2), width - w / 2), plotBottom + 15, "middle", "tick", t.label());
        }
        if (!xTitle.isEmpty()) {
            s.text(right, plotBottom + 31, "end", "axis-title", TextWidth.fit(xTitle, width - 8), xTitle);
        }
        if (limit.isPresent()) {
            double y = plotBottom - PLOT_HEIGHT * limit.get() / topY;
            s.line(left, right, y, y, "limit");
            String label = TextWidth.fit(
                    spec.getString("limit_label", "limit") + " " + qy.format(limit.get()), plotW - 8, true);
            // Above the line, inside the plot; below it when the line runs along the plot's top.
            double ly = y - 5 >= plotTop + 12 ? y - 5 : y + 14;
            s.text(right - 4, ly, "end", "limit-label", label);
        }
        for (int i = 0; i < ys.size(); i++) {
            StringBuilder d = new StringBuilder();
            for (int k = 0; k < xs.length; k++) {
                double px = left + plotW * xs[k] / topX;
                double py = plotBottom - PLOT_HEIGHT * ys.get(i)[k] / topY;
                d.append(k == 0 ? "M" : " L").append(Svg.fmt(px)).append(' ').append(Svg.fmt(py));
            }
            s.path(d.toString(), "line " + classes.get(i));
        }
        if (markAt != null) {
            double mx = left + plotW * markX.get() / topX;
            s.line(mx, mx, plotTop - 4, plotBottom, "mark");
            s.text(
                    markAt.x(),
                    titleH + legendH + 6 + (markAt.lane() + 1) * 16 - 2,
                    "start",
                    "mark-label",
                    markAt.text());
            for (int i = 0; i < ys.size(); i++) {
                Optional<Double> y = at(xs, ys.get(i), markX.get());
                if (y.isPresent()) {
                    s.circle(mx, plotBottom - PLOT_HEIGHT * y.get() / topY, 3.5, "dot " + classes.get(i));
                }
            }
        }
        return s.close();
    }

    /** The series' value at {@code x}, interpolated between its neighbours; empty outside the xs. */
    private static Optional<Double> at(double[] xs, double[] ys, double x) {
        for (int k = 0; k < xs.length; k++) {
            if (xs[k] == x) {
                return Optional.of(ys[k]);
            }
            if (k > 0 && xs[k - 1] < x && x < xs[k]) {
                double f = (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
                return Optional.of(ys[k - 1] + f * (ys[k] - ys[k - 1]));
            }
        }
        return Optional.empty();
    }
}
