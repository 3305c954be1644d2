package dev.heft.core.api.report;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one JSON form of every report: a report record <em>is</em> its {@code --json} contract. Each component becomes a
 * key (its name in snake_case, or {@link JsonName}), in declaration order, after {@code "schema"}; nested records
 * become objects, {@code Optional.empty()} becomes {@code null} (or no key at all, with {@link OmitWhenEmpty}),
 * lists and {@code Map<String, ?>} keep their order. {@link #read} is the exact inverse, so a report written and read
 * back equals the original: that property is tested for every command.
 *
 * <p>Reports hold only JSON-shaped values: strings, {@code long}/{@code int}, finite {@code double}s, booleans,
 * records of those, {@code List}, {@code Map<String, ?>}, {@code Optional}, and {@link JsonValue} for pass-through
 * metadata. A non-finite double is a bug in the report (JSON has no NaN): it is refused, never written as a string.
 */
public final class ReportJson {
    private static final Map<Class<?>, Component[]> COMPONENTS = new ConcurrentHashMap<>();

    private ReportJson() {}

    /** The report as pretty-printed JSON (two-space indent), the form {@code --json} prints. */
    public static String write(Report report) {
        return JsonWriter.write(tree(report));
    }

    /** The report as the ordered map {@link JsonWriter} writes (the HTTP API sends the same). */
    public static Map<String, Object> tree(Report report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", report.schema());
        writeRecord((Record) report, root);
        return root;
    }

    /** Reads a report of {@code type} back from its JSON; the schema must be the type's own. */
    public static <R extends Report> R read(String json, Class<R> type) {
        JsonValue v = Json.parse(json);
        if (!(v instanceof JsonValue.JsonObject o)) {
            throw new IllegalArgumentException("a report is a JSON object, found " + v.typeName());
        }
        Map<String, JsonValue> members = new LinkedHashMap<>(o.members());
        JsonValue schema = members.remove("schema");
        R report = type.cast(readRecord(type, members, "$"));
        if (!(schema instanceof JsonValue.JsonString s) || !s.value().equals(report.schema())) {
            throw new IllegalArgumentException("schema: expected " + report.schema() + ", found " + schema);
        }
        return report;
    }

    /** A record component as a JSON key: its name there and whether an empty value leaves the key out. */
    record Component(RecordComponent component, String key, boolean omitWhenEmpty) {}

    static Component[] components(Class<?> type) {
        return COMPONENTS.computeIfAbsent(type, t -> {
            RecordComponent[] rc = t.getRecordComponents();
            Component[] out = new Component[rc.length];
            for (int i = 0; i < rc.length; i++) {
                JsonName name = rc[i].getAnnotation(JsonName.class);
                out[i] = new Component(
                        rc[i],
                        name != null ? name.value() : snakeCase(rc[i].getName()),
                        rc[i].isAnnotationPresent(OmitWhenEmpty.class));
            }
            return out;
        });
    }

    static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void writeRecord(Record r, Map<String, Object> into) {
        for (Component c : components(r.getClass())) {
            Object value;
            try {
                value = c.component().getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + c.key(), e);
            }
            if (c.omitWhenEmpty() && value instanceof Optional<?> opt && opt.isEmpty()) {
                continue;
            }
            into.put(c.key(), toTree(value, r.getClass().getSimpleName() + "." + c.key()));
        }
    }

    private static Object toTree(Object v, String where) {
        // instanceof tests, not a pattern switch: that is linked through SwitchBootstraps.typeSwitch, which generates a
        // class on first use that the AOT cache cannot hold, paid by every --json run (bench/RESULTS.md, start-up).
        if (v == null) {
            throw new IllegalStateException(where + " is null; reports use Optional for absent values");
        } else if (v instanceof Optional<?> o) {
            return o.isEmpty() ? null : toTree(o.get(), where);
        } else if (v instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new IllegalStateException(where + " is " + d + "; JSON has no such number");
            }
            return d;
        } else if (v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Boolean) {
            return v;
        } else if (v instanceof JsonValue) {
            return v;
        } else if (v instanceof Record r) {
            Map<String, Object> m = new LinkedHashMap<>();
            writeRecord(r, m);
            return m;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object e : l) {
                out.add(toTree(e, where + "[]"));
            }
            return out;
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, toTree(x, where + "." + k)));
            return out;
        }
        throw new IllegalStateException(where + ": " + v.getClass().getName() + " has no JSON form in a report");
    }

    private static Object readRecord(Class<?> type, Map<String, JsonValue> members, String where) {
        Component[] cs = components(type);
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            Component c = cs[i];
            types[i] = c.component().getType();
            JsonValue v = members.remove(c.key());
            Type generic = c.component().getGenericType();
            if (v == null && !(types[i] == Optional.class)) {
                throw new IllegalArgumentException(where + "." + c.key() + ": missing");
            }
            args[i] = fromTree(v == null ? JsonValue.JsonNull.INSTANCE : v, generic, where + "." + c.key());
        }
        if (!members.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown keys " + members.keySet());
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(where + ": cannot build " + type.getSimpleName() + ": " + e, e);
        }
    }

    private static Object fromTree(JsonValue v, Type type, String where) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type arg = p.getActualTypeArguments()[p.getActualTypeArguments().length - 1];
            if (raw == Optional.class) {
                return v instanceof JsonValue.JsonNull ? Optional.empty() : Optional.of(fromTree(v, arg, where));
            }
            if (raw == List.class) {
                List<Object> out = new ArrayList<>();
                for (JsonValue e : expect(v, JsonValue.JsonArray.class, where).elements()) {
                    out.add(fromTree(e, arg, where + "[]"));
                }
                return List.copyOf(out);
            }
            if (raw == Map.class) {
                Map<String, Object> out = new LinkedHashMap<>();
                expect(v, JsonValue.JsonObject.class, where)
                        .members()
                        .forEach((k, x) -> out.put(k, fromTree(x, arg, where + "." + k)));
                return out;
            }
            throw new IllegalArgumentException(where + ": unsupported type " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return expect(v, JsonValue.JsonString.class, where).value();
        }
        if (c == long.class || c == Long.class) {
            return expect(v, JsonValue.JsonNumber.class, where).longValueExact(where);
        }
        if (c == int.class || c == Integer.class) {
            return Math.toIntExact(expect(v, JsonValue.JsonNumber.class, where).longValueExact(where));
        }
        if (c == double.class || c == Double.class) {
            return expect(v, JsonValue.JsonNumber.class, where).value().doubleValue();
        }
        if (c == boolean.class || c == Boolean.class) {
            return expect(v, JsonValue.JsonBoolean.class, where).value();
        }
        if (JsonValue.class.isAssignableFrom(c)) {
            return c.cast(v);
        }
        if (c == Object.class) {
            return plain(v);
        }
        if (c.isRecord()) {
            return readRecord(
                    c,
                    new LinkedHashMap<>(
                            expect(v, JsonValue.JsonObject.class, where).members()),
                    where);
        }
        throw new IllegalArgumentException(where + ": unsupported type " + c.getName());
    }

    /** A free-form value (GGUF metadata) as plain Java: integers that fit a long as Long, other numbers as Double. */
    private static Object plain(JsonValue v) {
        return switch (v) {
            case JsonValue.JsonNull n -> null;
            case JsonValue.JsonString s -> s.value();
            case JsonValue.JsonBoolean b -> b.value();
            case JsonValue.JsonNumber n -> {
                // Not a conditional expression: its long and double arms would both be promoted to double.
                if (n.isIntegral() && n.value().abs().compareTo(LONG_MAX) <= 0) {
                    yield (Object) n.value().longValueExact();
                }
                yield (Object) n.value().doubleValue();
            }
            case JsonValue.JsonArray a ->
                a.elements().stream().map(ReportJson::plain).toList();
            case JsonValue.JsonObject o -> {
                Map<String, Object> m = new LinkedHashMap<>();
                o.members().forEach((k, x) -> m.put(k, plain(x)));
                yield m;
            }
        };
    }

    private static final java.math.BigDecimal LONG_MAX = java.math.BigDecimal.valueOf(Long.MAX_VALUE);

    private static <T extends JsonValue> T expect(JsonValue v, Class<T> type, String where) {
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(where + ": expected "
                    + type.getSimpleName().replace("Json", "").toLowerCase(Locale.ROOT) + ", found " + v.typeName());
        }
        return type.cast(v);
    }
}
