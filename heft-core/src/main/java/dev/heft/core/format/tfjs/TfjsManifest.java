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
 * A parsed TF.js weights manifest, from either of the two files that carry one (tfjs-core {@code io/types.ts}):
 * <ul>
 *   <li>a {@code model.json} ({@code ModelJSON}): an object with format strings, a topology and a
 *       {@code weightsManifest};</li>
 *   <li>a bare weights manifest ({@code WeightsManifestConfig}, what tfjs-converter's {@code write_weights.py} writes
 *       as {@code weights_manifest.json} and what {@code tf.io.loadWeights} reads; face-api.js ships its models as
 *       {@code *-weights_manifest.json}): the same array of groups as the document's root.</li>
 * </ul>
 * Each group has {@code paths} (shard files, relative to the manifest) and {@code weights} (name, shape, dtype,
 * optional quantization). The group parsing below is the one both files share. Nothing here touches the shard files.
 *
 * @param file   the manifest file
 * @param kind   which of the two files it is
 * @param root   the model.json document (format/generatedBy/convertedBy); an empty object for a bare manifest
 * @param groups the weight groups in manifest order
 */
record TfjsManifest(Path file, Kind kind, JsonObject root, List<Group> groups) {

    /** The two files a manifest comes in. */
    enum Kind {
        /** {@code model.json}: the groups are the root object's {@code weightsManifest}. */
        MODEL_JSON("weightsManifest"),
        /** A bare {@code weights_manifest.json}: the groups are the root array. */
        WEIGHTS_MANIFEST("");

        private final String groupsKey;

        Kind(String groupsKey) {
            this.groupsKey = groupsKey;
        }

        /** How error messages name group {@code g}: {@code weightsManifest[g]} or {@code [g]}. */
        String groupKey(int g) {
            return groupsKey + "[" + g + "]";
        }
    }

    /** A group of weights whose bytes are concatenated, in order, across {@code paths}. */
    record Group(int index, String key, List<String> paths, List<Weight> weights) {}

    /**
     * One manifest entry.
     *
     * @param key          where it sits in the manifest, for error messages
     * @param stored       the dtype of the bytes in the shard (the quantization dtype when quantized)
     * @param quantization the quantization dtype, empty when stored as {@code dtype}
     */
    record Weight(
            String key,
            String name,
            long[] shape,
            TfjsDtype dtype,
            TfjsDtype stored,
            Optional<TfjsDtype> quantization) {}

    /** Parses {@code utf8} (already capped in size by the caller) as a {@code model.json}. */
    static TfjsManifest parse(Path file, byte[] utf8) {
        JsonValue parsed = json(file, utf8, "model.json");
        if (!(parsed instanceof JsonObject root)) {
            throw new CorruptModelException(file, 0, "model.json must be a JSON object, found " + parsed.typeName());
        }
        JsonValue manifest = root.get("weightsManifest")
                .orElseThrow(() -> new CorruptModelException(
                        file, "weightsManifest", "a TF.js model.json needs a weightsManifest array"));
        if (!(manifest instanceof JsonArray groupsJson)) {
            throw new CorruptModelException(
                    file, "weightsManifest", "expected an array of weight groups, found " + manifest.typeName());
        }
        return new TfjsManifest(file, Kind.MODEL_JSON, root, groups(file, Kind.MODEL_JSON, groupsJson));
    }

    /** Parses {@code utf8} (already capped in size by the caller) as a bare {@code weights_manifest.json}. */
    static TfjsManifest parseWeightsManifest(Path file, byte[] utf8) {
        JsonValue parsed = json(file, utf8, "weights manifest");
        if (!(parsed instanceof JsonArray groupsJson)) {
            throw new CorruptModelException(
                    file,
                    0,
                    "a TF.js weights manifest must be a JSON array of weight " + "groups, found " + parsed.typeName());
        }
        return new TfjsManifest(
                file,
                Kind.WEIGHTS_MANIFEST,
                new JsonObject(java.util.Map.of()),
                groups(file, Kind.WEIGHTS_MANIFEST, groupsJson));
    }

    /**
     * Whether {@code value} has the shape of a bare weights manifest: a non-empty array whose every element is an
     * object with {@code paths} and {@code weights} (a recogniser's test; {@link #parseWeightsManifest} validates).
     */
    static boolean looksLikeWeightsManifest(JsonValue value) {
        if (!(value instanceof JsonArray a) || a.size() == 0) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof JsonObject o) || !o.has("paths") || !o.has("weights")) {
                return false;
            }
        }
        return true;
    }

    private static JsonValue json(Path file, byte[] utf8, String what) {
        try {
            return Json.parse(utf8);
        } catch (JsonException e) {
            throw new CorruptModelException(
                    file, Math.max(0, e.offset()), what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static List<Group> groups(Path file, Kind kind, JsonArray groupsJson) {
        // The weights are counted before any is built: a manifest may not declare more than a model may hold.
        long entries = 0;
        for (int g = 0; g < groupsJson.size(); g++) {
            if (groupsJson.get(g) instanceof JsonObject o && o.members().get("weights") instanceof JsonArray w) {
                entries += w.size();
            }
        }
        if (entries > InventoryLimits.MAX_TENSORS) {
            throw new UnsupportedModelException(
                    file,
                    kind == Kind.MODEL_JSON ? "weightsManifest" : "[]",
                    entries + " weights; heft reads at most " + InventoryLimits.MAX_TENSORS + " per model");
        }
        List<Group> groups = new ArrayList<>(groupsJson.size());
        for (int g = 0; g < groupsJson.size(); g++) {
            groups.add(group(file, g, kind.groupKey(g), groupsJson.get(g)));
        }
        return groups;
    }

    private static Group group(Path file, int g, String key, JsonValue value) {
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
        return new Group(g, key, paths, weights);
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
                throw new CorruptModelException(
                        file,
                        key + ".shape[" + i + "]",
                        "expected a non-negative integer " + "dimension that fits in 64 bits, found "
                                + shapeJson.get(i));
            }
            shape[i] = d;
        }
        String dtypeName = string(file, key + ".dtype", w.get("dtype").orElse(null));
        TfjsDtype dtype = TfjsDtype.weight(dtypeName)
                .orElseThrow(() -> new UnsupportedModelException(
                        file,
                        key + ".dtype",
                        "weight '" + name + "' has dtype '" + dtypeName + "'; TF.js manifests name float32, "
                                + "int32, bool, string or complex64"));
        Optional<TfjsDtype> quant = Optional.empty();
        if (w.has("quantization")) {
            JsonObject q =
                    object(file, key + ".quantization", w.get("quantization").get());
            String qName =
                    string(file, key + ".quantization.dtype", q.get("dtype").orElse(null));
            quant = Optional.of(TfjsDtype.quantization(qName)
                    .orElseThrow(() -> new UnsupportedModelException(
                            file,
                            key + ".quantization.dtype",
                            "weight '" + name + "' is quantized as '" + qName
                                    + "'; TF.js quantizes to uint8, uint16 or float16")));
            // tfjs-core io_utils.ts decodeWeights dequantizes float32 and int32 entries only (float16: float32 only).
            if (dtype != TfjsDtype.FLOAT32 && dtype != TfjsDtype.INT32
                    || dtype == TfjsDtype.INT32 && quant.get() == TfjsDtype.FLOAT16) {
                throw new UnsupportedModelException(
                        file,
                        key + ".quantization",
                        "weight '" + name + "' of dtype '"
                                + dtypeName + "' is quantized as '" + qName
                                + "'; TF.js dequantizes float32 (uint8, uint16, "
                                + "float16) and int32 (uint8, uint16) weights only");
            }
            // uint8/uint16 are affine: value = q * scale + min (io_utils.ts decodeWeight). tfjs-converter writes
            // {scale, min}; a {min, max} range states the same mapping. Neither: the weights cannot be dequantized.
            if (quant.get() != TfjsDtype.FLOAT16
                    && !(number(q, "scale") && number(q, "min"))
                    && !(number(q, "min") && number(q, "max"))) {
                throw new CorruptModelException(
                        file,
                        key + ".quantization",
                        "weight '" + name + "' is quantized as '" + qName
                                + "' but has no numeric scale and min (or min and max) to dequantize it with");
            }
        }
        return new Weight(key, name, shape, dtype, quant.orElse(dtype), quant);
    }

    private static boolean number(JsonObject o, String key) {
        return o.get(key).orElse(null) instanceof JsonValue.JsonNumber;
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
        throw new CorruptModelException(
                file,
                key,
                "expected an array, found " + v.map(JsonValue::typeName).orElse("nothing"));
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
