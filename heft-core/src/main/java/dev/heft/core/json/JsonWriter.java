package dev.heft.core.json;

import dev.heft.core.api.render.Printable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Writes JSON for {@code --json} output and the HTTP API. Accepts {@link JsonValue}s and plain Java values: ordered
 * maps with string keys, lists, strings, numbers, booleans, null and {@code long[]}; anything else is refused (a bug,
 * never silently written as its {@code toString()}). Output is pretty-printed with two spaces so scripts and people can
 * both read it.
 *
 * <p>Deterministic by construction: a map must keep an order ({@link SequencedMap}, so {@code LinkedHashMap} or
 * {@code TreeMap}); {@code Map.of} and {@code HashMap} with two or more keys, whose order changes from JVM to JVM, are
 * refused. JSON has no NaN or infinity: a non-finite double is written as {@code null}; reports never hold one (they
 * use an empty value).
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private final boolean pretty;

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    public static String write(Object value) {
        JsonWriter w = new JsonWriter(true);
        w.value(value, 0);
        return w.out.toString();
    }

    public static String writeCompact(Object value) {
        JsonWriter w = new JsonWriter(false);
        w.value(value, 0);
        return w.out.toString();
    }

    private void newline(int indent) {
        if (pretty) {
            out.append('\n');
            out.repeat(' ', indent * 2);
        }
    }

    private void value(Object v, int indent) {
        // instanceof tests in the order a pattern switch would try them, not a pattern switch: that is linked through
        // SwitchBootstraps.typeSwitch, which generates a class on first use that the AOT cache cannot hold, so every
        // --json run paid for generating it with cold code (bench/RESULTS.md, start-up).
        if (v == null || v instanceof JsonValue.JsonNull) {
            out.append("null");
        } else if (v instanceof JsonValue.JsonString s) {
            string(s.value());
        } else if (v instanceof JsonValue.JsonNumber n) {
            out.append(n.value().toString());
        } else if (v instanceof JsonValue.JsonBoolean b) {
            out.append(b.value());
        } else if (v instanceof JsonValue.JsonObject o) {
            map(o.members(), indent);
        } else if (v instanceof Map<?, ?> m && m.size() > 1 && !(m instanceof SequencedMap<?, ?>)) {
            throw new IllegalArgumentException("JSON output must not depend on hash order: use an ordered map, not "
                    + m.getClass().getName());
        } else if (v instanceof JsonValue.JsonArray a) {
            list(a.elements(), indent);
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Double d) {
            number(d);
        } else if (v instanceof Float f) {
            number(f.doubleValue());
        } else if (v instanceof Number n) {
            out.append(n);
        } else if (v instanceof Boolean b) {
            out.append(b);
        } else if (v instanceof Map<?, ?> m) {
            map(m, indent);
        } else if (v instanceof List<?> l) {
            list(l, indent);
        } else if (v instanceof long[] arr) {
            out.append('[');
            for (int i = 0; i < arr.length; i++) {
                if (i > 0) {
                    out.append(pretty ? ", " : ",");
                }
                out.append(arr[i]);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "no JSON form for " + v.getClass().getName());
        }
    }

    private void number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(d);
        }
    }

    private void map(Map<?, ?> m, int indent) {
        if (m.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            newline(indent + 1);
            string(String.valueOf(e.getKey()));
            out.append(pretty ? ": " : ":");
            value(e.getValue(), indent + 1);
            if (it.hasNext()) {
                out.append(',');
            }
        }
        newline(indent);
        out.append('}');
    }

    private void list(List<?> l, int indent) {
        if (l.isEmpty()) {
            out.append("[]");
            return;
        }
        boolean scalars = l.stream()
                .allMatch(x ->
                        x == null || x instanceof Number || x instanceof Boolean || x instanceof JsonValue.JsonNumber);
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
            if (scalars) {
                if (i > 0) {
                    out.append(pretty ? ", " : ",");
                }
            } else {
                newline(indent + 1);
            }
            value(l.get(i), indent + 1);
            if (!scalars && i + 1 < l.size()) {
                out.append(',');
            }
        }
        if (!scalars) {
            newline(indent);
        }
        out.append(']');
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Printable.isUnsafe(c)) {
                        // Control characters as JSON requires, and (still valid JSON) the C1 controls, bidi overrides
                        // and lone surrogates Printable names: JSON read on a terminal must not drive it either.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
