package dev.heft.web.chart;

import java.util.Locale;

/**
 * A small SVG writer that escapes every piece of text it is given. Shapes carry only class names: colours, strokes
 * and fonts come from the page's stylesheet, so a chart follows light and dark mode.
 */
final class Svg {
    private final StringBuilder out = new StringBuilder();

    Svg(double w, double h, String label) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(fmt(w))
                .append(' ')
                .append(fmt(h))
                .append("\" width=\"")
                .append(fmt(w))
                .append("\" height=\"")
                .append(fmt(h))
                .append("\" role=\"img\" aria-label=\"")
                .append(escape(label))
                .append("\"><title>")
                .append(escape(label))
                .append("</title>");
    }

    Svg rect(double x, double y, double w, double h, String cls) {
        return rect(x, y, w, h, cls, null);
    }

    /** A rectangle; {@code tooltip}, when given, is its {@code <title>} (the full name and value on hover). */
    Svg rect(double x, double y, double w, double h, String cls, String tooltip) {
        out.append("<rect x=\"")
                .append(fmt(x))
                .append("\" y=\"")
                .append(fmt(y))
                .append("\" width=\"")
                .append(fmt(Math.max(0, w)))
                .append("\" height=\"")
                .append(fmt(Math.max(0, h)))
                .append("\" class=\"")
                .append(cls)
                .append('"');
        if (tooltip == null) {
            out.append("/>");
        } else {
            out.append("><title>").append(escape(tooltip)).append("</title></rect>");
        }
        return this;
    }

    Svg line(double x1, double x2, double y1, double y2, String cls) {
        out.append("<line x1=\"")
                .append(fmt(x1))
                .append("\" x2=\"")
                .append(fmt(x2))
                .append("\" y1=\"")
                .append(fmt(y1))
                .append("\" y2=\"")
                .append(fmt(y2))
                .append("\" class=\"")
                .append(cls)
                .append("\"/>");
        return this;
    }

    Svg circle(double x, double y, double r, String cls) {
        out.append("<circle cx=\"")
                .append(fmt(x))
                .append("\" cy=\"")
                .append(fmt(y))
                .append("\" r=\"")
                .append(fmt(r))
                .append("\" class=\"")
                .append(cls)
                .append("\"/>");
        return this;
    }

    Svg path(String d, String cls) {
        out.append("<path d=\"").append(d).append("\" class=\"").append(cls).append("\" fill=\"none\"/>");
        return this;
    }

    /**
     * A label whose {@code y} is its baseline. {@code full}, when the label was shortened to fit, becomes its
     * {@code <title>}.
     */
    Svg text(double x, double y, String anchor, String cls, String text, String full) {
        out.append("<text x=\"")
                .append(fmt(x))
                .append("\" y=\"")
                .append(fmt(y))
                .append("\" text-anchor=\"")
                .append(anchor)
                .append('"');
        if (!cls.isEmpty()) {
            out.append(" class=\"").append(cls).append('"');
        }
        out.append('>');
        if (full != null && !full.equals(text)) {
            out.append("<title>").append(escape(full)).append("</title>");
        }
        out.append(escape(text)).append("</text>");
        return this;
    }

    Svg text(double x, double y, String anchor, String cls, String text) {
        return text(x, y, anchor, cls, text, null);
    }

    String close() {
        return out.append("</svg>").toString();
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    private static String escape(String s) {
        StringBuilder e = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> e.append("&lt;");
                case '>' -> e.append("&gt;");
                case '&' -> e.append("&amp;");
                case '"' -> e.append("&quot;");
                case '\'' -> e.append("&#39;");
                default -> e.append(c < 0x20 ? ' ' : c);
            }
        }
        return e.toString();
    }
}
