package dev.heft.core.quant;

/**
 * The 16-bit float conversions ggml uses when it stores a scale, and when it reads F16/BF16 weights.
 *
 * <p>ggml's {@code GGML_FP32_TO_FP16} (F16C {@code _cvtss_sh(x, 0)} on x86, or the portable
 * {@code ggml_compute_fp32_to_fp16}) rounds to nearest, ties to even; {@link Float#floatToFloat16} does the same,
 * including overflow to infinity and NaN preservation. {@code GGML_FP16_TO_FP32} is exact
 * ({@link Float#float16ToFloat}).
 *
 * <p>BF16 follows {@code ggml_compute_fp32_to_bf16} (ggml-impl.h): NaN is kept quiet ({@code (u >> 16) | 64}),
 * everything else is rounded to nearest even by adding {@code 0x7fff + lsb} before the shift (so a finite value just
 * below the overflow threshold rounds to infinity, as in ggml). Subnormals are kept (this ggml version no longer
 * flushes them).
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** fp32 -> IEEE binary16 bits, round to nearest even. */
    public static short toHalf(float f) {
        return Float.floatToFloat16(f);
    }

    /** IEEE binary16 bits -> fp32 (exact). */
    public static float halfToFloat(short h) {
        return Float.float16ToFloat(h);
    }

    /** fp32 rounded through fp16 and back: what ggml keeps of a scale it stores as {@code ggml_half}. */
    public static float roundToHalf(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }

    /** fp32 -> bfloat16 bits as ggml_compute_fp32_to_bf16 does it. */
    public static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) { // NaN: force quiet
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    /** bfloat16 bits -> fp32 (exact: bf16 is the top half of an fp32). */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }
}
