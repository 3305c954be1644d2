package dev.heft.core.format.safetensors;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.ConfigJson;
import dev.heft.core.format.ModelReader;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads safetensors checkpoints, header only: a single file, a sharded checkpoint through its index, or a folder.
 *
 * <p>Every tensor becomes a {@link dev.heft.core.tensor.TensorRole#WEIGHT} whose parameters are its elements (the
 * format stores no roles; the classifier decides what is overhead), with its absolute offset {@code 8 + N + begin}.
 * Inventory metadata holds the {@code __metadata__} strings and, for an index, its {@code metadata} entries prefixed
 * {@value #INDEX_METADATA_PREFIX} (for example {@code index.total_size}). A {@code config.json} beside the weights is
 * attached.
 */
public final class SafetensorsReader implements ModelReader {
    /** Prefix for the index's own metadata entries in {@link TensorInventory#metadata()}. */
    public static final String INDEX_METADATA_PREFIX = "index.";

    @Override
    public ModelFormat format() {
        return ModelFormat.SAFETENSORS;
    }

    /**
     * A safetensors file: a little-endian u64 header length within the reference's cap, then {@code '{'}. An index
     * is JSON with no magic of its own, so it is recognised by its name plus a leading {@code '{'}.
     */
    @Override
    public boolean recognises(byte[] head, Path path) {
        if (head.length >= 9 && head[8] == '{') {
            long n = 0;
            for (int i = 7; i >= 0; i--) {
                n = (n << 8) | (head[i] & 0xff);
            }
            if (n >= 2 && n <= HeaderReader.MAX_HEADER_BYTES) {
                return true;
            }
        }
        return isIndexName(path) && head.length > 0 && firstNonBlank(head) == '{';
    }

    /** Reads a {@code .safetensors} file, a {@code *.safetensors.index.json} index, or a folder. */
    @Override
    public TensorInventory read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return readDirectory(path);
        }
        if (isIndexName(path)) {
            return readIndex(path);
        }
        return withConfig(
                fromHeaders(List.of(HeaderReader.read(path)), List.of()),
                path.toAbsolutePath().getParent());
    }

    /** Reads the model in {@code dir} as {@link CheckpointLayout#of} finds it. */
    public static TensorInventory readDirectory(Path dir) throws IOException {
        CheckpointLayout layout = CheckpointLayout.of(dir);
        TensorInventory inventory = switch (layout) {
            case CheckpointLayout.Single s -> fromHeaders(List.of(HeaderReader.read(s.file())), List.of());
            case CheckpointLayout.Indexed i -> fromIndex(IndexColumns.read(i.index()));
            case CheckpointLayout.Loose l -> fromLoose(l.files());
        };
        return withConfig(inventory, dir);
    }

    /** Reads every shard an index names and checks the index against them. */
    public static TensorInventory readIndex(Path index) throws IOException {
        return withConfig(
                fromIndex(IndexColumns.read(index)), index.toAbsolutePath().getParent());
    }

    /** Reads every shard an index already read names, and checks the index against them. */
    public static TensorInventory readIndex(ShardIndex index) throws IOException {
        return withConfig(
                fromIndex(IndexColumns.of(index)), index.file().toAbsolutePath().getParent());
    }

    /** Reads several files as one model (no index): a tensor stored twice is an error. */
    public static TensorInventory readFiles(List<Path> files) throws IOException {
        return fromLoose(files);
    }

    private static TensorInventory fromLoose(List<Path> files) throws IOException {
        return fromHeaders(ParallelHeaders.read(files));
    }

    /**
     * One model from the headers of one file, or of several files with no index (a tensor stored twice is an error),
     * however they were read.
     */
    public static TensorInventory fromHeaders(List<SafetensorsHeader> headers) {
        Map<String, Path> seen = new HashMap<>();
        for (SafetensorsHeader h : headers) {
            for (Tensor t : h.tensors()) {
                Path first = seen.putIfAbsent(t.name(), h.file());
                if (first != null) {
                    throw new CorruptModelException(
                            h.file(),
                            t.name(),
                            "tensor is also stored in " + first.getFileName()
                                    + "; files read as one model must not repeat a tensor");
                }
            }
        }
        List<String> notes = headers.size() > 1
                ? List.of("read " + headers.size() + " safetensors files without an index as one model")
                : List.of();
        return fromHeaders(headers, notes);
    }

    /** The local path: the shards the index names (each must exist), read, then checked against the index. */
    private static TensorInventory fromIndex(IndexColumns index) throws IOException {
        return fromIndex(index, ParallelHeaders.read(index.shardPaths(), index));
    }

    /**
     * One model from an index and the headers of its shards (one per {@link IndexColumns#shards()}, in that order),
     * however they were read (files, or header bytes fetched over HTTP): every tensor must be where the index says.
     */
    public static TensorInventory fromIndex(IndexColumns index, List<SafetensorsHeader> headers) {
        index.check(headers);
        return withIndexFacts(headers, index.file(), index.metadata(), index.totalSize(), index.totalParameters());
    }

    /** The shards' inventory with the index's metadata and notes on what the index declares against what is stored. */
    private static TensorInventory withIndexFacts(
            List<SafetensorsHeader> headers,
            Path indexFile,
            Map<String, Object> indexMetadata,
            OptionalLong declared,
            OptionalLong declaredParams) {
        TensorInventory inventory = fromHeaders(headers, List.of());
        Map<String, Object> metadata = new LinkedHashMap<>(inventory.metadata());
        indexMetadata.forEach((k, v) -> metadata.put(INDEX_METADATA_PREFIX + k, v));
        List<String> notes = new ArrayList<>(inventory.notes());
        notes.add("sharded checkpoint: " + headers.size() + " shards named by " + indexFile.getFileName());
        if (declared.isPresent() && declared.getAsLong() != inventory.tensorBytes()) {
            notes.add("index metadata.total_size says " + declared.getAsLong() + " bytes but the shards hold "
                    + inventory.tensorBytes() + " bytes of tensors");
        }
        if (declaredParams.isPresent() && declaredParams.getAsLong() != inventory.parameters()) {
            notes.add("index metadata.total_parameters says " + declaredParams.getAsLong() + " but the shards hold "
                    + inventory.parameters() + " elements");
        }
        return new TensorInventory(
                ModelFormat.SAFETENSORS, inventory.files(), inventory.tensors(), metadata, Optional.empty(), notes);
    }

    /** Concatenates headers in the given order; {@code __metadata__} entries are merged, first value kept. */
    private static TensorInventory fromHeaders(List<SafetensorsHeader> headers, List<String> notes) {
        List<Path> files = new ArrayList<>(headers.size());
        int count = 0;
        for (SafetensorsHeader h : headers) {
            count += h.tensors().size();
        }
        List<Tensor> tensors = new ArrayList<>(count); // sized once: 45k tensors regrew it a dozen times
        Map<String, Object> metadata = new LinkedHashMap<>();
        List<String> allNotes = new ArrayList<>(notes);
        for (SafetensorsHeader h : headers) {
            files.add(h.file());
            tensors.addAll(h.tensors());
            for (Map.Entry<String, String> m : h.metadata().entrySet()) {
                Object previous = metadata.putIfAbsent(m.getKey(), m.getValue());
                if (previous != null && !previous.equals(m.getValue())) {
                    allNotes.add("__metadata__ '" + m.getKey() + "' differs between files: '" + previous + "' kept, "
                            + h.file().getFileName() + " says '" + m.getValue() + "'");
                }
            }
        }
        return new TensorInventory(ModelFormat.SAFETENSORS, files, tensors, metadata, Optional.empty(), allNotes);
    }

    /** Attaches {@code folder/config.json} when there is one, by the one config policy ({@link ConfigJson}). */
    private static TensorInventory withConfig(TensorInventory inventory, Path folder) throws IOException {
        return ConfigJson.attach(inventory, folder);
    }

    private static boolean isIndexName(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().endsWith(ShardIndex.SUFFIX);
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
