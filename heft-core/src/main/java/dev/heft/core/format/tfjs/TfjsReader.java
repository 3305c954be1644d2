package dev.heft.core.format.tfjs;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.ModelReader;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a TF.js model from its weights manifest, without reading weight data: a {@code model.json} (topology plus
 * {@code weightsManifest}) or a bare {@code weights_manifest.json} (the array of groups alone, as tfjs-converter's
 * {@code write_weights} and face-api.js ship it); both parse through {@link TfjsManifest}, shards beside the file.
 *
 * <p>Layout (tfjs-core {@code io/weights_loader.ts}): within a group, the weights' bytes are concatenated in manifest
 * order and the result is cut into the group's shard files (tfjs-converter cuts at 4 MiB, so a weight may start in one
 * shard and end in the next). Each weight's offset is therefore its position in the concatenation, located in the
 * shard where it starts; a weight that crosses a shard boundary is noted. The shards' total size is checked against
 * the manifest: fewer bytes than the weights need is corrupt; more is noted (the loader ignores the tail).
 *
 * <p>Roles: float32/complex64 weights are {@link TensorRole#WEIGHT}; unquantized int32 and bool entries (graph
 * models' shape and axis constants) are {@link TensorRole#CONSTANT}. A quantized float32 weight (tfjs-converter
 * {@code --quantize_*}) is a WEIGHT whose parameters are its elements (tfjs-core dequantizes it to float32) and whose
 * stored dtype and bytes are the quantization dtype's; the per-weight {@code scale}/{@code min} are two floats in the
 * JSON, not in the shards. A quantized int32 entry dequantizes to int32: a CONSTANT like any int32 entry. String
 * entries are CONSTANTs sized by walking their 4-byte length prefixes (tfjs-core {@code io_utils.ts}
 * {@code getWeightBytelength}), the only shard bytes heft reads.
 */
public final class TfjsReader implements ModelReader {
    /** model.json holds the topology and manifest; converted graph models reach a few MiB. */
    public static final long MAX_MODEL_JSON_BYTES = 64L << 20;

    public static final String METADATA_PREFIX = "tfjs.";

    @Override
    public ModelFormat format() {
        return ModelFormat.TFJS;
    }

    /**
     * A JSON object with a top-level {@code weightsManifest}, or a JSON array of {@code {paths, weights}} groups
     * (content, not the file name, decides).
     */
    @Override
    public boolean recognises(byte[] head, Path path) throws IOException {
        int first = firstNonBlank(head);
        if (first == '{') {
            return isModelJson(path);
        }
        return first == '[' && isWeightsManifest(path);
    }

    /** Whether {@code file} is a bare TF.js weights manifest (false for anything unparseable). */
    public static boolean isWeightsManifest(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_MODEL_JSON_BYTES) {
            return false;
        }
        try {
            return TfjsManifest.looksLikeWeightsManifest(Json.parse(Files.readAllBytes(file)));
        } catch (JsonException e) {
            return false;
        }
    }

    /** Whether {@code file} is a JSON object with a {@code weightsManifest} key (false for anything unparseable). */
    public static boolean isModelJson(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_MODEL_JSON_BYTES) {
            return false;
        }
        try {
            return Json.parse(Files.readAllBytes(file)) instanceof JsonValue.JsonObject o && o.has("weightsManifest");
        } catch (JsonException e) {
            return false;
        }
    }

    /** Reads {@code path}: a model.json or weights manifest, or a folder holding a model.json. */
    @Override
    public TensorInventory read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("model.json") : path;
        long size = Files.size(file);
        CorruptModelException.verify(
                size <= MAX_MODEL_JSON_BYTES,
                file,
                0,
                "TF.js manifest of " + size + " bytes is larger than the " + MAX_MODEL_JSON_BYTES
                        + "-byte limit heft reads");
        return read(file, Files.readAllBytes(file));
    }

    /**
     * Reads a model.json or a bare weights manifest whose bytes the caller already has (the shards it names are found
     * beside {@code file}).
     */
    public TensorInventory read(Path file, byte[] utf8) throws IOException {
        CorruptModelException.verify(
                utf8.length <= MAX_MODEL_JSON_BYTES,
                file,
                0,
                "TF.js manifest of " + utf8.length + " bytes is larger than the " + MAX_MODEL_JSON_BYTES
                        + "-byte limit heft reads");
        TfjsManifest manifest = firstNonBlank(utf8) == '['
                ? TfjsManifest.parseWeightsManifest(file, utf8)
                : TfjsManifest.parse(file, utf8);
        Path folder = file.toAbsolutePath().getParent();

        List<Tensor> tensors = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int quantized = 0;
        int constants = 0;
        Set<Path> shardsSeen = new HashSet<>();
        for (TfjsManifest.Group group : manifest.groups()) {
            ShardSpan span = ShardSpan.of(file, folder, group, shardsSeen);
            files.addAll(span.shards());
            long cursor = 0;
            for (TfjsManifest.Weight w : group.weights()) {
                long elements;
                try {
                    elements = Shapes.elements(w.shape());
                } catch (ArithmeticException e) {
                    throw new CorruptModelException(
                            file,
                            w.key() + ".shape",
                            "weight '" + w.name() + "' has shape " + Shapes.format(w.shape())
                                    + ", whose size overflows 64 bits");
                }
                long bytes = w.stored().variableLength()
                        ? stringBytes(file, span, group, w, elements, cursor)
                        : multiply(file, w, elements, w.stored().bytesPerElement());
                if (bytes > span.totalBytes() - cursor) {
                    throw new CorruptModelException(
                            file,
                            w.key(),
                            "weight '" + w.name() + "' needs " + bytes
                                    + " bytes from byte " + cursor + " of group " + group.index()
                                    + " but its " + span.shards().size() + " shard file(s) hold only "
                                    + span.totalBytes()
                                    + " bytes");
                }
                ShardSpan.Location at = span.locate(cursor, bytes);
                if (at.crossesShards()) {
                    notes.add("weight '" + w.name() + "' starts in " + at.file().getFileName()
                            + " and continues into the next shard (tfjs-converter cuts shards at fixed sizes)");
                }
                // Only float entries are parameters: int32 (quantized or not), bool and string are graph constants.
                boolean constant =
                        w.dtype() == TfjsDtype.INT32 || w.dtype() == TfjsDtype.BOOL || w.dtype() == TfjsDtype.STRING;
                Tensor t = Tensor.weight(w.name(), w.shape(), w.stored().dtype(), at.offset(), bytes, at.file());
                tensors.add(constant ? t.withRole(TensorRole.CONSTANT) : t);
                constants += constant ? 1 : 0;
                quantized += w.quantization().isPresent() ? 1 : 0;
                cursor += bytes;
            }
            if (cursor < span.totalBytes()) {
                notes.add("group " + group.index() + ": shard files hold " + span.totalBytes() + " bytes but the "
                        + "manifest's weights use " + cursor + "; the loader ignores the remaining "
                        + (span.totalBytes() - cursor));
            }
        }
        if (quantized > 0) {
            notes.add(quantized + " weight(s) stored quantized (tfjs-converter --quantize); parameters count their "
                    + "elements (tfjs-core dequantizes float32 weights to float32), bytes are the stored quantized "
                    + "bytes; uint8/uint16 ones carry a scale and min in " + file.getFileName());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String key : List.of("format", "generatedBy", "convertedBy")) {
            JsonValue v = manifest.root().members().get(key);
            if (v instanceof JsonValue.JsonString s) {
                metadata.put(METADATA_PREFIX + key, s.value());
            }
        }
        metadata.put(
                METADATA_PREFIX + "manifest",
                manifest.kind() == TfjsManifest.Kind.MODEL_JSON ? "model.json" : "weights manifest");
        metadata.put(METADATA_PREFIX + "weight_groups", (long) manifest.groups().size());
        metadata.put(METADATA_PREFIX + "quantized_weights", (long) quantized);
        metadata.put(METADATA_PREFIX + "constant_entries", (long) constants);
        List<Path> allFiles = new ArrayList<>();
        allFiles.add(file);
        allFiles.addAll(files);
        return new TensorInventory(ModelFormat.TFJS, allFiles, tensors, metadata, Optional.empty(), notes);
    }

    private static long multiply(Path file, TfjsManifest.Weight w, long elements, int bytesPerElement) {
        try {
            return Math.multiplyExact(elements, bytesPerElement);
        } catch (ArithmeticException e) {
            throw new CorruptModelException(
                    file,
                    w.key() + ".shape",
                    "weight '" + w.name() + "' has shape " + Shapes.format(w.shape())
                            + ", whose size overflows 64 bits");
        }
    }

    /**
     * A string entry's bytes: each element is a uint32 little-endian length then that many bytes (tfjs-core
     * {@code io_utils.ts getWeightBytelength}). Every element takes at least 4 bytes, so a count the group's shards
     * cannot hold is refused before any prefix is read; the walk then reads one prefix per element.
     */
    private static long stringBytes(
            Path file, ShardSpan span, TfjsManifest.Group group, TfjsManifest.Weight w, long elements, long cursor)
            throws IOException {
        long remaining = span.totalBytes() - cursor;
        if (elements > remaining / 4) {
            throw new CorruptModelException(
                    file,
                    w.key(),
                    "string weight '" + w.name() + "' has " + elements
                            + " elements of at least 4 bytes each, but only " + remaining + " bytes of group "
                            + group.index() + " remain");
        }
        long bytes = 0;
        for (long i = 0; i < elements; i++) {
            CorruptModelException.verify(
                    remaining - bytes >= 4,
                    file,
                    cursor + bytes,
                    "string weight '" + w.name() + "': element " + i + "'s 4-byte length runs past the end of group "
                            + group.index() + "'s shards");
            long length = span.u32At(cursor + bytes);
            bytes += 4;
            CorruptModelException.verify(
                    length <= remaining - bytes,
                    file,
                    cursor + bytes,
                    "string weight '"
                            + w.name() + "': element " + i + " declares " + length + " bytes but only "
                            + (remaining - bytes)
                            + " remain in group " + group.index() + "'s shards");
            bytes += length;
        }
        return bytes;
    }

    private static int firstNonBlank(byte[] head) {
        for (byte b : head) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
        }
        return -1;
    }
}
