package dev.heft.core.arch.torch;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonBoolean;
import dev.heft.core.json.JsonValue.JsonNull;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The keyword arguments of one layer in a spec, read by their torch constructor names with torch's defaults. Every
 * error names the layer ({@code layers[3] (Conv2d)}), the key and what was expected.
 */
public final class LayerArgs {
    /** No dimension, channel count or kernel in a spec may exceed this (2^40): far above any real layer. */
    public static final long MAX_SIZE = 1L << 40;

    private final String where;
    private final String type;
    private final JsonObject object;

    LayerArgs(String where, String type, JsonObject object) {
        this.where = where;
        this.type = type;
        this.object = object;
    }

    /** Rejects keys that are neither in {@code accepted} nor spec structure keys, listing the accepted ones. */
    void checkKeys(List<String> accepted, List<String> structural) {
        for (String key : object.members().keySet()) {
            if (!accepted.contains(key) && !structural.contains(key)) {
                throw error("unknown key '" + key + "'; " + type + " accepts "
                        + (accepted.isEmpty() ? "no arguments" : String.join(", ", new TreeSet<>(accepted))));
            }
        }
    }

    public InvalidInputException error(String problem) {
        return new InvalidInputException(where + " (" + type + "): " + problem);
    }

    private JsonValue value(String key) {
        JsonValue v = object.members().get(key);
        return v == null ? JsonNull.INSTANCE : v;
    }

    public boolean present(String key) {
        return !(value(key) instanceof JsonNull);
    }

    /** A required positive size (channels, features, dimensions). */
    public long size(String key) {
        if (!present(key)) {
            throw error("missing required key '" + key + "'");
        }
        return size(key, 0);
    }

    /** A positive size, {@code fallback} when absent or null. */
    public long size(String key, long fallback) {
        if (!present(key)) {
            return fallback;
        }
        long v = integer(key, value(key));
        if (v < 1 || v > MAX_SIZE) {
            throw error("key '" + key + "' must be an integer from 1 to " + MAX_SIZE + ", got " + v);
        }
        return v;
    }

    /** Any integer (padding, dims), {@code fallback} when absent. */
    public long integer(String key, long fallback) {
        return present(key) ? integer(key, value(key)) : fallback;
    }

    private long integer(String key, JsonValue v) {
        if (v instanceof JsonNumber n && n.isIntegral()) {
            BigInteger bi = n.value().toBigIntegerExact();
            if (bi.bitLength() < 63) {
                return bi.longValue();
            }
        }
        throw error("key '" + key + "' must be an integer, got " + describe(v));
    }

    public boolean bool(String key, boolean fallback) {
        JsonValue v = value(key);
        if (v instanceof JsonNull) {
            return fallback;
        }
        if (v instanceof JsonBoolean b) {
            return b.value();
        }
        throw error("key '" + key + "' must be true or false, got " + describe(v));
    }

    public String string(String key, String fallback) {
        JsonValue v = value(key);
        if (v instanceof JsonNull) {
            return fallback;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw error("key '" + key + "' must be a string, got " + describe(v));
    }

    /** A string key whose value must be one of {@code allowed}. */
    public String choice(String key, String fallback, List<String> allowed) {
        String s = string(key, fallback);
        if (!allowed.contains(s)) {
            throw error("key '" + key + "' must be one of " + allowed + ", got '" + s + "'");
        }
        return s;
    }

    /**
     * An int-or-tuple argument ({@code kernel_size=3} or {@code (3, 5)}) expanded to {@code dims} values, as torch's
     * {@code _ntuple} does; each value at least {@code min}.
     */
    public long[] tuple(String key, int dims, long fallback, long min) {
        JsonValue v = value(key);
        long[] out = new long[dims];
        if (v instanceof JsonNull) {
            if (fallback < min) {
                throw error("missing required key '" + key + "'");
            }
            java.util.Arrays.fill(out, fallback);
            return out;
        }
        if (v instanceof JsonArray a) {
            if (a.size() != dims) {
                throw error("key '" + key + "' needs " + dims + " values, got " + a.size());
            }
            for (int i = 0; i < dims; i++) {
                out[i] = integer(key, a.get(i));
            }
        } else {
            java.util.Arrays.fill(out, integer(key, v));
        }
        for (long x : out) {
            if (x < min || x > MAX_SIZE) {
                throw error("key '" + key + "' values must be from " + min + " to " + MAX_SIZE + ", got " + x);
            }
        }
        return out;
    }

    /** A shape argument ({@code normalized_shape=768} or {@code [4, 768]}). */
    public Shape shape(String key) {
        JsonValue v = value(key);
        if (v instanceof JsonNull) {
            throw error("missing required key '" + key + "'");
        }
        int n = v instanceof JsonArray a ? a.size() : 1;
        if (n > 64) {
            throw error("key '" + key + "' has " + n + " dimensions; at most 64");
        }
        return Shape.of(tuple(key, n, 0, 1));
    }

    private static String describe(JsonValue v) {
        return switch (v) {
            case JsonString s -> "\"" + s.value() + "\"";
            case JsonNumber n -> n.value().toPlainString();
            case JsonBoolean b -> Boolean.toString(b.value());
            default -> v.typeName();
        };
    }

    JsonObject object() {
        return object;
    }

    String where() {
        return where;
    }

    Map<String, JsonValue> members() {
        return object.members();
    }
}
