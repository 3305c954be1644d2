package dev.heft.core.quant;

/**
 * The two integer roundings ggml's quantizers use; they differ on ties and both matter for byte-exact output.
 */
final class GgmlMath {
    private GgmlMath() {}

    /**
     * ggml-quants.c {@code nearest_int(float)}: adds 1.5 * 2^23 so the FPU rounds (to nearest, ties to EVEN) and reads
     * the integer out of the mantissa. Valid for |x| <= 4194303 (the C code only asserts that); outside that range,
     * and for NaN, this returns the same bits the C code does, which is what a byte-exact port needs.
     */
    static int nearestInt(float x) {
        float val = x + 12582912.f;
        int i = Float.floatToRawIntBits(val);
        return (i & 0x007fffff) - 0x00400000;
    }

    /**
     * C99 {@code roundf}: round half AWAY from zero ({@code roundf(-2.5f) == -3}). {@link Math#round(float)} rounds
     * half up (-2.5 -> -2) and would bias negative weights, so it is never used for quantization. {@code x - trunc(x)}
     * is exact in float, so the tie test is exact too (no {@code floor(x + 0.5f)} double-rounding trap at
     * 0.49999997).
     */
    static float roundf(float x) {
        if (!(Math.abs(x) < 8388608f)) { // |x| >= 2^23 is already integral; NaN/inf pass through
            return x;
        }
        float t = (float) (int) x; // truncation toward zero, exact below 2^23
        float frac = x - t;
        if (frac >= 0.5f) {
            return t + 1f;
        }
        if (frac <= -0.5f) {
            return t - 1f;
        }
        return t == 0f ? Math.copySign(0f, x) : t;
    }

    /**
     * C's conversion of a float to {@code int8_t} as gcc emits it on x86-64 ({@code cvttss2si} to 32 bits, then the
     * low byte): truncation toward zero; NaN and out-of-range give 0x80000000, whose low byte is 0.
     */
    static int toInt8Trunc(float x) {
        int i = (Float.isNaN(x) || x >= 2147483648f || x < -2147483648f) ? Integer.MIN_VALUE : (int) x;
        return (byte) i;
    }
}
