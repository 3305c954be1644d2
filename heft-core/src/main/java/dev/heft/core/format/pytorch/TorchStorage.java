package dev.heft.core.format.pytorch;

import dev.heft.core.tensor.DType;

/**
 * One storage of a checkpoint where it lies in the file: the unit torch writes once, however many tensors view it.
 *
 * @param key    the storage key ({@code data/<key>} in a zip archive; the root key in a legacy file)
 * @param dtype  the element type its size is counted in (U8 for an untyped storage)
 * @param numel  elements of {@code dtype}
 * @param offset absolute byte offset of its first byte in the file, or -1 when unknown (a file read over HTTP, whose
 *               storages' local zip headers were never fetched)
 * @param bytes  bytes it occupies
 */
public record TorchStorage(String key, DType dtype, long numel, long offset, long bytes) {
    public TorchStorage {
        if (key == null || dtype == null || numel < 0 || offset < -1 || bytes < 0) {
            throw new IllegalArgumentException("storage key, dtype and non-negative sizes are required");
        }
    }
}
