package dev.heft.core.tensor;

import java.util.Arrays;

/**
 * How a packed quantized weight is stored: which quantizer's layout, at how many bits, and the shape of the layer it
 * stands for. A GPTQ {@code qweight} I32 [in/8, out] is the 4-bit form of a Linear weight [out, in]: heft counts the
 * [out, in] parameters, and the scales, zero points and indices beside it as quantization overhead.
 *
 * @param method        the quantizer family ("GPTQ", "AWQ", "bitsandbytes", "compressed-tensors", "FP8", "MLX", ...)
 * @param layout        the layout as reports group it ("GPTQ 4-bit, group 32", "bitsandbytes NF4, double quant")
 * @param bits          nominal bits per quantized value; 0 when the layout mixes widths (EXL2)
 * @param logicalShape  the unquantized weight's shape, outermost first ([out, in] for a Linear)
 * @param overheadBytes bytes of the scales, zero points, indices and metadata tensors stored for this weight
 */
public record Packing(String method, String layout, int bits, long[] logicalShape, long overheadBytes) {

    public Packing {
        if (method == null || layout == null || logicalShape == null) {
            throw new IllegalArgumentException("packing method, layout and logical shape are required");
        }
        if (bits < 0 || overheadBytes < 0) {
            throw new IllegalArgumentException("negative bits or overhead bytes for " + layout);
        }
        logicalShape = logicalShape.clone();
        Shapes.elements(logicalShape); // rejects negative dimensions and overflow
    }

    @Override
    public long[] logicalShape() {
        return logicalShape.clone();
    }

    /** The logical parameter count: elements of the unquantized shape. */
    public long parameters() {
        return Shapes.elements(logicalShape);
    }

    public Packing withOverheadBytes(long bytes) {
        return new Packing(method, layout, bits, logicalShape, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packing p
                && method.equals(p.method)
                && layout.equals(p.layout)
                && bits == p.bits
                && Arrays.equals(logicalShape, p.logicalShape)
                && overheadBytes == p.overheadBytes;
    }

    @Override
    public int hashCode() {
        return layout.hashCode() * 31 + Arrays.hashCode(logicalShape);
    }

    @Override
    public String toString() {
        return layout + " " + Shapes.format(logicalShape);
    }
}
