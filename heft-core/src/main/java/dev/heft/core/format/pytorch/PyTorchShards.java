package dev.heft.core.format.pytorch;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.Formats;
import dev.heft.core.format.io.ModelFolder;
import dev.heft.core.format.safetensors.ShardIndex;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
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
 * A sharded PyTorch checkpoint ({@code pytorch_model.bin.index.json} + {@code pytorch_model-0000i-of-0000N.bin}) read
 * as one model. The index has the same shape as safetensors' ({@code weight_map} tensor -> shard, {@code metadata}
 * with {@code total_size}), so {@link ShardIndex} reads it, with the same rule that shard names are plain file names in
 * the index's folder. Each shard is read by the reader its magic bytes select (zip or legacy).
 */
public final class PyTorchShards {
    public static final String STANDARD_NAME = "pytorch_model.bin.index.json";

    private PyTorchShards() {}

    public static TensorInventory read(Path indexFile) throws IOException {
        ShardIndex index = ShardIndex.read(indexFile);
        List<TensorInventory> parts = new ArrayList<>();
        for (String shard : index.shardNames()) {
            Path p = ModelFolder.resolve(indexFile, "weight_map", index.folder(), shard);
            if (!Files.isRegularFile(p)) {
                throw new CorruptModelException(
                        indexFile,
                        "weight_map",
                        "shard '" + shard + "' named by the index " + "is missing from " + index.folder());
            }
            parts.add(Formats.require(p).read(p));
        }
        return fromParts(indexFile, index, parts);
    }

    /**
     * One model from the index and its shards, already read (from files, or over HTTP), in the order of
     * {@link ShardIndex#shardNames()}: no tensor in two shards, every tensor the index names in its shard.
     */
    public static TensorInventory fromParts(Path indexFile, ShardIndex index, List<TensorInventory> parts) {
        if (parts.size() != index.shardNames().size()) {
            throw new IllegalArgumentException("one part per shard the index names");
        }
        List<Tensor> tensors = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        ModelFormat format = ModelFormat.PYTORCH;
        Set<String> seen = new HashSet<>();
        for (TensorInventory part : parts) {
            Path p = part.files().getFirst();
            format = part.format();
            files.add(p);
            if (metadata.isEmpty()) {
                metadata.putAll(part.metadata());
            }
            for (Tensor t : part.tensors()) {
                if (!seen.add(t.name())) {
                    throw new CorruptModelException(p, t.name(), "tensor also stored in another shard");
                }
                tensors.add(t);
            }
            notes.addAll(part.notes());
        }
        for (String name : index.weightMap().keySet()) {
            if (!seen.contains(name)) {
                throw new CorruptModelException(
                        indexFile,
                        name,
                        "the index maps this tensor to '" + index.weightMap().get(name)
                                + "' but that shard does not hold it");
            }
        }
        index.totalSize().ifPresent(total -> {
            long sum = tensors.stream().mapToLong(Tensor::bytes).sum();
            if (sum != total) {
                notes.add("index total_size " + total + " differs from the " + sum + " bytes the shards hold");
            }
        });
        index.metadata().forEach((k, v) -> metadata.put("index." + k, v));
        return new TensorInventory(format, files, tensors, metadata, Optional.empty(), notes);
    }
}
