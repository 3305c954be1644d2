package dev.heft.core.quant;

/**
 * bitsandbytes' 4-bit NormalFloat: each block of 64 consecutive weights (of the flattened tensor) is divided by its
 * absolute maximum and mapped to the nearest of 16 fixed levels (quantiles of N(0,1) scaled to [-1, 1], with an exact
 * zero). The table is bitsandbytes' {@code NF4} constant (functional.py / kernels.cu {@code nf4_dequantization_lut});
 * the absmax is kept as fp32, as bitsandbytes stores it without double quantization.
 *
 * <p>bitsandbytes quantizes {@code x * (1 / absmax)} with a decision tree whose thresholds are the midpoints between
 * neighbouring levels ({@code x > mid} picks the upper level, so an exact midpoint goes to the lower one); the
 * midpoints here are computed the same way in double and rounded to float.
 */
final class Nf4 {
    static final float[] LEVELS = {-1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
            -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f, 0.07958029955625534f,
            0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f,
            0.5626170039176941f, 0.7229568362236023f, 1.0f};
    static final float[] MIDPOINTS = new float[15];

    static {
        for (int i = 0; i < 15; i++) {
            MIDPOINTS[i] = (float) (((double) LEVELS[i] + LEVELS[i + 1]) / 2);
        }
    }

    private Nf4() {
    }

    /** Index of the level for a normalized value (NaN maps to the zero level's neighbourhood as bitsandbytes' tree does: 0). */
    static int index(float normalized) {
        int lo = 0;
        int hi = 15;
        while (lo < hi) { // first level whose lower midpoint is >= x, i.e. x > mid[i-1] for all below
            int mid = (lo + hi) >>> 1;
            if (normalized > MIDPOINTS[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Round trip of {@code n} values from {@code off}; blocks of {@code blockSize} start at {@code off}. */
    static void roundTrip(float[] x, int off, int n, float[] y, int blockSize) {
        for (int b = 0; b < n; b += blockSize) {
            int len = Math.min(blockSize, n - b);
            float absmax = 0f;
            for (int j = 0; j < len; j++) {
                absmax = Math.max(absmax, Math.abs(x[off + b + j]));
            }
            float inv = absmax == 0f ? 0f : 1.0f / absmax;
            for (int j = 0; j < len; j++) {
                y[off + b + j] = LEVELS[index(x[off + b + j] * inv)] * absmax;
            }
        }
    }
}
