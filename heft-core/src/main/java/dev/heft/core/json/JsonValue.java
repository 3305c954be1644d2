package dev.heft.core.json;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed JSON value. heft reads JSON in several places (safetensors headers, config.json, sharded indexes, TF.js
 * manifests, layer specs) and writes it for {@code --json}; one small, dependency-free model keeps core light and
 * start-up fast.
 */
public sealed interface JsonValue {

    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        public JsonObject {
            members = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(members));
        }

        public Optional<JsonValue> get(String key) {
            return Optional.ofNullable(members.get(key));
        }

        public boolean has(String key) {
            JsonValue v = members.get(key);
            return v != null && !(v instanceof JsonNull);
        }

        /** The member as a long, or {@code fallback} when absent or null. Throws when present with another type. */
        public long getLong(String key, long fallback) {
            JsonValue v = members.get(key);
            if (v == null || v instanceof JsonNull) {
                return fallback;
            }
            if (v instanceof JsonNumber n) {
                return n.longValueExact(key);
            }
            throw new JsonException("key '" + key + "': expected an integer, found " + v.typeName());
        }

        public double getDouble(String key, double fallback) {
            JsonValue v = members.get(key);
            if (v == null || v instanceof JsonNull) {
                return fallback;
            }
            if (v instanceof JsonNumber n) {
                return n.value().doubleValue();
            }
            throw new JsonException("key '" + key + "': expected a number, found " + v.typeName());
        }

        public boolean getBoolean(String key, boolean fallback) {
            JsonValue v = members.get(key);
            if (v == null || v instanceof JsonNull) {
                return fallback;
            }
            if (v instanceof JsonBoolean b) {
                return b.value();
            }
            throw new JsonException("key '" + key + "': expected true or false, found " + v.typeName());
        }

        public String getString(String key, String fallback) {
            JsonValue v = members.get(key);
            if (v == null || v instanceof JsonNull) {
                return fallback;
            }
            if (v instanceof JsonString s) {
                return s.value();
            }
            throw new JsonException("key '" + key + "': expected a string, found " + v.typeName());
        }

        public Optional<JsonObject> getObject(String key) {
            JsonValue v = members.get(key);
            if (v == null || v instanceof JsonNull) {
                return Optional.empty();
            }
            if (v instanceof JsonObject o) {
                return Optional.of(o);
            }
            throw new JsonException("key '" + key + "': expected an object, found " + v.typeName());
        }

        public Optional<JsonArray> getArray(String key) {
            JsonValue v = members.get(key);
            if (v == null || v instanceof JsonNull) {
                return Optional.empty();
            }
            if (v instanceof JsonArray a) {
                return Optional.of(a);
            }
            throw new JsonException("key '" + key + "': expected an array, found " + v.typeName());
        }
    }

    record JsonArray(List<JsonValue> elements) implements JsonValue {
        public JsonArray {
            elements = List.copyOf(elements);
        }

        public int size() {
            return elements.size();
        }

        public JsonValue get(int i) {
            return elements.get(i);
        }
    }

    record JsonString(String value) implements JsonValue {}

    /** A number kept exactly as written: integers as BigInteger-capable BigDecimal, so 2^63 is not silently wrapped. */
    record JsonNumber(BigDecimal value) implements JsonValue {
        public static JsonNumber of(long v) {
            return new JsonNumber(BigDecimal.valueOf(v));
        }

        public static JsonNumber of(double v) {
            return new JsonNumber(new BigDecimal(Double.toString(v)));
        }

        public boolean isIntegral() {
            return value.stripTrailingZeros().scale() <= 0;
        }

        public long longValueExact(String where) {
            // BigDecimal.longValueExact rejects by digit count first; toBigIntegerExact() would expand 1e99999999
            // into a hundred-million-digit integer (minutes of CPU) before noticing it cannot fit.
            try {
                return value.longValueExact();
            } catch (ArithmeticException e) {
                throw new JsonException(where + ": expected an integer that fits in 64 bits, found " + value);
            }
        }
    }

    record JsonBoolean(boolean value) implements JsonValue {}

    enum JsonNull implements JsonValue {
        INSTANCE
    }

    default String typeName() {
        return switch (this) {
            case JsonObject o -> "an object";
            case JsonArray a -> "an array";
            case JsonString s -> "a string";
            case JsonNumber n -> "a number";
            case JsonBoolean b -> "a boolean";
            case JsonNull n -> "null";
        };
    }

    default JsonObject asObject(String where) {
        if (this instanceof JsonObject o) {
            return o;
        }
        throw new JsonException(where + ": expected an object, found " + typeName());
    }
}
