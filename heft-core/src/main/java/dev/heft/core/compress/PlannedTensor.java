package dev.heft.core.compress;

import dev.heft.core.tensor.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * What a plan does with one logical tensor.
 *
 * @param name     the tensor's name as planned (llama.cpp style for GGUF plans)
 * @param shape    logical shape, outermost first
 * @param elements logical parameters (product of the shape)
 * @param encoding how it is stored: a ggml/safetensors type name ("Q6_K", "F32") or a packed format ("gptq-4bit-g128")
 * @param stored   the tensors written for it (one for ggml types; qweight/qzeros/scales/g_idx for GPTQ, ...)
 * @param reason   why this encoding was chosen ("default Q4_K", "fallback: row 192 not a multiple of 256 ...")
 */
public record PlannedTensor(
        String name, long[] shape, long elements, String encoding, List<StoredTensor> stored, String reason) {

    public PlannedTensor {
        shape = shape.clone();
        stored = List.copyOf(stored);
        if (stored.isEmpty()) {
            throw new IllegalArgumentException(name + ": a planned tensor stores at least one tensor");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Exact stored bytes: the sum over {@link #stored()}. */
    public long bytes() {
        long n = 0;
        for (StoredTensor s : stored) {
            n = Math.addExact(n, s.bytes());
        }
        return n;
    }

    /** Bytes of the same elements in fp16, the baseline savings are measured against. */
    public long fp16Bytes() {
        return Math.multiplyExact(elements, 2L);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedTensor t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && elements == t.elements
                && encoding.equals(t.encoding)
                && stored.equals(t.stored)
                && reason.equals(t.reason);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Shapes.format(shape) + " -> " + encoding + " (" + bytes() + " bytes; " + reason + ")";
    }
}
