package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.util.List;
import java.util.Optional;

/**
 * bitsandbytes LLM.int8() as transformers saves it ({@code bnb.nn.Linear8bitLt._save_to_state_dict}): {@code weight}
 * I8 [out, in] row-major, {@code SCB} F32 [out] (the per-row absmax statistics the int8 rows are scaled by), and
 * {@code weight_format} U8 scalar (0 = row-major, kept for backward compatibility). Outlier columns (|x| above the 6.0
 * threshold) are handled in fp16 at run time from the activations; nothing extra is stored for them.
 */
public record LlmInt8Format() implements LinearQuantFormat {

    @Override
    public String label() {
        return "llm.int8";
    }

    @Override
    public String description() {
        return "bitsandbytes LLM.int8(): int8 weights + F32 row scales (SCB); outlier columns run in fp16; "
                + "embeddings, head and norms in F16";
    }

    @Override
    public Optional<String> unsupportedShape(long out, long in) {
        return Optional.empty();
    }

    @Override
    public List<StoredTensor> store(String prefix, long[] shape) {
        long out = shape[shape.length - 2];
        long[] lead = LinearQuantFormat.batched(shape);
        return List.of(
                StoredTensor.of(prefix + ".weight", DType.I8, TensorRole.WEIGHT, shape),
                StoredTensor.of(
                        prefix + ".SCB", DType.F32, TensorRole.QUANT_OVERHEAD, LinearQuantFormat.batched(shape, out)),
                StoredTensor.of(prefix + ".weight_format", DType.U8, TensorRole.QUANT_OVERHEAD, lead));
    }

    @Override
    public DType keepType() {
        return DType.F16;
    }
}
