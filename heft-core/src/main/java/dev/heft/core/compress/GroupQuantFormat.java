package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.util.List;
import java.util.Optional;

/**
 * Integer group quantization packed into int32 words, as GPTQ and AWQ checkpoints store it. Scales are F16, one per
 * group of {@code groupSize} input features and output channel; zero points are packed like the weights.
 *
 * <p>GPTQ (AutoGPTQ / GPTQModel {@code QuantLinear}, the layout transformers and optimum load):
 * <ul>
 *   <li>{@code qweight} I32 [in / 32 * bits, out]: 32/bits input rows per word (3-bit packs 32 values in 3 words)</li>
 *   <li>{@code qzeros}  I32 [ceil(in / group), out / 32 * bits]</li>
 *   <li>{@code scales}  F16 [ceil(in / group), out]</li>
 *   <li>{@code g_idx}   I32 [in]: the group of each input feature. Always stored; with act-order ({@code desc_act})
 *       its contents are permuted, its size is the same.</li>
 * </ul>
 * AWQ (AutoAWQ {@code WQLinear_GEMM}, 4-bit only): {@code qweight} I32 [in, out / 8], {@code qzeros} I32
 * [in / group, out / 8], {@code scales} F16 [in / group, out]; no g_idx. Biases stay separate F16 tensors.
 *
 * @param packing   GPTQ or AWQ
 * @param bits      2, 3, 4 or 8 for GPTQ; 4 for AWQ
 * @param groupSize input features per scale, or -1 for one group per row (per-channel)
 * @param actOrder  GPTQ's act-order / desc_act (changes g_idx contents, not bytes)
 */
public record GroupQuantFormat(Packing packing, int bits, int groupSize, boolean actOrder)
        implements LinearQuantFormat {

    /** Who packed the weights, which decides the layout. */
    public enum Packing {
        GPTQ,
        AWQ
    }

    public GroupQuantFormat {
        if (packing == null) {
            throw new IllegalArgumentException("packing required");
        }
        if (packing == Packing.GPTQ && bits != 2 && bits != 3 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("GPTQ packs 2, 3, 4 or 8 bits, not " + bits);
        }
        if (packing == Packing.AWQ && bits != 4) {
            throw new IllegalArgumentException("AWQ packs 4 bits, not " + bits);
        }
        if (groupSize != -1 && groupSize <= 0) {
            throw new IllegalArgumentException("group size must be positive or -1 (per channel), not " + groupSize);
        }
        if (packing == Packing.AWQ && actOrder) {
            throw new IllegalArgumentException("AWQ has no act-order");
        }
    }

    @Override
    public String label() {
        String g = groupSize == -1 ? "-perchannel" : "-g" + groupSize;
        return packing.name().toLowerCase(java.util.Locale.ROOT) + "-" + bits + "bit" + g
                + (actOrder ? "-actorder" : "");
    }

    @Override
    public String description() {
        return packing + " int" + bits + " weights packed in int32, F16 scales and packed zero points per "
                + (groupSize == -1 ? "output channel" : "group of " + groupSize)
                + (packing == Packing.GPTQ ? ", I32 g_idx" : "") + "; embeddings, head, norms and biases in F16";
    }

    private long group(long in) {
        return groupSize == -1 ? in : groupSize;
    }

    @Override
    public Optional<String> unsupportedShape(long out, long in) {
        if (packing == Packing.GPTQ) {
            if (in % 32 != 0) {
                return Optional.of("in_features " + in + " not a multiple of 32 (GPTQ packs 32 input rows into " + bits
                        + " int32 words)");
            }
            if (out % 32 != 0) {
                return Optional.of("out_features " + out + " not a multiple of 32 (GPTQ packs zero points of 32 "
                        + "outputs into " + bits + " int32 words)");
            }
            return Optional.empty();
        }
        if (in % group(in) != 0) {
            return Optional.of("in_features " + in + " not a multiple of the group size " + groupSize
                    + " (AWQ requires whole groups)");
        }
        if (out % 8 != 0) {
            return Optional.of("out_features " + out + " not a multiple of 8 (AWQ packs 8 outputs per int32)");
        }
        return Optional.empty();
    }

    @Override
    public List<StoredTensor> store(String prefix, long[] shape) {
        long out = shape[shape.length - 2];
        long in = shape[shape.length - 1];
        long groups = LinearQuantFormat.ceilDiv(in, group(in));
        TensorRole over = TensorRole.QUANT_OVERHEAD;
        if (packing == Packing.GPTQ) {
            long words = Math.multiplyExact(in / 32, (long) bits);
            long zeroWords = Math.multiplyExact(out / 32, (long) bits);
            return List.of(
                    StoredTensor.of(
                            prefix + ".qweight",
                            DType.I32,
                            TensorRole.WEIGHT,
                            LinearQuantFormat.batched(shape, words, out)),
                    StoredTensor.of(
                            prefix + ".qzeros", DType.I32, over, LinearQuantFormat.batched(shape, groups, zeroWords)),
                    StoredTensor.of(prefix + ".scales", DType.F16, over, LinearQuantFormat.batched(shape, groups, out)),
                    StoredTensor.of(prefix + ".g_idx", DType.I32, over, LinearQuantFormat.batched(shape, in)));
        }
        return List.of(
                StoredTensor.of(
                        prefix + ".qweight",
                        DType.I32,
                        TensorRole.WEIGHT,
                        LinearQuantFormat.batched(shape, in, out / 8)),
                StoredTensor.of(prefix + ".qzeros", DType.I32, over, LinearQuantFormat.batched(shape, groups, out / 8)),
                StoredTensor.of(prefix + ".scales", DType.F16, over, LinearQuantFormat.batched(shape, groups, out)));
    }

    @Override
    public DType keepType() {
        return DType.F16;
    }
}
