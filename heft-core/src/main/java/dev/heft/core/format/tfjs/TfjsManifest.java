package dev.heft.core.format.tfjs;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import dev.heft.core.tensor.InventoryLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed {@code model.json} (tfjs-core {@code io/types.ts}, {@code ModelJSON}): the format strings and the
 * {@code weightsManifest}, an array of groups, each with {@code paths} (shard files, relative to the model.json) and
 * {@code weights} (name, shape, dtype, optional quantization). Nothing here touches the shard files.
 *
 * @param file   the model.json
 * @param root   the whole document, for format/generatedBy/convertedBy
 * @param groups the weight groups in manifest order
 */
record TfjsManifest(Path file, JsonObject root, List<Group> groups) {

    /** A group of weights whose bytes are concatenated, in order, across {@code paths}. */
    record Group(int index, List<String> paths, List<Weight> weights) {
    }

    /**
     * One manifest entry.
     *
     * @param key          where it sits in the manifest, for error messages
     * @param stored       the dtype of the bytes in the shard (the quantization dtype when quantized)
     * @param quantization the quantization dtype, empty when stored as {@code dtype}
     */
    record Weight(String key, String name, long[] shape, TfjsDtype dtype, TfjsDtype stored,
                  Optional<TfjsDtype> quantization) {
    }

    /** Parses {@code utf8} (already capped in size by the caller) into a manifest. */
    static TfjsManifest parse(Path file, byte[] utf8) {
        JsonValue parsed;
        try {
            parsed = Json.parse(utf8);
        } catch (JsonException e) {
            throw new CorruptModelException(file, Math.max(0, e.offset()), "model.json is not valid JSON: "
                    + e.getMessage(), e);
        }
        if (!(parsed instanceof JsonObject root)) {
            throw new CorruptModelException(file, 0, "model.json must be a JSON object, found " + parsed.typeName());
        }
        JsonValue manifest = root.get("weightsManifest").orElseThrow(() -> new CorruptModelException(file,
                "weightsManifest", "a TF.js model.json needs a weightsManifest array"));
        if (!(manifest instanceof JsonArray groupsJson)) {
            throw new CorruptModelException(file, "weightsManifest", "expected an array of weight groups, found "
                    + manifest.typeName());
        }
        long entries = 0;
        for (int g = 0; g < groupsJson.size(); g++) {
            if (groupsJson.get(g) instanceof JsonObject o && o.members().get("weights") instanceof JsonArray w) {
                entries += w.size();
            }
        }
        if (entries > InventoryLimits.MAX_TENSORS) {
            throw new UnsupportedModelException(file, "weightsManifest", entries + " weights; heft reads at most "
                    + InventoryLimits.MAX_TENSORS + " per model");
        }
        List<Group> groups = new ArrayList<>(groupsJson.size());
        for (int g = 0; g < groupsJson.size(); g++) {
            groups.add(group(file, g, groupsJson.get(g)));
        }
        return new TfjsManifest(file, root, groups);
    }

    private static Group group(Path file, int g, JsonValue value) {
        String key = "weightsManifest[" + g + "]";
        JsonObject group = object(file, key, value);
        JsonArray pathsJson = array(file, key + ".paths", group.get("paths"));
        List<String> paths = new ArrayList<>(pathsJson.size());
        for (int i = 0; i < pathsJson.size(); i++) {
            String pathKey = key + ".paths[" + i + "]";
            paths.add(ShardPaths.check(file, pathKey, string(file, pathKey, pathsJson.get(i))));
        }
        JsonArray weightsJson = array(file, key + ".weights", group.get("weights"));
        List<Weight> weights = new ArrayList<>(weightsJson.size());
        for (int i = 0; i < weightsJson.size(); i++) {
            weights.add(weight(file, key + ".weights[" + i + "]", weightsJson.get(i)));
        }
        return new Group(g, paths, weights);
    }

    private static Weight weight(Path file, String key, JsonValue value) {
        JsonObject w = object(file, key, value);
        String name = string(file, key + ".name", w.get("name").orElse(null));
        JsonArray shapeJson = array(file, key + ".shape", w.get("shape"));
        long[] shape = new long[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = -1;
            if (shapeJson.get(i) instanceof JsonValue.JsonNumber n && n.isIntegral()) {
                try {
                    d = n.longValueExact(key);
                } catch (JsonException tooBig) {
                    d = -1;
                }
            }
            if (d < 0) {
                throw new CorruptModelException(file, key + ".shape[" + i + "]", "expected a non-negative integer "
                        + "dimension that fits in 64 bits, found " + shapeJson.get(i));
            }
            shape[i] = d;
        }
        String dtypeName = string(file, key + ".dtype", w.get("dtype").orElse(null));
        TfjsDtype dtype = TfjsDtype.weight(dtypeName).orElseThrow(() -> new UnsupportedModelException(file,
                key + ".dtype", "weight '" + name + "' has dtype '" + dtypeName + "'; heft reads float32, int32, "
                + "bool and complex64 (string weights are variable-length and cannot be sized from the manifest)"));
        Optional<TfjsDtype> quant = Optional.empty();
        if (w.has("quantization")) {
            JsonObject q = object(file, key + ".quantization", w.get("quantization").get());
            String qName = string(file, key + ".quantization.dtype", q.get("dtype").orElse(null));
            quant = Optional.of(TfjsDtype.quantization(qName).orElseThrow(() -> new UnsupportedModelException(file,
                    key + ".quantization.dtype", "weight '" + name + "' is quantized as '" + qName
                    + "'; TF.js quantizes to uint8, uint16 or float16")));
        }
        return new Weight(key, name, shape, dtype, quant.orElse(dtype), quant);
    }

    private static JsonObject object(Path file, String key, JsonValue v) {
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new CorruptModelException(file, key, "expected an object, found " + describe(v));
    }

    private static JsonArray array(Path file, String key, Optional<JsonValue> v) {
        if (v.isPresent() && v.get() instanceof JsonArray a) {
            return a;
        }
        throw new CorruptModelException(file, key, "expected an array, found " + v.map(JsonValue::typeName)
                .orElse("nothing"));
    }

    private static String string(Path file, String key, JsonValue v) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw new CorruptModelException(file, key, "expected a string, found " + describe(v));
    }

    private static String describe(JsonValue v) {
        return v == null ? "nothing" : v.typeName();
    }
}
