package dev.heft.core.format.onnx;

import java.util.Optional;
import java.util.Set;

/**
 * Operators that consume quantized weights, with which input slots hold the weights themselves and which hold
 * quantization overhead (scales, zero points, group indices). Slot numbers follow the operator schemas:
 * ONNX docs/Operators.md (QuantizeLinear-21, DequantizeLinear-21, MatMulInteger-10, ConvInteger-10,
 * QLinearMatMul-21, QLinearConv-10) and onnxruntime docs/ContribOperators.md (com.microsoft ops).
 */
enum QuantOp {
    /** x, y_scale, y_zero_point: a float weight being quantized at run time. */
    QUANTIZE_LINEAR("", "QuantizeLinear", Set.of(0), Set.of(1, 2), -1),
    /** x (the stored quantized weight), x_scale, x_zero_point. */
    DEQUANTIZE_LINEAR("", "DequantizeLinear", Set.of(0), Set.of(1, 2), -1),
    /** A, B, a_zero_point, b_zero_point. */
    MATMUL_INTEGER("", "MatMulInteger", Set.of(0, 1), Set.of(2, 3), -1),
    /** x, w, x_zero_point, w_zero_point. */
    CONV_INTEGER("", "ConvInteger", Set.of(0, 1), Set.of(2, 3), -1),
    /** a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point. */
    QLINEAR_MATMUL("", "QLinearMatMul", Set.of(0, 3), Set.of(1, 2, 4, 5, 6, 7), -1),
    /** x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B (int32 bias: a weight). */
    QLINEAR_CONV("", "QLinearConv", Set.of(0, 3, 8), Set.of(1, 2, 4, 5, 6, 7), -1),
    /**
     * com.microsoft MatMulNBits: A, B (packed uint8 [N, k_blocks, block_size * bits / 8]), scales, zero_points,
     * g_idx, bias; attributes K, N, bits, block_size.
     */
    MATMUL_NBITS("com.microsoft", "MatMulNBits", Set.of(0, 1, 5), Set.of(2, 3, 4), 1),
    /** com.microsoft MatMulBnb4: A, B (packed uint8 [(N * K + 1) / 2], FP4/NF4), absmax; attributes K, N, block_size. */
    MATMUL_BNB4("com.microsoft", "MatMulBnb4", Set.of(0, 1), Set.of(2), 1),
    /**
     * com.microsoft GatherBlockQuantized: data (uint8 holding 8 / bits values per byte, or int4/uint4), indices,
     * scales, zero_points; attributes bits (default 4), block_size. Quantized embedding tables.
     */
    GATHER_BLOCK_QUANTIZED("com.microsoft", "GatherBlockQuantized", Set.of(0), Set.of(2, 3), 0),
    /** com.microsoft DynamicQuantizeMatMul: A, B, b_scale, b_zero_point, bias. */
    DYNAMIC_QUANTIZE_MATMUL("com.microsoft", "DynamicQuantizeMatMul", Set.of(0, 1, 4), Set.of(2, 3), -1),
    /** com.microsoft MatMulIntegerToFloat: A, B, a_scale, b_scale, a_zero_point, b_zero_point, bias. */
    MATMUL_INTEGER_TO_FLOAT("com.microsoft", "MatMulIntegerToFloat", Set.of(0, 1, 6), Set.of(2, 3, 4, 5), -1);

    private final String domain;
    private final String opType;
    private final Set<Integer> weightSlots;
    private final Set<Integer> overheadSlots;
    private final int packedSlot;

    QuantOp(String domain, String opType, Set<Integer> weightSlots, Set<Integer> overheadSlots, int packedSlot) {
        this.domain = domain;
        this.opType = opType;
        this.weightSlots = weightSlots;
        this.overheadSlots = overheadSlots;
        this.packedSlot = packedSlot;
    }

    /** Whether input {@code slot} holds several sub-byte weights per stored element (its parameters differ). */
    boolean isPackedSlot(int slot) {
        return slot == packedSlot;
    }

    boolean isWeightSlot(int slot) {
        return weightSlots.contains(slot);
    }

    boolean isOverheadSlot(int slot) {
        return overheadSlots.contains(slot);
    }

    static Optional<QuantOp> of(OnnxNode node) {
        for (QuantOp q : values()) {
            if (node.is(q.domain, q.opType)) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }
}
