package dev.heft.core.format.gguf;

import dev.heft.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a GGUF file's header says, checked: the version, the alignment, where the data section starts, every
 * metadata key-value pair in file order, and every tensor info. Header-only: no tensor data was read to build it.
 *
 * @param path        the file
 * @param fileSize    its size in bytes
 * @param version     the GGUF version
 * @param alignment   {@code general.alignment}, or 32 when the key is absent
 * @param dataOffset  absolute offset of the data section: the end of the tensor infos padded to {@code alignment}
 * @param metadata    the KVs in file order; values are Long (every integer type; a uint64 above 2^63-1 wraps
 *                    negative), Double (float32 widened exactly, float64), Boolean, String, a List of those for
 *                    arrays of up to {@value GgufParser#LIST_LIMIT} elements, or a
 *                    {@link dev.heft.core.tensor.TensorInventory.MetadataArray} summary for longer arrays
 * @param valueTypes  each key's stored value type (uint16 vs int32 matters to some consumers)
 * @param tensors     the tensor infos in file order
 * @param notes       things the reader noticed that a user should see (strings that are not valid UTF-8, ...)
 */
public record GgufFile(
        Path path,
        long fileSize,
        GgufVersion version,
        long alignment,
        long dataOffset,
        Map<String, Object> metadata,
        Map<String, GgufValueType> valueTypes,
        List<GgufTensorInfo> tensors,
        List<String> notes) {

    public GgufFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        valueTypes = Collections.unmodifiableMap(new LinkedHashMap<>(valueTypes));
        tensors = List.copyOf(tensors);
        notes = List.copyOf(notes);
    }

    /** The header's {@code metadata_kv_count}: every KV is kept, so this is the number of keys. */
    public long kvCount() {
        return metadata.size();
    }

    public int tensorCount() {
        return tensors.size();
    }

    public long absoluteOffset(GgufTensorInfo t) {
        return dataOffset + t.relativeOffset();
    }

    public Optional<GgufTensorInfo> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public long totalElements() {
        long n = 0;
        for (GgufTensorInfo t : tensors) {
            n = Math.addExact(n, t.elements());
        }
        return n;
    }

    public long tensorDataBytes() {
        long n = 0;
        for (GgufTensorInfo t : tensors) {
            n = Math.addExact(n, t.bytes());
        }
        return n;
    }

    /** The tensors as the format-neutral {@link Tensor}: logical shape, absolute offset, this file. */
    public List<Tensor> toTensors() {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (GgufTensorInfo t : tensors) {
            out.add(Tensor.weight(t.name(), t.logicalShape(), t.type(), absoluteOffset(t), t.bytes(), path));
        }
        return out;
    }

    /** A metadata value as a long, if the key is present and holds an integer. */
    public Optional<Long> metadataLong(String key) {
        return metadata.get(key) instanceof Long l ? Optional.of(l) : Optional.empty();
    }

    public Optional<String> metadataString(String key) {
        return metadata.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
