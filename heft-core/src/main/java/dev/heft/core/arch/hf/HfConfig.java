package dev.heft.core.arch.hf;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNull;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Hugging Face {@code config.json} read the way a transformers {@code *Config} class reads it: a key may be absent
 * (the class default applies), {@code null} (Python {@code None}, whose meaning the family decides), or spelled by an
 * older name ({@code n_embd} for {@code hidden_size}). Every failure names the key and what was expected.
 */
final class HfConfig {
    private static final long MAX_DIMENSION = 1L << 40;
    /**
     * 50 times the deepest published model (about 200 layers): per-layer facts cost about 1.6 KB a layer, so a hostile
     * count stays a few MiB (a fuzz campaign found 32,000 layers costing 53 MB at the earlier cap of 100,000).
     */
    static final long MAX_LAYERS = 10_000;

    private final JsonObject json;
    private final String modelType;

    HfConfig(JsonObject json, String modelType) {
        this.json = json;
        this.modelType = modelType;
    }

    String modelType() {
        return modelType;
    }

    JsonObject json() {
        return json;
    }

    /** The first of {@code keys} present and not null. */
    private Optional<String> firstPresent(String... keys) {
        for (String k : keys) {
            if (json.has(k)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** True when one of the keys is present, even as null (save_pretrained writes {@code "head_dim": null}). */
    boolean mentions(String key) {
        return json.members().containsKey(key);
    }

    /** A non-negative integer under one of {@code keys}, or {@code fallback} (the class default) when all are absent or null. */
    long size(long fallback, String... keys) {
        Optional<String> key = firstPresent(keys);
        return key.isEmpty() ? fallback : readSize(key.get());
    }

    /**
     * A layer count. Capped at {@value #MAX_LAYERS}: per-layer facts (attention kind, MoE routing) are kept per layer,
     * so an absurd count from a hostile file must fail before anything is sized by it.
     */
    long layers(long fallback, String... keys) {
        long v = size(fallback, keys);
        if (v > MAX_LAYERS) {
            throw new InvalidInputException("config.json: key '"
                    + firstPresent(keys).orElse(keys[0]) + "' must be at most " + MAX_LAYERS + " layers, found " + v);
        }
        return v;
    }

    /** A required non-negative integer: the family has no default for it. */
    long requiredSize(String... keys) {
        Optional<String> key = firstPresent(keys);
        if (key.isEmpty()) {
            throw new InvalidInputException(
                    "config.json: key '" + keys[0] + "' missing and model_type '" + modelType + "' has no default");
        }
        return readSize(key.get());
    }

    /** An optional integer: empty when absent or null (Python None). */
    Optional<Long> optionalSize(String... keys) {
        return firstPresent(keys).map(this::readSize);
    }

    private long readSize(String key) {
        long v;
        try {
            v = json.getLong(key, 0);
        } catch (JsonException e) {
            throw new InvalidInputException(
                    "config.json: key '" + key + "' must be a non-negative integer (" + e.getMessage() + ")", e);
        }
        if (v < 0 || v > MAX_DIMENSION) {
            throw new InvalidInputException(
                    "config.json: key '" + key + "' must be a non-negative integer below 2^40, found " + v);
        }
        return v;
    }

    boolean flag(boolean fallback, String... keys) {
        Optional<String> key = firstPresent(keys);
        if (key.isEmpty()) {
            return fallback;
        }
        try {
            return json.getBoolean(key.get(), fallback);
        } catch (JsonException e) {
            throw new InvalidInputException("config.json: key '" + key.get() + "' must be true or false", e);
        }
    }

    double number(double fallback, String... keys) {
        Optional<String> key = firstPresent(keys);
        if (key.isEmpty()) {
            return fallback;
        }
        try {
            return json.getDouble(key.get(), fallback);
        } catch (JsonException e) {
            throw new InvalidInputException("config.json: key '" + key.get() + "' must be a number", e);
        }
    }

    String text(String fallback, String... keys) {
        Optional<String> key = firstPresent(keys);
        if (key.isEmpty()) {
            return fallback;
        }
        try {
            return json.getString(key.get(), fallback);
        } catch (JsonException e) {
            throw new InvalidInputException("config.json: key '" + key.get() + "' must be a string", e);
        }
    }

    /** A number inside {@code rope_parameters} (transformers 5) or at top level under an older name. */
    double ropeNumber(double fallback, String key) {
        Optional<JsonObject> rope = object("rope_parameters");
        if (rope.isPresent() && rope.get().has(key)) {
            try {
                return rope.get().getDouble(key, fallback);
            } catch (JsonException e) {
                throw new InvalidInputException("config.json: key 'rope_parameters." + key + "' must be a number", e);
            }
        }
        return number(fallback, key);
    }

    Optional<JsonObject> object(String key) {
        try {
            return json.getObject(key);
        } catch (JsonException e) {
            throw new InvalidInputException("config.json: key '" + key + "' must be an object", e);
        }
    }

    /** A list of integers ({@code mlp_only_layers}); empty when absent or null. */
    List<Long> sizes(String key) {
        Optional<JsonArray> arr = array(key);
        List<Long> out = new ArrayList<>();
        if (arr.isEmpty()) {
            return out;
        }
        for (int i = 0; i < arr.get().size(); i++) {
            JsonValue v = arr.get().get(i);
            if (!(v instanceof JsonValue.JsonNumber n)) {
                throw new InvalidInputException(
                        "config.json: key '" + key + "[" + i + "]' must be an integer, found " + v.typeName());
            }
            try {
                out.add(n.longValueExact(key));
            } catch (JsonException e) {
                throw new InvalidInputException("config.json: key '" + key + "[" + i + "]' must be an integer", e);
            }
        }
        return out;
    }

    /** A list of strings ({@code layer_types}, {@code architectures}); empty when absent or null. */
    List<String> strings(String key) {
        Optional<JsonArray> arr = array(key);
        List<String> out = new ArrayList<>();
        if (arr.isEmpty()) {
            return out;
        }
        for (int i = 0; i < arr.get().size(); i++) {
            JsonValue v = arr.get().get(i);
            if (v instanceof JsonString s) {
                out.add(s.value());
            } else if (!(v instanceof JsonNull)) {
                throw new InvalidInputException(
                        "config.json: key '" + key + "[" + i + "]' must be a string, found " + v.typeName());
            }
        }
        return out;
    }

    private Optional<JsonArray> array(String key) {
        try {
            return json.getArray(key);
        } catch (JsonException e) {
            throw new InvalidInputException("config.json: key '" + key + "' must be an array", e);
        }
    }

    /** Number of labels of a classification head: {@code id2label}'s size, else {@code num_labels}, else 2 (PretrainedConfig default). */
    long numLabels() {
        Optional<JsonObject> id2label = object("id2label");
        if (id2label.isPresent()) {
            return id2label.get().members().size();
        }
        return size(2, "num_labels");
    }

    InvalidInputException invalid(String key, String expected) {
        return new InvalidInputException(
                "config.json: key '" + key + "' " + expected + " (model_type '" + modelType + "')");
    }
}
