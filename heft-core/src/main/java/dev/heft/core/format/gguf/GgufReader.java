package dev.heft.core.format.gguf;

import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.ModelReader;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.nio.file.Path;

/** GGUF reader (placeholder until the reader lands in this package). */
public final class GgufReader implements ModelReader {
    @Override
    public ModelFormat format() {
        return ModelFormat.GGUF;
    }

    @Override
    public boolean recognises(byte[] head, Path path) {
        return head.length >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F';
    }

    @Override
    public TensorInventory read(Path path) {
        throw new UnsupportedModelException(path, 0L, "GGUF reading is being built");
    }
}
