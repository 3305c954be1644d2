package dev.heft.core.quant;

import dev.heft.core.tensor.DType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The llama.cpp block types heft can quantize exactly as ggml's reference quantizers do, each tied to its
 * {@link DType} (block size and bytes come from there, never repeated here).
 *
 * <p>{@link #quantize} and {@link #dequantize} work on whole blocks: {@code blocks * dtype().blockElements()} floats
 * in, {@code blocks * dtype().blockBytes()} bytes out. They are the scalar reference; the error scan may use a fused
 * vector kernel that must give the same floats (tests run both).
 */
public enum GgmlQuantType {
    Q8_0(DType.Q8_0),
    Q4_0(DType.Q4_0),
    Q4_1(DType.Q4_1),
    Q5_0(DType.Q5_0),
    Q5_1(DType.Q5_1),
    Q2_K(DType.Q2_K),
    Q3_K(DType.Q3_K),
    Q4_K(DType.Q4_K),
    Q5_K(DType.Q5_K),
    Q6_K(DType.Q6_K),
    IQ4_NL(DType.IQ4_NL),
    IQ4_XS(DType.IQ4_XS);

    private final DType dtype;

    GgmlQuantType(DType dtype) {
        this.dtype = dtype;
    }

    public DType dtype() {
        return dtype;
    }

    public int blockElements() {
        return dtype.blockElements();
    }

    public int blockBytes() {
        return dtype.blockBytes();
    }

    /** The lower-case scheme name users type ({@code q4_k}); ggml's own spelling is {@link DType#displayName()}. */
    public String schemeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<GgmlQuantType> of(DType dtype) {
        return Arrays.stream(values()).filter(t -> t.dtype == dtype).findFirst();
    }

    /** Quantizes {@code blocks} whole blocks of {@code x} from {@code xOff} into {@code y} at {@code yOff}. */
    public void quantize(float[] x, int xOff, byte[] y, int yOff, int blocks) {
        quantize(x, xOff, y, yOff, blocks, new KQuants.Scratch());
    }

    void quantize(float[] x, int xOff, byte[] y, int yOff, int blocks, KQuants.Scratch s) {
        checkRange(x.length, xOff, blocks, blockElements(), "x");
        checkRange(y.length, yOff, blocks, blockBytes(), "y");
        switch (this) {
            case Q8_0 -> LegacyQuants.quantizeQ8_0(x, xOff, y, yOff, blocks);
            case Q4_0 -> LegacyQuants.quantizeQ4_0(x, xOff, y, yOff, blocks);
            case Q4_1 -> LegacyQuants.quantizeQ4_1(x, xOff, y, yOff, blocks);
            case Q5_0 -> LegacyQuants.quantizeQ5_0(x, xOff, y, yOff, blocks);
            case Q5_1 -> LegacyQuants.quantizeQ5_1(x, xOff, y, yOff, blocks);
            case Q2_K -> KQuants.quantizeQ2K(x, xOff, y, yOff, blocks, s);
            case Q3_K -> KQuants.quantizeQ3K(x, xOff, y, yOff, blocks, s);
            case Q4_K -> KQuants.quantizeQ4K(x, xOff, y, yOff, blocks, s);
            case Q5_K -> KQuants.quantizeQ5K(x, xOff, y, yOff, blocks, s);
            case Q6_K -> KQuants.quantizeQ6K(x, xOff, y, yOff, blocks, s);
            case IQ4_NL -> NonLinearQuants.quantizeIq4Nl(x, xOff, y, yOff, blocks, s);
            case IQ4_XS -> NonLinearQuants.quantizeIq4Xs(x, xOff, y, yOff, blocks, s);
        }
    }

    /** Dequantizes {@code blocks} whole blocks of {@code y} from {@code yOff} into {@code x} at {@code xOff}. */
    public void dequantize(byte[] y, int yOff, float[] x, int xOff, int blocks) {
        checkRange(x.length, xOff, blocks, blockElements(), "x");
        checkRange(y.length, yOff, blocks, blockBytes(), "y");
        switch (this) {
            case Q8_0 -> LegacyQuants.dequantizeQ8_0(y, yOff, x, xOff, blocks);
            case Q4_0 -> LegacyQuants.dequantizeQ4_0(y, yOff, x, xOff, blocks);
            case Q4_1 -> LegacyQuants.dequantizeQ4_1(y, yOff, x, xOff, blocks);
            case Q5_0 -> LegacyQuants.dequantizeQ5_0(y, yOff, x, xOff, blocks);
            case Q5_1 -> LegacyQuants.dequantizeQ5_1(y, yOff, x, xOff, blocks);
            case Q2_K -> KQuants.dequantizeQ2K(y, yOff, x, xOff, blocks);
            case Q3_K -> KQuants.dequantizeQ3K(y, yOff, x, xOff, blocks);
            case Q4_K -> KQuants.dequantizeQ4K(y, yOff, x, xOff, blocks);
            case Q5_K -> KQuants.dequantizeQ5K(y, yOff, x, xOff, blocks);
            case Q6_K -> KQuants.dequantizeQ6K(y, yOff, x, xOff, blocks);
            case IQ4_NL -> NonLinearQuants.dequantizeIq4Nl(y, yOff, x, xOff, blocks);
            case IQ4_XS -> NonLinearQuants.dequantizeIq4Xs(y, yOff, x, xOff, blocks);
        }
    }

    private static void checkRange(int length, int off, int blocks, int unit, String what) {
        long end = (long) off + (long) blocks * unit;
        if (off < 0 || blocks < 0 || end > length) {
            throw new IndexOutOfBoundsException(
                    what + ": " + blocks + " blocks of " + unit + " from " + off + " exceed length " + length);
        }
    }
}
