package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.util.List;
import java.util.Optional;

/**
 * Symmetric int8 weights with one scale per output channel: {@code weight} I8 [out, in] and {@code weight_scale}
 * [out, 1] (compressed-tensors W8A16/W8A8 "channel" strategy; the scale is stored in {@code scaleType}, F32 by
 * default). No zero points (symmetric).
 */
public record Int8ChannelFormat(DType scaleType) implements LinearQuantFormat {

    public Int8ChannelFormat {
        if (scaleType != DType.F32 && scaleType != DType.F16 && scaleType != DType.BF16) {
            throw new IllegalArgumentException("int8 channel scales are F32, F16 or BF16, not " + scaleType);
        }
    }

    @Override
    public String label() {
        return "int8";
    }

    @Override
    public String description() {
        return "int8 weights with one " + scaleType + " scale per output channel; embeddings, head and norms in F16";
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
        return List.of(
                StoredTensor.of(prefix + ".weight", DType.I8, TensorRole.WEIGHT, shape),
                StoredTensor.of(
                        prefix + ".weight_scale",
                        scaleType,
                        TensorRole.QUANT_OVERHEAD,
                        LinearQuantFormat.batched(shape, out, 1)));
    }

    @Override
    public DType keepType() {
        return DType.F16;
    }
}
