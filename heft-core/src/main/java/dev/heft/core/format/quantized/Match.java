package dev.heft.core.format.quantized;

import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Tensor;
import java.util.List;

/**
 * One recognised packed weight: the tensor holding the packed values, what it stands for, and the tensors stored
 * beside it only to decode it (scales, zero points, indices, code books, metadata).
 *
 * @param note a caveat to report once per layout (an assumption the layout had to make), or empty
 */
record Match(Tensor weight, Packing packing, List<Tensor> overhead, String note) {
    Match {
        overhead = List.copyOf(overhead);
        note = note == null ? "" : note;
    }

    Match(Tensor weight, Packing packing, List<Tensor> overhead) {
        this(weight, packing, overhead, "");
    }
}
