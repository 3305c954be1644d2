package dev.heft.core.format.safetensors;

import dev.heft.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file's header after every rule of the format has been checked.
 *
 * <p>Layout (safetensors README, "Format"): {@code u64 N} little-endian, then {@code N} bytes of UTF-8 JSON, then
 * the data section, which the tensors' {@code data_offsets} cover exactly.
 *
 * @param file         the file
 * @param headerLength N, the JSON header's length in bytes (including any trailing space padding)
 * @param fileSize     the file's size in bytes; the data section is {@code [8 + N, fileSize)}
 * @param tensors      every tensor, in data order (sorted by {@code data_offsets}), with absolute offsets
 * @param metadata     the {@code __metadata__} string map, in header order (empty when absent)
 */
public record SafetensorsHeader(
        Path file, long headerLength, long fileSize, List<Tensor> tensors, Map<String, String> metadata) {

    /** Size of the header-length prefix: a little-endian {@code u64}. */
    public static final int LENGTH_PREFIX_BYTES = 8;

    public SafetensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Absolute offset of the first data byte ({@code 8 + N}); tensor {@code data_offsets} count from here. */
    public long dataStart() {
        return LENGTH_PREFIX_BYTES + headerLength;
    }

    /** Bytes in the data section. */
    public long dataLength() {
        return fileSize - dataStart();
    }
}
