package dev.heft.web.chart;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Models side by side: one group of horizontal bars per category (a layer kind), one bar per model in each group, one
 * colour per model throughout, named once in a legend above. Category names sit in a column on the left, values at the
 * bars' ends, a value axis with ticks and grid lines below.
 *
 * <p>Spec: {@code categories} (names), {@code series} ([{name, values}], one value per category), {@code unit},
 * {@code label}, {@code width}.
 */
final class GroupedBarChart {
    private static final double BAR = 14;
    private static final double BAR_GAP = 3;
    private static final double GROUP_GAP = 12;

    private GroupedBarChart() {}

    static String render(JsonObject spec) {
        List<String> categories =
                SvgCharts.strings(spec.getArray("categories").orElseThrow(() -> SvgCharts.missing("categories")));
        JsonArray series = spec.getArray("series").orElseThrow(() -> SvgCharts.missing("series"));
        if (categories.isEmpty() || series.size() == 0 || series.size() > SvgCharts.MAX_SERIES) {
            throw new InvalidInputException(
                    "chart: grouped bars need categories and 1.." + SvgCharts.MAX_SERIES + " series");
        }
        Quantity q = SvgCharts.unit(spec, "unit", "count");
        double width = SvgCharts.width(spec);
        List<String> names = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        double max = 0;
        double valueWidth = 0;
        for (int i = 0; i < series.size(); i++) {
            JsonObject se = series.get(i).asObject("series");
            double[] v =
                    SvgCharts.numbers(se.getArray("values").orElseThrow(() -> SvgCharts.missing("series[].values")));
            if (v.length != categories.size()) {
                throw new InvalidInputException("chart: every series needs one value per category");
            }
            names.add(se.getString("name", "series " + (i + 1)));
            values.add(v);
            for (double d : v) {
                max = Math.max(max, d);
                valueWidth = Math.max(valueWidth, TextWidth.of(q.format(d)));
            }
        }
        List<Legend.Entry> legend = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            legend.add(new Legend.Entry(SvgCharts.series(i), names.get(i), false));
        }
        double legendH = Legend.height(legend, width - 8);
        double nameWidth =
                Math.min(categories.stream().mapToDouble(TextWidth::of).max().orElse(0), width * 0.3);
        double x0 = nameWidth + 10;
        double x1 = width - Math.max(valueWidth + 10, 30);
        List<Quantity.Tick> ticks = SvgCharts.ticks(q, max, x1 - x0);
        double top = ticks.getLast().value();
        double span = x1 - x0;
        double group = series.size() * (BAR + BAR_GAP) - BAR_GAP;
        double y0 = legendH + 10;
        double axisY = y0 + categories.size() * (group + GROUP_GAP);
        double height = axisY + 22;

        Svg s = new Svg(width, height, spec.getString("label", "grouped bar chart"));
        Legend.draw(s, legend, 4, 2, width - 8);
        for (Quantity.Tick t : ticks) {
            double x = x0 + span * t.value() / top;
            s.line(x, x, y0 - 4, axisY, t.value() == 0 ? "axis" : "grid");
            double w = TextWidth.of(t.label());
            s.text(Math.min(Math.max(x, w / 2), width - w / 2), axisY + 15, "middle", "tick", t.label());
        }
        for (int c = 0; c < categories.size(); c++) {
            double gy = y0 + c * (group + GROUP_GAP);
            String cat = categories.get(c);
            s.text(x0 - 8, gy + group / 2 + 4, "end", "name", TextWidth.fit(cat, nameWidth), cat);
            for (int i = 0; i < names.size(); i++) {
                double v = values.get(i)[c];
                double y = gy + i * (BAR + BAR_GAP);
                double w = span * v / top;
                s.rect(
                        x0,
                        y,
                        Math.max(w, v > 0 ? 1 : 0),
                        BAR,
                        "bar " + SvgCharts.series(i),
                        cat + ", " + names.get(i) + ": " + q.format(v));
                s.text(x0 + w + 5, y + BAR - 2.5, "start", "value", q.format(v));
            }
        }
        return s.close();
    }
}
