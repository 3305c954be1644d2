package dev.heft.core.tensor;

import dev.heft.core.json.JsonValue.JsonObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model file (or a set of shards read as one model) stores: every tensor, the file-level metadata, and the
 * model's {@code config.json} when one sits beside the weights. Every reader produces this same shape; nothing
 * downstream (classification, reports, memory planning) knows which format it came from.
 *
 * @param format   the file format
 * @param files    the files read, in order (one, or every shard / split)
 * @param tensors  every stored tensor, in file order
 * @param metadata file-level metadata in file order. Values are String, Long, Double, Boolean, List of those, or
 *                 {@link MetadataArray} for long arrays (GGUF vocabularies) summarised rather than kept whole
 * @param config   the config.json found beside the weights, if any
 * @param notes    facts the reader noticed that a user should see (tied head dropped, fallback types, ...)
 */
public record TensorInventory(
        ModelFormat format,
        List<Path> files,
        List<Tensor> tensors,
        Map<String, Object> metadata,
        Optional<JsonObject> config,
        List<String> notes) {

    /**
     * Metadata key of an optional {@code Map<String, String>}: another name a tensor is known by, for formats whose
     * stored names are generated (ONNX initializers like {@code val_100_Q4}) while the graph knows the module path the
     * weight came from. The classifier uses the alias where the stored name says nothing.
     */
    public static final String ALIASES_KEY = "heft.tensor_aliases";

    public TensorInventory {
        files = List.copyOf(files);
        tensors = CheckedTensors.of(files, tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        notes = List.copyOf(notes);
    }

    public TensorInventory(ModelFormat format, List<Path> files, List<Tensor> tensors, Map<String, Object> metadata) {
        this(format, files, tensors, metadata, Optional.empty(), List.of());
    }

    /** Logical parameters: WEIGHT tensors only, each stored tensor once (at most {@link InventoryLimits#MAX_TOTAL}). */
    public long parameters() {
        return ((CheckedTensors) tensors).parameters(); // summed when the list was checked
    }

    /** Stored bytes of every tensor of every role. */
    public long tensorBytes() {
        return ((CheckedTensors) tensors).bytes(); // summed when the list was checked
    }

    public Optional<Tensor> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public TensorInventory withConfig(JsonObject cfg) {
        return new TensorInventory(format, files, tensors, metadata, Optional.ofNullable(cfg), notes);
    }

    public TensorInventory withNotes(List<String> more) {
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new TensorInventory(format, files, tensors, metadata, config, all);
    }

    public TensorInventory withTensors(List<Tensor> newTensors) {
        return new TensorInventory(format, files, newTensors, metadata, config, notes);
    }

    /** A long metadata array kept as its element type, length and first few values. */
    public record MetadataArray(String elementType, long length, List<Object> head) {
        public MetadataArray {
            head = List.copyOf(head);
        }
    }
}
