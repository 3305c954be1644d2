package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.util.List;
import java.util.Optional;

/**
 * FP8 weights (one byte each) with float32 scales: the storage layout. The element format itself (E4M3/E5M2, its
 * rounding and its {@link DType}) is {@link dev.heft.core.quant.Fp8Format}, the one FP8 type.
 *
 * <ul>
 *   <li>{@link Scaling#PER_TENSOR}: {@code weight_scale} F32, one per weight (compressed-tensors "tensor" strategy,
 *       stored with shape [1]; leading expert dimensions get one each).</li>
 *   <li>{@link Scaling#PER_CHANNEL}: {@code weight_scale} F32 [out, 1] (compressed-tensors "channel" strategy,
 *       transformers' FBGEMM fp8).</li>
 *   <li>{@link Scaling#BLOCK_128}: {@code weight_scale_inv} F32 [ceil(out/128), ceil(in/128)], one per 128x128 tile,
 *       as DeepSeek-V3 ships it ({@code quantization_config.weight_block_size = [128, 128]}, transformers'
 *       FineGrainedFP8); e.g. down_proj [7168, 18432] has weight_scale_inv [56, 144].</li>
 * </ul>
 * The scales are F32 as transformers' FineGrainedFP8 and DeepSeek-V3 store them; Qwen's own FP8 releases
 * (Qwen/Qwen3-*-FP8) store {@code weight_scale_inv} in BF16, which {@code scaleType} BF16 (the {@code -bf16-scales}
 * suffix) describes. Activation scales ({@code input_scale}) of static-activation checkpoints are not planned.
 */
public record Fp8Weights(DType element, Scaling scaling, DType scaleType) implements LinearQuantFormat {

    /** How the FP8 weights are scaled. */
    public enum Scaling {
        PER_TENSOR,
        PER_CHANNEL,
        BLOCK_128
    }

    static final int BLOCK = 128;

    public Fp8Weights {
        if (dev.heft.core.quant.Fp8Format.of(element).isEmpty()) {
            throw new IllegalArgumentException("FP8 weights are F8_E4M3 or F8_E5M2, not " + element);
        }
        if (scaleType != DType.F32 && scaleType != DType.BF16) {
            throw new IllegalArgumentException("FP8 scales are stored as F32 or BF16, not " + scaleType);
        }
    }

    /** F32 scales, as transformers' FineGrainedFP8 and compressed-tensors write them. */
    public Fp8Weights(DType element, Scaling scaling) {
        this(element, scaling, DType.F32);
    }

    @Override
    public String label() {
        String base = element == DType.F8_E4M3 ? "fp8" : "fp8-e5m2";
        String layout = switch (scaling) {
            case PER_TENSOR -> base;
            case PER_CHANNEL -> base + "-channel";
            case BLOCK_128 -> base + "-block128";
        };
        return scaleType == DType.BF16 ? layout + "-bf16-scales" : layout;
    }

    @Override
    public String description() {
        return element + " weights with " + scaleType + " scales "
                + switch (scaling) {
                    case PER_TENSOR -> "(one per tensor)";
                    case PER_CHANNEL -> "(one per output channel)";
                    case BLOCK_128 -> "(one per 128x128 block, DeepSeek-V3 weight_scale_inv)";
                }
                + "; embeddings, head and norms in BF16";
    }

    @Override
    public boolean targetsConvolutions() {
        return true;
    }

    @Override
    public Optional<String> unsupportedShape(long out, long in) {
        return Optional.empty();
    }

    @Override
    public List<StoredTensor> store(String prefix, long[] shape) {
        long out = shape[shape.length - 2];
        long in = shape[shape.length - 1];
        StoredTensor weight = StoredTensor.of(prefix + ".weight", element, TensorRole.WEIGHT, shape);
        StoredTensor scale = switch (scaling) {
            case PER_TENSOR ->
                StoredTensor.of(
                        prefix + ".weight_scale",
                        scaleType,
                        TensorRole.QUANT_OVERHEAD,
                        LinearQuantFormat.batched(shape, 1));
            case PER_CHANNEL ->
                StoredTensor.of(
                        prefix + ".weight_scale",
                        scaleType,
                        TensorRole.QUANT_OVERHEAD,
                        LinearQuantFormat.batched(shape, out, 1));
            case BLOCK_128 ->
                StoredTensor.of(
                        prefix + ".weight_scale_inv",
                        scaleType,
                        TensorRole.QUANT_OVERHEAD,
                        LinearQuantFormat.batched(
                                shape, LinearQuantFormat.ceilDiv(out, BLOCK), LinearQuantFormat.ceilDiv(in, BLOCK)));
        };
        return List.of(weight, scale);
    }

    @Override
    public DType keepType() {
        return DType.BF16;
    }
}
