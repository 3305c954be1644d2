package dev.heft.core.api.report;

import dev.heft.core.json.JsonValue;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schema (2020-12, as OpenAPI 3.1 uses it) of a report, derived from the record exactly as
 * {@link ReportJson} writes it: so the documented schema is the written one by construction.
 */
public final class ReportSchema {
    private ReportSchema() {}

    /** The schema of a report's JSON object, {@code schema} key included. */
    public static Map<String, Object> of(Class<? extends Report> type) {
        Map<String, Object> s = object(type);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) s.get("properties");
        Map<String, Object> withSchema = new LinkedHashMap<>();
        withSchema.put("schema", obj("type", "string", "description", "the report's name and version"));
        withSchema.putAll(props);
        s.put("properties", withSchema);
        @SuppressWarnings("unchecked")
        List<String> required = (List<String>) s.get("required");
        required.addFirst("schema");
        return s;
    }

    private static Map<String, Object> object(Class<?> record) {
        Map<String, Object> props = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (ReportJson.Component c : ReportJson.components(record)) {
            props.put(c.key(), type(c.component().getGenericType()));
            if (!c.omitWhenEmpty()) {
                required.add(c.key());
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", props);
        s.put("required", required);
        s.put("additionalProperties", false);
        return s;
    }

    private static Map<String, Object> type(Type t) {
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type arg = p.getActualTypeArguments()[p.getActualTypeArguments().length - 1];
            if (raw == Optional.class) {
                Map<String, Object> inner = type(arg);
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("anyOf", List.of(inner, obj("type", "null")));
                return s;
            }
            if (raw == List.class) {
                return obj("type", "array", "items", type(arg));
            }
            if (raw == Map.class) {
                return obj("type", "object", "additionalProperties", type(arg));
            }
        }
        Class<?> c = (Class<?>) t;
        if (c == String.class) {
            return obj("type", "string");
        }
        if (c == long.class || c == Long.class || c == int.class || c == Integer.class) {
            return obj("type", "integer");
        }
        if (c == double.class || c == Double.class) {
            return obj("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return obj("type", "boolean");
        }
        if (c.isRecord()) {
            return object(c);
        }
        if (c == Object.class || JsonValue.class.isAssignableFrom(c)) {
            return obj();
        }
        throw new IllegalArgumentException("no JSON schema for " + c.getName());
    }

    /** An object with its keys in the order given (JSON output must not depend on hash order). */
    private static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
