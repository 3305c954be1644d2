package dev.heft.core.format.gguf;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.format.io.MappedFile;
import java.lang.foreign.MemorySegment;

/**
 * A GGUF file mapped once, with its checked header, handing out each tensor's data as a slice of the one mapping
 * (docs/gguf.md's data section; llama3.java's {@code GGUF.loadTensors} does the same). The slices are valid until
 * {@link #close()}; the caller owns the mapping and decides its arena when opening it
 * ({@link GgufReader#map(java.nio.file.Path, java.lang.foreign.Arena)}).
 */
public final class GgufMapping implements AutoCloseable {
    private final MappedFile mapped;
    private final GgufFile file;

    GgufMapping(MappedFile mapped, GgufFile file) {
        this.mapped = mapped;
        this.file = file;
    }

    public GgufFile file() {
        return file;
    }

    /** The tensor's stored bytes (exactly {@link GgufTensorInfo#bytes()}, no padding), read-only. */
    public MemorySegment tensorData(GgufTensorInfo tensor) {
        if (!file.tensors().contains(tensor)) {
            throw new InvalidInputException("tensor '" + tensor.name() + "' is not in " + file.path());
        }
        // Bounds were checked when the header was parsed, so this slice cannot fail.
        return mapped.segment()
                .asSlice(file.absoluteOffset(tensor), tensor.bytes())
                .asReadOnly();
    }

    public MemorySegment tensorData(String name) {
        return tensorData(file.tensor(name)
                .orElseThrow(() -> new InvalidInputException("no tensor named '" + name + "' in " + file.path())));
    }

    @Override
    public void close() {
        mapped.close();
    }
}
