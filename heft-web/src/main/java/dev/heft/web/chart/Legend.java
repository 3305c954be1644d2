package dev.heft.web.chart;

import java.util.List;

/**
 * A legend that flows its entries (a swatch and a label) left to right and wraps to a new row where the next entry
 * would not fit, so it never runs past the chart's edge at any width.
 */
final class Legend {
    static final double ROW = 18;
    private static final double SWATCH = 12;
    private static final double GAP = 16;

    /** One entry: the series' style class, and whether the swatch is a line (line charts) or a box. */
    record Entry(String cls, String text, boolean line) {}

    private Legend() {}

    /** The height the entries take at this width. */
    static double height(List<Entry> entries, double width) {
        return draw(null, entries, 0, 0, width);
    }

    /** Draws the entries from ({@code x}, {@code y}) (the top of the first row); returns the height used. */
    static double draw(Svg svg, List<Entry> entries, double x, double y, double width) {
        if (entries.isEmpty()) {
            return 0;
        }
        double cx = x;
        int rows = 1;
        for (Entry e : entries) {
            String text = TextWidth.fit(e.text(), width - SWATCH - 6);
            double w = SWATCH + 6 + TextWidth.of(text);
            if (cx > x && cx + w > x + width) {
                cx = x;
                rows++;
            }
            double top = y + (rows - 1) * ROW;
            if (svg != null) {
                if (e.line()) {
                    svg.line(cx, cx + SWATCH, top + 7, top + 7, "line " + e.cls());
                } else {
                    svg.rect(cx, top + 1, SWATCH, SWATCH, e.cls());
                }
                svg.text(cx + SWATCH + 5, top + 11.5, "start", "legend", text, e.text());
            }
            cx += w + GAP;
        }
        return rows * ROW;
    }
}
