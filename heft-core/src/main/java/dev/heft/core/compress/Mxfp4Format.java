package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.util.List;
import java.util.Optional;

/**
 * MXFP4 as gpt-oss ships it: only the MoE expert weights are MXFP4, in blocks of 32 FP4 (E2M1) values sharing one
 * E8M0 power-of-two scale; everything else (attention, router, embeddings, head, norms, expert biases) is BF16.
 * For an expert weight [experts, out, in] the checkpoint stores {@code <name>_blocks} U8 [experts, out, in / 32, 16]
 * (two FP4 codes per byte) and {@code <name>_scales} U8 [experts, out, in / 32]; e.g. gpt-oss-20b
 * {@code mlp.experts.gate_up_proj_blocks} [32, 5760, 90, 16] and {@code _scales} [32, 5760, 90]. 17 bytes per 32
 * values: 4.25 bits per weight, the same as ggml's MXFP4 block.
 */
public record Mxfp4Format() implements LinearQuantFormat {

    static final int BLOCK = 32;

    @Override
    public String label() {
        return "mxfp4";
    }

    @Override
    public String description() {
        return "MXFP4 expert weights (blocks of 32 FP4 values, one E8M0 scale), everything else BF16 (gpt-oss)";
    }

    @Override
    public String targetDescription() {
        return "MoE expert weights only (as gpt-oss ships them)";
    }

    @Override
    public boolean targets(TensorSpec t) {
        return QuantTargets.isExpert(t);
    }

    @Override
    public Optional<String> unsupportedShape(long out, long in) {
        return in % BLOCK == 0
                ? Optional.empty()
                : Optional.of("in_features " + in + " not a multiple of the MXFP4 block of 32");
    }

    @Override
    public List<StoredTensor> store(String prefix, long[] shape) {
        long out = shape[shape.length - 2];
        long in = shape[shape.length - 1];
        return List.of(
                StoredTensor.of(
                        prefix + "_blocks",
                        DType.U8,
                        TensorRole.WEIGHT,
                        LinearQuantFormat.batched(shape, out, in / BLOCK, BLOCK / 2)),
                StoredTensor.of(
                        prefix + "_scales",
                        DType.U8,
                        TensorRole.QUANT_OVERHEAD,
                        LinearQuantFormat.batched(shape, out, in / BLOCK)));
    }

    @Override
    public DType keepType() {
        return DType.BF16;
    }
}
