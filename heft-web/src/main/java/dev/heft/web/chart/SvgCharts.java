package dev.heft.web.chart;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Server-rendered SVG charts for the page ({@code POST /api/chart}): bars (parameters by layer kind, memory by
 * precision against a device), a stacked bar against a capacity (the memory parts against a device's usable memory),
 * grouped bars (two models side by side, one colour per model) and line charts (how memory and FLOPs scale with
 * context). The page posts the numbers it got from the JSON API and the width it has; the chart is laid out for that
 * width, with axes, ticks, grid lines and legends, and labels that stay inside it and apart ({@link TextWidth},
 * {@link Lanes}, {@link Legend}). Colours come from the page's stylesheet through classes ({@code s1..s8},
 * {@code axis}, {@code grid}, {@code limit}, {@code mark}, {@code over}), so charts follow light and dark mode.
 */
public final class SvgCharts {
    /** Enough for every chart the page draws; a spec beyond this is refused rather than rendered. */
    public static final int MAX_POINTS = 256;
    /** Series in one chart: as many as there are distinct colours. */
    static final int MAX_SERIES = 8;

    static final int MIN_WIDTH = 240;
    static final int MAX_WIDTH = 2000;
    static final int DEFAULT_WIDTH = 760;

    private SvgCharts() {}

    /** Renders a chart spec: {@code {"type": "bar"|"stack"|"lines"|"grouped", "width": px, ...}}. */
    public static String render(JsonObject spec) {
        String type = spec.getString("type", "");
        return switch (type) {
            case "bar" -> BarChart.render(spec);
            case "stack" -> StackChart.render(spec);
            case "lines" -> LineChart.render(spec);
            case "grouped" -> GroupedBarChart.render(spec);
            default ->
                throw new InvalidInputException("chart type must be bar, stack, lines or grouped, got '" + type + "'");
        };
    }

    /** The width the page has for the chart, in CSS pixels. */
    static double width(JsonObject spec) {
        double w = spec.getDouble("width", DEFAULT_WIDTH);
        if (!(w >= MIN_WIDTH && w <= MAX_WIDTH)) {
            throw new InvalidInputException(
                    "chart: width must be " + MIN_WIDTH + ".." + MAX_WIDTH + " pixels, got " + w);
        }
        return Math.floor(w);
    }

    static Quantity unit(JsonObject spec, String key, String fallback) {
        return Quantity.of(spec.getString(key, fallback));
    }

    /** A bar: its name, value, and how it is drawn ({@code ""}, {@code over}: beyond a capacity, {@code chosen}). */
    record Row(String name, double value, String state) {}

    static List<Row> rows(JsonObject spec, String key) {
        JsonArray a = spec.getArray(key).orElseThrow(() -> missing(key));
        if (a.size() > MAX_POINTS) {
            throw new InvalidInputException("chart: at most " + MAX_POINTS + " rows");
        }
        List<Row> out = new ArrayList<>();
        for (JsonValue v : a.elements()) {
            if (!(v instanceof JsonArray r)
                    || r.size() < 2
                    || r.size() > 3
                    || !(r.get(0) instanceof JsonValue.JsonString n)
                    || !(r.get(1) instanceof JsonValue.JsonNumber x)) {
                throw new InvalidInputException("chart: rows are [name, number] or [name, number, state] arrays");
            }
            String state = "";
            if (r.size() == 3) {
                if (!(r.get(2) instanceof JsonValue.JsonString s)
                        || !List.of("", "over", "chosen", "over chosen").contains(s.value())) {
                    throw new InvalidInputException(
                            "chart: a row's state is \"\", \"over\", \"chosen\" or " + "\"over chosen\"");
                }
                state = s.value();
            }
            out.add(new Row(n.value(), finite(x.value().doubleValue()), state));
        }
        return out;
    }

    static double[] numbers(JsonArray a) {
        if (a.size() > MAX_POINTS) {
            throw new InvalidInputException("chart: at most " + MAX_POINTS + " points");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(a.get(i) instanceof JsonValue.JsonNumber n)) {
                throw new InvalidInputException("chart: expected numbers");
            }
            out[i] = finite(n.value().doubleValue());
        }
        return out;
    }

    static List<String> strings(JsonArray a) {
        if (a.size() > MAX_POINTS) {
            throw new InvalidInputException("chart: at most " + MAX_POINTS + " names");
        }
        List<String> out = new ArrayList<>();
        for (JsonValue v : a.elements()) {
            if (!(v instanceof JsonValue.JsonString s)) {
                throw new InvalidInputException("chart: expected names (strings)");
            }
            out.add(s.value());
        }
        return out;
    }

    /** An optional non-negative number. */
    static Optional<Double> optional(JsonObject spec, String key) {
        return spec.get(key).filter(v -> !(v instanceof JsonValue.JsonNull)).map(v -> {
            if (!(v instanceof JsonValue.JsonNumber n)) {
                throw new InvalidInputException("chart: '" + key + "' must be a number");
            }
            return finite(n.value().doubleValue());
        });
    }

    /** Charts draw sizes: negative values and non-numbers are refused rather than drawn off the axis. */
    private static double finite(double d) {
        if (!Double.isFinite(d) || d < 0) {
            throw new InvalidInputException("chart: values must be finite and not negative, got " + d);
        }
        return d;
    }

    /** The series style class of the i-th series ({@code s1..s8}). */
    static String series(int i) {
        return "s" + (1 + i % MAX_SERIES);
    }

    static InvalidInputException missing(String key) {
        return new InvalidInputException("chart: '" + key + "' is required");
    }

    /**
     * Ticks for an axis of {@code length} pixels: as many as fit without their labels touching (at least two: 0 and
     * one past the largest value).
     */
    static List<Quantity.Tick> ticks(Quantity q, double max, double length) {
        for (int n = Math.max(2, (int) (length / 70)); n > 2; n--) {
            List<Quantity.Tick> t = q.ticks(max, n);
            double widest =
                    t.stream().mapToDouble(x -> TextWidth.of(x.label())).max().orElse(0);
            if ((t.size() - 1) * (widest + 14) <= length) {
                return t;
            }
        }
        return q.ticks(max, 2);
    }
}
