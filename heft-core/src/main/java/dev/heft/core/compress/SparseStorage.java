package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Locale;

/**
 * What unstructured sparsity costs to store. Zeros in a dense tensor save nothing: bytes shrink only in a sparse format,
 * each with its index overhead, and memory or speed improve only where a kernel reads that format.
 *
 * <ul>
 *   <li>DENSE: the pruned tensor stored as is, zeros included (what a checkpoint holds after magnitude pruning).</li>
 *   <li>BITMASK: the kept values plus one bit per element.</li>
 *   <li>CSR: the kept values, a column index per kept value (16-bit when a row has at most 65,536 columns, else 32),
 *       and one 32-bit row pointer per row plus one.</li>
 *   <li>COO: the kept values with a row and a column index each (32-bit).</li>
 *   <li>SEMI_2_4: NVIDIA's 2:4 semi-structured sparsity (Ampere and later): exactly 2 of every 4 values kept, plus 2
 *       bits of position metadata per kept value (cuSPARSELt's compressed layout).</li>
 * </ul>
 */
public enum SparseStorage {
    DENSE,
    BITMASK,
    CSR,
    COO,
    SEMI_2_4;

    /** One weight matrix to prune: its rows, columns and the bits each stored value takes. */
    public record Matrix(long rows, long cols, double valueBits) {
        public long elements() {
            return Math.multiplyExact(rows, cols);
        }
    }

    /** Bytes of {@code matrices} with {@code sparsity} (fraction zeroed) in this format. */
    public long bytes(List<Matrix> matrices, double sparsity) {
        if (sparsity < 0 || sparsity >= 1) {
            throw new InvalidInputException("sparsity must be in [0, 1), got " + sparsity);
        }
        if (this == SEMI_2_4 && Math.abs(sparsity - 0.5) > 1e-9) {
            throw new InvalidInputException("2:4 sparsity keeps exactly half of the weights");
        }
        double total = 0;
        for (Matrix m : matrices) {
            double elements = m.elements();
            double kept = Math.ceil(elements * (1 - sparsity));
            double values = kept * m.valueBits / 8;
            total += switch (this) {
                case DENSE -> elements * m.valueBits / 8;
                case BITMASK -> values + Math.ceil(elements / 8);
                case CSR -> values + kept * (m.cols <= 65_536 ? 2 : 4) + (m.rows + 1) * 4;
                case COO -> values + kept * 8;
                case SEMI_2_4 -> values + kept * 2 / 8;
            };
        }
        return (long) Math.ceil(total);
    }

    /** A sentence on what the format buys without and with a kernel that reads it. */
    public String note() {
        return switch (this) {
            case DENSE ->
                "zeros stored densely: no bytes, memory or speed saved; the sparsity only helps once stored "
                        + "sparse or compressed";
            case BITMASK, CSR, COO ->
                "smaller on disk and in memory only where a sparse kernel reads this format; "
                        + "dense GPU matmuls must decompress first (no speed-up below roughly 70-90% sparsity)";
            case SEMI_2_4 ->
                "2:4 sparse tensor cores (Ampere+) read this layout directly: up to ~2x matmul "
                        + "throughput in theory, typically 1.1-1.5x end to end";
        };
    }

    public static SparseStorage parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)
                .replace("-", "")
                .replace("_", "")
                .replace(":", "")) {
            case "dense" -> DENSE;
            case "bitmask", "mask" -> BITMASK;
            case "csr" -> CSR;
            case "coo" -> COO;
            case "24", "semi24", "2of4" -> SEMI_2_4;
            default ->
                throw new InvalidInputException(
                        "unknown sparse format '" + s + "' (known: dense, bitmask, csr, coo, 2:4)");
        };
    }
}
