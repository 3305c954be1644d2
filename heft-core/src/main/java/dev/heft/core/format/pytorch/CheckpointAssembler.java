package dev.heft.core.format.pytorch;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.pickle.PickleValue.TensorView;
import dev.heft.core.format.pytorch.CheckpointWalker.Found;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.TensorRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the tensors a walk found into {@link TorchTensor}s over located storages: checks that every view lies
 * inside its storage, attributes each storage's bytes once, counts each storage's elements as parameters at most
 * once, finds exact aliases (tied weights), refines roles, and writes the notes that explain shared storage and
 * nested checkpoints.
 */
final class CheckpointAssembler {
    private static final int NAMES_IN_NOTE = 5;

    private CheckpointAssembler() {}

    static TorchCheckpoint assemble(
            ModelFormat format,
            Path file,
            List<Found> found,
            Map<String, TorchStorage> storages,
            CheckpointWalker.Result walk,
            Map<String, Object> archive,
            List<String> extraNotes) {
        List<TorchTensor> tensors = new ArrayList<>(found.size());
        Map<String, String> firstViewer = new LinkedHashMap<>();
        Map<String, List<String>> sharers = new LinkedHashMap<>();
        Map<String, String> aliasKeys = new HashMap<>();
        Map<String, Long> unclaimed = new HashMap<>();
        List<String> partlyCounted = new ArrayList<>();
        List<String> notes = new ArrayList<>(extraNotes);
        List<String> aliasNotes = new ArrayList<>();
        for (Found f : found) {
            TensorView v = f.view();
            TorchStorage s = storages.get(v.storage().key());
            if (s == null) {
                throw new CorruptModelException(
                        file,
                        f.name(),
                        "tensor refers to storage '" + v.storage().key() + "' that the file does not hold");
            }
            long elements;
            long viewBytes;
            long byteStart;
            try {
                elements = Shapes.elements(v.shape());
                viewBytes = v.dtype().bytesFor(elements);
                byteStart = Math.addExact(
                        Math.multiplyExact(v.storage().elementBase(), elementSize(s.dtype())),
                        Math.multiplyExact(v.storageOffset(), elementSize(v.dtype())));
                checkExtent(f.name(), v, s, elements, byteStart, file);
            } catch (ArithmeticException e) {
                throw new CorruptModelException(
                        file,
                        f.name(),
                        "tensor shape " + Arrays.toString(v.shape()) + " with stride " + Arrays.toString(v.stride())
                                + " overflows 64 bits");
            }
            String storageKey = s.key();
            long stored = 0;
            if (firstViewer.putIfAbsent(storageKey, f.name()) == null) {
                stored = s.bytes();
            } else {
                sharers.computeIfAbsent(storageKey, k -> new ArrayList<>()).add(f.name());
            }
            TensorRole role = role(f, v.dtype());
            String alias = null;
            if (role == TensorRole.WEIGHT) {
                String aliasKey = storageKey + "@" + byteStart + ":" + v.dtype() + Arrays.toString(v.shape())
                        + Arrays.toString(v.stride());
                alias = aliasKeys.putIfAbsent(aliasKey, f.name());
                if (alias != null) {
                    aliasNotes.add(f.name() + " is the same data as " + alias + " (tied weights: counted once)");
                }
            }
            long params = 0;
            if (role == TensorRole.WEIGHT && alias == null) {
                // a storage holds at most its own elements as parameters, however many views share it: views are
                // counted in file order until the storage is used up (w, w[2:5], w.t() over 60 floats count 60)
                long left = unclaimed.getOrDefault(storageKey, s.bytes());
                params = Math.min(elements, left / elementSize(v.dtype()));
                unclaimed.put(storageKey, left - params * elementSize(v.dtype()));
                if (params < elements) {
                    partlyCounted.add(f.name());
                }
            }
            tensors.add(new TorchTensor(
                    f.name(),
                    f.section(),
                    role,
                    v,
                    viewBytes,
                    s.offset() < 0 ? -1 : Math.addExact(s.offset(), byteStart),
                    stored,
                    params,
                    alias));
        }
        for (Map.Entry<String, List<String>> e : sharers.entrySet()) {
            List<String> names = e.getValue();
            notes.add(names.size() + " more tensor(s) view storage '" + e.getKey() + "' of "
                    + firstViewer.get(e.getKey()) + " (stored once; its bytes are counted with "
                    + firstViewer.get(e.getKey()) + "): "
                    + String.join(", ", names.subList(0, Math.min(NAMES_IN_NOTE, names.size())))
                    + (names.size() > NAMES_IN_NOTE ? ", ..." : ""));
        }
        if (!partlyCounted.isEmpty()) {
            notes.add(partlyCounted.size() + " weight view(s) share storage already counted as parameters by earlier "
                    + "tensors and add fewer or no parameters: "
                    + String.join(", ", partlyCounted.subList(0, Math.min(NAMES_IN_NOTE, partlyCounted.size())))
                    + (partlyCounted.size() > NAMES_IN_NOTE ? ", ..." : ""));
        }
        notes.addAll(aliasNotes.subList(0, Math.min(NAMES_IN_NOTE, aliasNotes.size())));
        if (aliasNotes.size() > NAMES_IN_NOTE) {
            notes.add((aliasNotes.size() - NAMES_IN_NOTE) + " more tied weights");
        }
        notes.addAll(layoutNotes(walk, tensors));
        Map<String, TorchStorage> used = new LinkedHashMap<>();
        for (String key : firstViewer.keySet()) {
            used.put(key, storages.get(key));
        }
        if (used.size() < storages.size()) {
            notes.add((storages.size() - used.size()) + " storage(s) in the file are not referenced by any tensor");
        }
        return new TorchCheckpoint(format, file, tensors, storages, walk.entries(), walk.modelKey(), archive, notes);
    }

    /**
     * A strided view touches elements {@code offset + sum(i_k * stride_k)} for {@code 0 <= i_k < size_k}: its last
     * byte is at {@code (offset + sum((size_k - 1) * stride_k) + 1) * element size}, which must lie in the storage.
     */
    private static void checkExtent(
            String name, TensorView v, TorchStorage s, long elements, long byteStart, Path file) {
        if (elements == 0) {
            return;
        }
        long[] shape = v.shape();
        long[] stride = v.stride();
        long last = 0;
        for (int i = 0; i < shape.length; i++) {
            last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
        }
        long end = Math.addExact(byteStart, Math.multiplyExact(Math.addExact(last, 1), elementSize(v.dtype())));
        long limit = s.bytes();
        if (v.storage().elementBase() > 0 || v.storage().numel() < s.numel()) {
            // a legacy view of a storage: the tensor must also stay inside the view
            limit = Math.min(
                    limit,
                    Math.multiplyExact(
                            Math.addExact(v.storage().elementBase(), v.storage().numel()), elementSize(s.dtype())));
        }
        if (end > limit) {
            throw new CorruptModelException(
                    file,
                    name,
                    "tensor " + Arrays.toString(shape) + " with stride "
                            + Arrays.toString(stride) + " at element " + v.storageOffset() + " reaches byte " + end
                            + " of storage '" + s.key() + "', which holds " + limit + " bytes");
        }
    }

    private static long elementSize(DType d) {
        // every torch dtype is one element per block
        return d.blockBytes();
    }

    /**
     * The section decides the role; inside the model, integer and bool tensors (BatchNorm's num_batches_tracked,
     * position ids) and BatchNorm running statistics are registered buffers, not parameters.
     */
    private static TensorRole role(Found f, DType dtype) {
        TensorRole base = f.section().role();
        if (base != TensorRole.WEIGHT) {
            return base;
        }
        boolean numeric = dtype.category() == DType.Category.FLOAT || dtype.category() == DType.Category.COMPLEX;
        String n = f.name();
        if (!numeric || n.endsWith("running_mean") || n.endsWith("running_var") || n.endsWith("num_batches_tracked")) {
            return TensorRole.BUFFER;
        }
        return TensorRole.WEIGHT;
    }

    private static List<String> layoutNotes(CheckpointWalker.Result walk, List<TorchTensor> tensors) {
        List<String> notes = new ArrayList<>();
        if (walk.modelKey().isEmpty()
                && walk.topLevel().values().stream().noneMatch(s -> s == CheckpointSection.OPTIMIZER)) {
            return notes;
        }
        StringBuilder sb = new StringBuilder("checkpoint holds: ");
        List<String> parts = new ArrayList<>();
        walk.modelKey()
                .ifPresent(k -> parts.add("model weights under '" + k + "' ("
                        + tensors.stream()
                                .filter(t -> t.section() == CheckpointSection.MODEL)
                                .count() + " tensors)"));
        long optTensors = tensors.stream()
                .filter(t -> t.section() == CheckpointSection.OPTIMIZER)
                .count();
        long optBytes = tensors.stream()
                .filter(t -> t.section() == CheckpointSection.OPTIMIZER)
                .mapToLong(TorchTensor::storedBytes)
                .sum();
        if (optTensors > 0) {
            parts.add("optimizer state (" + optTensors + " tensors, " + optBytes + " bytes)");
        }
        long other = tensors.stream()
                .filter(t -> t.section() == CheckpointSection.OTHER)
                .count();
        if (other > 0) {
            parts.add(other + " other tensors (not parameters)");
        }
        List<String> scalars = new ArrayList<>();
        walk.entries().forEach((k, v) -> {
            if (!k.contains(".")) {
                scalars.add(k + " = " + v);
            }
        });
        if (!scalars.isEmpty()) {
            parts.add(String.join(", ", scalars));
        }
        sb.append(String.join("; ", parts));
        notes.add(sb.toString());
        if (walk.entriesOmitted() > 0) {
            notes.add(walk.entriesOmitted() + " more scalar entries not listed");
        }
        return notes;
    }
}
