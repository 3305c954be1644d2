package dev.heft.core.format.safetensors;

import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.ModelReader;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.nio.file.Path;

/** safetensors reader (placeholder until the reader lands in this package). */
public final class SafetensorsReader implements ModelReader {
    @Override
    public ModelFormat format() {
        return ModelFormat.SAFETENSORS;
    }

    @Override
    public boolean recognises(byte[] head, Path path) {
        // 8-byte little-endian header length, then the header's opening '{'.
        return head.length >= 9 && head[8] == '{';
    }

    @Override
    public TensorInventory read(Path path) {
        throw new UnsupportedModelException(path, 0L, "safetensors reading is being built");
    }
}
