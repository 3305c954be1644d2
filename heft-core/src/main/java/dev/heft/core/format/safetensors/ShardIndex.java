package dev.heft.core.format.safetensors;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonBoolean;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * A sharded checkpoint's index, {@code model.safetensors.index.json} as transformers' {@code save_pretrained} writes
 * it: {@code {"metadata": {"total_size": <bytes>, ...}, "weight_map": {"<tensor>": "<shard file>", ...}}}.
 *
 * <p>Shard names are trusted only as plain file names in the index's own folder: an index is often downloaded from
 * strangers, and {@code "../../.ssh/id_rsa"} must not make heft open files elsewhere.
 *
 * @param file      the index file
 * @param weightMap tensor name to shard file name, in index order
 * @param metadata  the index's {@code metadata} object (numbers as Long or Double, strings, booleans)
 */
public record ShardIndex(Path file, Map<String, String> weightMap, Map<String, Object> metadata) {
    /** Index files are small (a few hundred KiB for 1,000-tensor models); the header cap bounds a hostile one. */
    public static final long MAX_INDEX_BYTES = HeaderReader.MAX_HEADER_BYTES;
    /** The file name transformers uses ({@code SAFE_WEIGHTS_INDEX_NAME}). */
    public static final String STANDARD_NAME = "model.safetensors.index.json";
    /** What every safetensors index name ends with (diffusers: {@code diffusion_pytorch_model.safetensors.index.json}). */
    public static final String SUFFIX = ".safetensors.index.json";

    public ShardIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public static ShardIndex read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_INDEX_BYTES) {
            throw new CorruptModelException(
                    file,
                    0,
                    "index of " + size + " bytes is larger than the " + MAX_INDEX_BYTES + "-byte limit heft reads");
        }
        return parse(file, Files.readAllBytes(file));
    }

    /** Parses index bytes read from anywhere (a file, an HTTP answer); {@code file} names them in errors. */
    public static ShardIndex parse(Path file, byte[] bytes) {
        JsonValue root = JsonText.parse(file, 0, bytes, "index");
        if (!(root instanceof JsonObject object)) {
            throw new CorruptModelException(file, 0, "index must be a JSON object, found " + root.typeName());
        }
        JsonValue map = object.members().get("weight_map");
        if (!(map instanceof JsonObject weights)) {
            throw new CorruptModelException(
                    file,
                    "weight_map",
                    map == null
                            ? "index has no weight_map (tensor name -> shard file)"
                            : "weight_map must be an object, found " + map.typeName());
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : weights.members().entrySet()) {
            if (!(e.getValue() instanceof JsonString shard)) {
                throw new CorruptModelException(
                        file,
                        e.getKey(),
                        "weight_map values must be shard file names, found "
                                + e.getValue().typeName());
            }
            requirePlainFileName(file, e.getKey(), shard.value());
            weightMap.put(e.getKey(), shard.value());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        JsonValue meta = object.members().get("metadata");
        if (meta instanceof JsonObject m) {
            for (Map.Entry<String, JsonValue> e : m.members().entrySet()) {
                Object v = scalar(e.getValue());
                if (v != null) {
                    metadata.put(e.getKey(), v);
                }
            }
        } else if (meta != null && !(meta instanceof JsonValue.JsonNull)) {
            throw new CorruptModelException(file, "metadata", "metadata must be an object, found " + meta.typeName());
        }
        return new ShardIndex(file, weightMap, metadata);
    }

    /** {@code metadata.total_size}: the bytes of every tensor in every shard, as the writer counted them. */
    public OptionalLong totalSize() {
        return metadata.get("total_size") instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    /** {@code metadata.total_parameters}, written by transformers 5 and later. */
    public OptionalLong totalParameters() {
        return metadata.get("total_parameters") instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    /** The distinct shard file names, sorted (model-00001-of-00191 ... in order). */
    public List<String> shardNames() {
        return List.copyOf(new TreeSet<>(weightMap.values()));
    }

    /** The folder the shards must sit in. */
    public Path folder() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /**
     * Refuses anything but a plain file name: no separators of either OS, no {@code .} or {@code ..}, no drive
     * prefix, no NUL, not empty.
     */
    static void requirePlainFileName(Path index, String tensor, String name) {
        if (!isPlainFileName(name)) {
            throw new CorruptModelException(
                    index,
                    tensor,
                    "shard name '" + name.replace("\0", "\\0")
                            + "' must be a plain file name in the index's folder (no path separators, '..' or drive)");
        }
    }

    /** Not empty, not {@code .} or {@code ..}, and no separator of either OS, drive prefix or NUL. */
    static boolean isPlainFileName(String name) {
        return !name.isEmpty()
                && !name.equals(".")
                && !name.equals("..")
                && name.indexOf('/') < 0
                && name.indexOf('\\') < 0
                && name.indexOf(':') < 0
                && name.indexOf('\0') < 0;
    }

    private static Object scalar(JsonValue v) {
        return switch (v) {
            case JsonString s -> s.value();
            case JsonBoolean b -> b.value();
            case JsonNumber n -> {
                long l = JsonText.nonNegativeLong(n);
                yield l >= 0 ? (Object) l : (Object) n.value().doubleValue();
            }
            default -> null; // nested objects/arrays/null: nothing a report shows
        };
    }
}
