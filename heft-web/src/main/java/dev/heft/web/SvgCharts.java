package dev.heft.web;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Server-rendered SVG charts for the page: a bar chart (parameters by layer kind), a stacked bar against a capacity
 * (the memory parts against a device's usable memory) and line charts (how memory and attention FLOPs scale with
 * context). The page posts the numbers it got from the JSON API and inserts the returned SVG, so the geometry, the
 * units ({@link Units}: "5.64 B", "4.58 GiB") and the text escaping live here, in one place. Colours come from the
 * page's stylesheet through the {@code s1..s6}, {@code muted}, {@code axis}, {@code limit} and {@code line} classes,
 * so the charts follow light and dark mode.
 */
final class SvgCharts {
    /** Enough for every chart the page draws; a spec beyond this is refused rather than rendered. */
    static final int MAX_POINTS = 256;

    private SvgCharts() {
    }

    /** Renders a chart spec: {@code {"type": "bar"|"stack"|"lines", ...}}. */
    static String render(JsonObject spec) {
        String type = spec.getString("type", "");
        return switch (type) {
            case "bar" -> bar(spec);
            case "stack" -> stack(spec);
            case "lines" -> lines(spec);
            default -> throw new InvalidInputException("chart type must be bar, stack or lines, got '" + type + "'");
        };
    }

    private static String bar(JsonObject spec) {
        List<Row> rows = rows(spec.getArray("rows").orElseThrow(() -> missing("rows")));
        String unit = spec.getString("unit", "count");
        double max = Math.max(1, rows.stream().mapToDouble(Row::value).max().orElse(1));
        int w = 760;
        int left = 140;
        int right = 130;
        int h = 24 * rows.size() + 10;
        Svg s = new Svg(w, h, spec.getString("label", "bar chart"));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int y = 5 + i * 24;
            double bw = Math.max(1, (w - left - right) * r.value / max);
            s.text(left - 8, y + 15, "end", "", r.name);
            s.rect(left, y + 3, bw, 16, "s" + (1 + i % 6));
            s.text(left + bw + 6, y + 15, "start", "muted", format(unit, r.value));
        }
        return s.close();
    }

    private static String stack(JsonObject spec) {
        List<Row> parts = rows(spec.getArray("parts").orElseThrow(() -> missing("parts")));
        double capacity = spec.getDouble("capacity", 0);
        String capacityLabel = spec.getString("capacity_label", "");
        double total = parts.stream().mapToDouble(Row::value).sum();
        double max = Math.max(Math.max(total, capacity), 1);
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).value > 0) {
                shown.add(i);
            }
        }
        int w = 1000;
        int left = 10;
        int width = w - 20;
        int perRow = 4;
        int h = 78 + 20 * Math.max(1, (shown.size() + perRow - 1) / perRow);
        Svg s = new Svg(w, h, spec.getString("label", "memory stack against the device's usable memory"));
        double x = left;
        for (int i = 0; i < parts.size(); i++) {
            double pw = width * parts.get(i).value / max;
            s.rect(x, 22, Math.max(0, pw), 34, "s" + (1 + i % 6));
            x += pw;
        }
        s.text(Math.min(x + 6, w - 10), 44, x > w - 200 ? "end" : "start", "", "total " + Units.bytes((long) total));
        if (capacity > 0) {
            double cx = left + width * capacity / max;
            s.line(cx, cx, 14, 64, "limit");
            s.text(cx, 11, cx > w / 2.0 ? "end" : "start", "muted", capacityLabel + " "
                    + Units.bytes((long) capacity));
        }
        for (int k = 0; k < shown.size(); k++) {
            int i = shown.get(k);
            double lx = left + (k % perRow) * (width / (double) perRow);
            double ly = 76 + 20 * (k / perRow);
            s.rect(lx, ly, 12, 12, "s" + (1 + i % 6));
            s.text(lx + 16, ly + 11, "start", "", parts.get(i).name + " " + Units.bytes((long) parts.get(i).value));
        }
        return s.close();
    }

    private static String lines(JsonObject spec) {
        double[] xs = numbers(spec.getArray("xs").orElseThrow(() -> missing("xs")));
        JsonArray series = spec.getArray("series").orElseThrow(() -> missing("series"));
        if (xs.length == 0 || series.size() == 0 || series.size() > 6) {
            throw new InvalidInputException("chart: a line chart needs 1..256 x values and 1..6 series");
        }
        String unit = spec.getString("unit", "count");
        String title = spec.getString("title", "");
        int w = 370;
        int h = 240;
        int l = 70;
        int r = 10;
        int t = 24 + 14 * series.size();
        int b = 34;
        double maxY = 1;
        List<double[]> ys = new ArrayList<>();
        for (JsonValue v : series.elements()) {
            double[] y = numbers(v.asObject("series").getArray("ys").orElseThrow(() -> missing("series[].ys")));
            if (y.length != xs.length) {
                throw new InvalidInputException("chart: every series needs one y per x");
            }
            ys.add(y);
            for (double d : y) {
                maxY = Math.max(maxY, d);
            }
        }
        double maxX = 1;
        for (double d : xs) {
            maxX = Math.max(maxX, d);
        }
        Svg s = new Svg(w, h, title);
        s.text(l, 14, "start", "", title);
        s.line(l, w - r, h - b, h - b, "axis");
        s.line(l, l, t, h - b, "axis");
        s.text(l - 4, t + 4, "end", "muted", format(unit, maxY));
        s.text(l - 4, h - b, "end", "muted", "0");
        s.text(w - r, h - 8, "end", "muted", Units.exact((long) maxX) + " tokens");
        for (int i = 0; i < ys.size(); i++) {
            JsonObject se = series.get(i).asObject("series");
            String cls = "s" + se.getLong("cls", i + 1);
            StringBuilder d = new StringBuilder();
            for (int k = 0; k < xs.length; k++) {
                double px = l + (w - l - r) * xs[k] / maxX;
                double py = h - b - (h - t - b) * ys.get(i)[k] / maxY;
                d.append(k == 0 ? "M" : " L").append(fmt(px)).append(' ').append(fmt(py));
            }
            s.path(d.toString(), "line " + cls);
            s.text(l + 8, 30 + 14 * i, "start", cls, se.getString("name", ""));
        }
        return s.close();
    }

    private record Row(String name, double value) {
    }

    private static List<Row> rows(JsonArray a) {
        if (a.size() > MAX_POINTS) {
            throw new InvalidInputException("chart: at most " + MAX_POINTS + " rows");
        }
        List<Row> out = new ArrayList<>();
        for (JsonValue v : a.elements()) {
            if (!(v instanceof JsonArray pair) || pair.size() != 2 || !(pair.get(0) instanceof JsonValue.JsonString n)
                    || !(pair.get(1) instanceof JsonValue.JsonNumber x)) {
                throw new InvalidInputException("chart: rows are [name, number] pairs");
            }
            out.add(new Row(n.value(), Math.max(0, x.value().doubleValue())));
        }
        return out;
    }

    private static double[] numbers(JsonArray a) {
        if (a.size() > MAX_POINTS) {
            throw new InvalidInputException("chart: at most " + MAX_POINTS + " points");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(a.get(i) instanceof JsonValue.JsonNumber n)) {
                throw new InvalidInputException("chart: expected numbers");
            }
            out[i] = Math.max(0, n.value().doubleValue());
        }
        return out;
    }

    private static InvalidInputException missing(String key) {
        return new InvalidInputException("chart: '" + key + "' is required");
    }

    /** Units that read well: counts as 5.64 B, bytes as 4.58 GiB, FLOPs as 5.18 TFLOP. */
    static String format(String unit, double v) {
        return switch (unit) {
            case "bytes" -> Units.bytes((long) v);
            case "flops" -> flops(v);
            default -> Units.count((long) v);
        };
    }

    private static String flops(double v) {
        String[] suffix = {"", " K", " M", " G", " T", " P", " E"};
        int i = 0;
        while (v >= 1000 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f%sFLOP" : "%.2f%sFLOP", v, suffix[i]);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** A small SVG writer that escapes every piece of text it is given. */
    private static final class Svg {
        private final StringBuilder out = new StringBuilder();

        Svg(int w, int h, String label) {
            out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                    .append("\" width=\"").append(w).append("\" height=\"").append(h).append("\" role=\"img\" ")
                    .append("aria-label=\"").append(escape(label)).append("\">");
        }

        void rect(double x, double y, double w, double h, String cls) {
            out.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"")
                    .append(fmt(w)).append("\" height=\"").append(fmt(h)).append("\" class=\"").append(cls)
                    .append("\"/>");
        }

        void line(double x1, double x2, double y1, double y2, String cls) {
            out.append("<line x1=\"").append(fmt(x1)).append("\" x2=\"").append(fmt(x2)).append("\" y1=\"")
                    .append(fmt(y1)).append("\" y2=\"").append(fmt(y2)).append("\" class=\"").append(cls)
                    .append("\"/>");
        }

        void path(String d, String cls) {
            out.append("<path d=\"").append(d).append("\" class=\"").append(cls).append("\" fill=\"none\"/>");
        }

        void text(double x, double y, String anchor, String cls, String text) {
            out.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" text-anchor=\"")
                    .append(anchor).append('"');
            if (!cls.isEmpty()) {
                out.append(" class=\"").append(cls).append('"');
            }
            out.append('>').append(escape(text)).append("</text>");
        }

        String close() {
            return out.append("</svg>").toString();
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
}
