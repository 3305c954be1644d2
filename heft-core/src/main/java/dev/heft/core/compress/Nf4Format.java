package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * bitsandbytes 4-bit NormalFloat as transformers saves a {@code Params4bit} ({@code QuantState.as_dict(packed=True)}):
 * <ul>
 *   <li>{@code weight} U8 [ceil(n / 2), 1]: two 4-bit codes per byte, the weight flattened (n = out * in)</li>
 *   <li>{@code weight.absmax}: one scale per block of 64 values, ceil(n / 64) of them; F32 without double
 *       quantization; with it ({@code bnb_4bit_use_double_quant}, compress_statistics) U8 codes of (absmax - mean)
 *       quantized blockwise in blocks of 256</li>
 *   <li>{@code weight.quant_map} F32 [16]: the NF4 code book</li>
 *   <li>double quantization only: {@code weight.nested_absmax} F32 [ceil(ceil(n / 64) / 256)] and
 *       {@code weight.nested_quant_map} F32 [256] (the dynamic 8-bit code book)</li>
 *   <li>{@code weight.quant_state.bitsandbytes__nf4}: a U8 tensor holding JSON (quant type, block sizes, dtype,
 *       shape, nested offset). Its length depends on the printed numbers, so it is not planned; it is a few hundred
 *       bytes per weight.</li>
 * </ul>
 */
public record Nf4Format(boolean doubleQuant) implements LinearQuantFormat {

    static final int BLOCK = 64;
    static final int NESTED_BLOCK = 256;

    @Override
    public String label() {
        return doubleQuant ? "nf4-dq" : "nf4";
    }

    @Override
    public String description() {
        return "bitsandbytes NF4, blocks of 64 with "
                + (doubleQuant
                        ? "8-bit absmax (double quantization, blocks of 256 with F32 second-level scales)"
                        : "F32 absmax")
                + "; embeddings, head and norms in F16";
    }

    @Override
    public Optional<String> unsupportedShape(long out, long in) {
        return Optional.empty();
    }

    @Override
    public List<StoredTensor> store(String prefix, long[] shape) {
        long n = dev.heft.core.tensor.Shapes.elements(shape);
        long blocks = LinearQuantFormat.ceilDiv(n, BLOCK);
        String w = prefix + ".weight";
        TensorRole over = TensorRole.QUANT_OVERHEAD;
        List<StoredTensor> out = new ArrayList<>();
        out.add(StoredTensor.of(w, DType.U8, TensorRole.WEIGHT, LinearQuantFormat.ceilDiv(n, 2), 1));
        if (doubleQuant) {
            out.add(StoredTensor.of(w + ".absmax", DType.U8, over, blocks));
            out.add(StoredTensor.of(w + ".quant_map", DType.F32, over, 16));
            out.add(StoredTensor.of(
                    w + ".nested_absmax", DType.F32, over, LinearQuantFormat.ceilDiv(blocks, NESTED_BLOCK)));
            out.add(StoredTensor.of(w + ".nested_quant_map", DType.F32, over, 256));
        } else {
            out.add(StoredTensor.of(w + ".absmax", DType.F32, over, blocks));
            out.add(StoredTensor.of(w + ".quant_map", DType.F32, over, 16));
        }
        return out;
    }

    @Override
    public DType keepType() {
        return DType.F16;
    }
}
