package dev.heft.web.chart;

import dev.heft.web.chart.SvgCharts.Row;
import java.util.List;
import java.util.Optional;

/**
 * Horizontal bars, one per row: parameters by layer kind, or memory per precision against a device. Names sit in a
 * column on the left (shortened with an ellipsis, the full name as a tooltip, when the column cannot hold them), values
 * at the bars' ends, a value axis with ticks and grid lines below, and optionally a capacity line (a device's usable
 * memory) that bars in state {@code over} cross.
 *
 * <p>Spec: {@code rows} ([name, value] or [name, value, state]), {@code unit}, {@code label}, {@code width},
 * {@code capacity} and {@code capacity_label}.
 */
final class BarChart {
    private static final double ROW = 22;
    private static final double BAR = 14;
    private static final double LANE = 16;

    private BarChart() {}

    static String render(dev.heft.core.json.JsonValue.JsonObject spec) {
        List<Row> rows = SvgCharts.rows(spec, "rows");
        Quantity q = SvgCharts.unit(spec, "unit", "count");
        double width = SvgCharts.width(spec);
        Optional<Double> capacity = SvgCharts.optional(spec, "capacity").filter(c -> c > 0);
        String capacityLabel = spec.getString("capacity_label", "");

        double nameWidth = Math.min(
                rows.stream()
                        .mapToDouble(r -> TextWidth.of(r.name(), chosen(r)))
                        .max()
                        .orElse(0),
                width * 0.38);
        double valueWidth = rows.stream()
                .mapToDouble(r -> TextWidth.of(q.format(r.value())))
                .max()
                .orElse(0);
        double max = Math.max(rows.stream().mapToDouble(Row::value).max().orElse(0), capacity.orElse(0.0));
        double x0 = nameWidth + 10;
        // Room on the right for a value label past the longest bar, and for half the last tick label.
        double x1 = width - Math.max(valueWidth + 10, 30);
        List<Quantity.Tick> ticks = SvgCharts.ticks(q, max, x1 - x0);
        double top = ticks.getLast().value();
        x1 = Math.max(x1, x0 + 40);
        double span = x1 - x0;

        Lanes lanes = new Lanes(0, width);
        Lanes.Placed cap = capacity.map(c -> lanes.place(
                        x0 + span * c / top,
                        c / top > 0.5,
                        capacityLabel.isEmpty() ? q.format(c) : capacityLabel + " " + q.format(c),
                        true))
                .orElse(null);
        double y0 = lanes.count() * LANE + 4;
        double height = y0 + rows.size() * ROW + 26;
        Svg s = new Svg(width, height, spec.getString("label", "bar chart"));

        double axisY = y0 + rows.size() * ROW + 2;
        for (Quantity.Tick t : ticks) {
            double x = x0 + span * t.value() / top;
            s.line(x, x, y0, axisY, t.value() == 0 ? "axis" : "grid");
            s.text(
                    Math.min(Math.max(x, TextWidth.of(t.label()) / 2), width - TextWidth.of(t.label()) / 2),
                    axisY + 15,
                    "middle",
                    "tick",
                    t.label());
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double y = y0 + i * ROW + (ROW - BAR) / 2;
            double w = span * r.value() / top;
            String name = TextWidth.fit(r.name(), nameWidth, chosen(r));
            s.text(x0 - 8, y + BAR - 3, "end", chosen(r) ? "name chosen" : "name", name, r.name());
            String cls =
                    "bar " + (r.state().contains("over") ? "over" : SvgCharts.series(0)) + (chosen(r) ? " chosen" : "");
            s.rect(x0, y, Math.max(w, r.value() > 0 ? 1 : 0), BAR, cls, r.name() + ": " + q.format(r.value()));
            s.text(x0 + w + 5, y + BAR - 3, "start", "value", q.format(r.value()));
        }
        if (cap != null) {
            double cx = x0 + span * capacity.get() / top;
            s.line(cx, cx, y0 - 4, axisY, "limit");
            s.text(cap.x(), (cap.lane() + 1) * LANE - 4, "start", "limit-label", cap.text(), capacityLabel);
        }
        return s.close();
    }

    /** The chosen row's name is drawn bold (app.css {@code .name.chosen}). */
    private static boolean chosen(Row r) {
        return r.state().contains("chosen");
    }
}
