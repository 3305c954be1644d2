package dev.heft.core.format.pytorch;

import dev.heft.core.tensor.InventoryLimits;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a PyTorch checkpoint holds, with views and storages kept apart: every tensor (with its view bytes and its
 * attributed stored bytes), every storage once, the scalar entries beside the tensors, and what heft noticed.
 *
 * @param format     zip, legacy or TorchScript
 * @param file       the file read
 * @param tensors    tensors in pickle order
 * @param storages   storages by key, each once
 * @param entries    scalar entries outside the model weights ({@code step}, {@code lr}, optimizer hyperparameters),
 *                   by dotted path; values are Long, Double, Boolean or String
 * @param modelKey   the entry that held the model weights in a nested checkpoint ({@code model}, {@code state_dict}),
 *                   or empty when the whole file is the state dict
 * @param archive    archive facts ({@code byteorder}, {@code version}, legacy {@code protocol_version})
 * @param notes      facts a user should see
 */
public record TorchCheckpoint(
        ModelFormat format,
        Path file,
        List<TorchTensor> tensors,
        Map<String, TorchStorage> storages,
        Map<String, Object> entries,
        Optional<String> modelKey,
        Map<String, Object> archive,
        List<String> notes) {

    public TorchCheckpoint {
        tensors = List.copyOf(tensors);
        storages = Collections.unmodifiableMap(new LinkedHashMap<>(storages));
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        archive = Collections.unmodifiableMap(new LinkedHashMap<>(archive));
        notes = List.copyOf(notes);
    }

    /** Bytes of every storage, each once: the tensor data the file really holds. */
    public long uniqueStorageBytes() {
        long n = 0;
        for (TorchStorage s : storages.values()) {
            n = Math.addExact(n, s.bytes());
        }
        return n;
    }

    /** Elements of every storage, each once, counted in each storage's element type. */
    public long uniqueStorageElements() {
        long n = 0;
        for (TorchStorage s : storages.values()) {
            n = Math.addExact(n, s.numel());
        }
        return n;
    }

    /** Sum of every tensor's own view bytes (counts shared storage once per view). */
    public long viewBytes() {
        long n = 0;
        for (TorchTensor t : tensors) {
            n = Math.addExact(n, t.viewBytes());
        }
        return n;
    }

    public List<TorchTensor> tensors(CheckpointSection section) {
        return tensors.stream().filter(t -> t.section() == section).toList();
    }

    public Optional<TorchTensor> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The format-neutral inventory. Each {@link Tensor}'s {@code bytes} is its attributed stored bytes (so
     * {@link TensorInventory#tensorBytes()} is the real tensor data) and its {@code offset} the view's first element;
     * metadata keys {@code pytorch.*} carry the view and unique-storage totals and the scalar entries.
     */
    public TensorInventory toInventory() {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (TorchTensor t : tensors) {
            out.add(new Tensor(
                    t.name(),
                    t.view().shape(),
                    t.view().dtype(),
                    t.role(),
                    t.parameters(),
                    t.fileOffset(),
                    t.storedBytes(),
                    file));
        }
        // Before the view-byte total: views of a stride-0 (expand()ed) storage can declare any number of elements.
        InventoryLimits.check(List.of(file), out);
        Map<String, Object> meta = new LinkedHashMap<>();
        archive.forEach((k, v) -> meta.put("pytorch." + k, v));
        meta.put("pytorch.storage_count", (long) storages.size());
        meta.put("pytorch.unique_storage_bytes", uniqueStorageBytes());
        meta.put("pytorch.unique_storage_elements", uniqueStorageElements());
        meta.put("pytorch.view_bytes", viewBytes());
        modelKey.ifPresent(k -> meta.put("pytorch.model_key", k));
        entries.forEach((k, v) -> meta.put("pytorch.entry." + k, v));
        return new TensorInventory(format, List.of(file), out, meta, Optional.empty(), notes);
    }
}
