package dev.heft.web.chart;

/**
 * How wide a label will be in the page's chart font, so that the server can lay charts out without a browser: labels
 * are placed, truncated and kept apart from these widths.
 *
 * <p>The advance widths are those of DejaVu Sans and Liberation Sans (what {@code system-ui, sans-serif} resolves to on
 * Debian and most Linux desktops), measured at 12 px with canvas {@code measureText} in Chromium 156, the wider of the
 * two per character, in ems; bold labels (the stylesheet's limit, mark, total and title labels, weights 600 to 700)
 * have their own table, the widest of DejaVu Sans Bold, DejaVu Sans at 600 and Liberation Sans Bold. Other platforms'
 * UI fonts (Segoe UI, San Francisco, Roboto) are narrower, so a layout made with these widths leaves room to spare
 * there. Characters outside printable ASCII count as one em.
 */
final class TextWidth {
    /** The chart font size in CSS pixels (app.css sets {@code .chart text} to this). */
    static final double FONT_PX = 12;

    /** Ems per character, ' ' (0x20) to '~' (0x7e). */
    private static final double[] ASCII = {
        0.318, 0.401, 0.460, 0.838, 0.636, 0.950, 0.780, 0.275, 0.390, 0.390, 0.500, 0.838, 0.318, 0.361, 0.318, 0.337,
        0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.556,
        1.015, 0.684, 0.686, 0.722, 0.770, 0.667, 0.611, 0.778, 0.752, 0.295, 0.500, 0.667, 0.557, 0.863, 0.748, 0.787,
        0.667, 0.787, 0.722, 0.667, 0.611, 0.732, 0.684, 0.989, 0.685, 0.667, 0.685, 0.390, 0.337, 0.390, 0.838, 0.556,
        0.500, 0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612,
        0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
    };

    /** The same for bold labels. */
    private static final double[] ASCII_BOLD = {
        0.348, 0.456, 0.521, 0.838, 0.696, 1.002, 0.872, 0.306, 0.457, 0.457, 0.523, 0.838, 0.380, 0.415, 0.380, 0.365,
        0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.400, 0.400, 0.838, 0.838, 0.838, 0.611,
        1.000, 0.774, 0.762, 0.734, 0.830, 0.683, 0.683, 0.821, 0.837, 0.372, 0.556, 0.775, 0.637, 0.995, 0.837, 0.850,
        0.733, 0.850, 0.770, 0.720, 0.682, 0.812, 0.774, 1.103, 0.771, 0.724, 0.725, 0.457, 0.365, 0.457, 0.838, 0.556,
        0.500, 0.675, 0.716, 0.593, 0.716, 0.678, 0.435, 0.716, 0.712, 0.343, 0.343, 0.665, 0.343, 1.042, 0.712, 0.687,
        0.716, 0.716, 0.493, 0.595, 0.478, 0.712, 0.652, 0.924, 0.645, 0.652, 0.582, 0.712, 0.365, 0.712, 0.838,
    };

    private TextWidth() {}

    /** The width of {@code s} in pixels at {@link #FONT_PX}. */
    static double of(String s) {
        return of(s, false);
    }

    /** The width of {@code s} in pixels at {@link #FONT_PX}, in the bold weight when {@code bold}. */
    static double of(String s, boolean bold) {
        double em = 0;
        for (int i = 0; i < s.length(); i++) {
            em += ems(s.charAt(i), bold);
        }
        return em * FONT_PX;
    }

    private static double ems(char c, boolean bold) {
        return c >= 0x20 && c <= 0x7e ? (bold ? ASCII_BOLD : ASCII)[c - 0x20] : 1.0;
    }

    static String fit(String s, double max) {
        return fit(s, max, false);
    }

    /** {@code s}, or its longest prefix that fits in {@code max} pixels with an ellipsis after it. */
    static String fit(String s, double max, boolean bold) {
        if (of(s, bold) <= max) {
            return s;
        }
        double room = max - FONT_PX; // the ellipsis, counted as one em
        double w = 0;
        int n = 0;
        while (n < s.length() && w + ems(s.charAt(n), bold) * FONT_PX <= room) {
            w += ems(s.charAt(n), bold) * FONT_PX;
            n++;
        }
        return s.substring(0, n).stripTrailing() + "\u2026";
    }
}
