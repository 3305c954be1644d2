package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import java.util.List;
import java.util.Optional;

/**
 * A format that quantizes the linear-layer weights inside the transformer blocks and keeps everything else
 * (embeddings, the output head, norms, biases, MoE routers) in a 16-bit type, as GPTQ, AWQ, bitsandbytes and FP8
 * checkpoints do.
 */
public sealed interface LinearQuantFormat extends PrecisionFormat
        permits Fp8Weights, Int8ChannelFormat, GroupQuantFormat, Nf4Format, LlmInt8Format, Mxfp4Format {

    /** Whether this format quantizes the tensor (by default: a 2-D or 3-D weight of a linear layer inside a block). */
    default boolean targets(TensorSpec t) {
        return QuantTargets.isBlockLinear(t);
    }

    /**
     * Whether the format also stores convolution kernels (per output channel): int8 and FP8 do (torch.ao and
     * compressed-tensors quantize Conv layers), the GPTQ/AWQ/bitsandbytes/MXFP4 kernels only handle Linear layers.
     */
    default boolean targetsConvolutions() {
        return false;
    }

    /** What the format quantizes, for the "n/a" reason when a model has none of it. */
    default String targetDescription() {
        return "the Linear weights inside transformer blocks (MoE experts included)";
    }

    /** Why a weight of {@code out x in} cannot be stored this way (a dimension not divisible by the packing), if so. */
    Optional<String> unsupportedShape(long out, long in);

    /**
     * The tensors written for one weight. {@code prefix} is the weight's name without its ".weight" suffix (the
     * module name); {@code shape} is {@code [..., out, in]}, leading dimensions (experts) repeating the layout.
     */
    List<StoredTensor> store(String prefix, long[] shape);

    /** The type the tensors this format leaves alone are stored in. */
    DType keepType();

    /** Leading (expert) dimensions of a [..., out, in] shape followed by {@code tail}. */
    static long[] batched(long[] shape, long... tail) {
        int lead = shape.length - 2;
        long[] out = new long[lead + tail.length];
        System.arraycopy(shape, 0, out, 0, lead);
        System.arraycopy(tail, 0, out, lead, tail.length);
        return out;
    }

    static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }
}
