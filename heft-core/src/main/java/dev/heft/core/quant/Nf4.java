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
    static final float[] LEVELS = {
        -1.0f,
        -0.6961928009986877f,
        -0.5250730514526367f,
        -0.39491748809814453f,
        -0.28444138169288635f,
        -0.18477343022823334f,
        -0.09105003625154495f,
        0.0f,
        0.07958029955625534f,
        0.16093020141124725f,
        0.24611230194568634f,
        0.33791524171829224f,
        0.44070982933044434f,
        0.5626170039176941f,
        0.7229568362236023f,
        1.0f
    };
    static final float[] MIDPOINTS = new float[15];

    static {
        for (int i = 0; i < 15; i++) {
            MIDPOINTS[i] = (float) (((double) LEVELS[i] + LEVELS[i + 1]) / 2);
        }
    }

    /** bitsandbytes' double quantization quantizes the absmax values in blocks of this many. */
    static final int DQ_BLOCK = 256;
    /** bitsandbytes {@code create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8)}, sorted ascending. */
    static final float[] DYNAMIC_MAP = dynamicMap();

    private Nf4() {}

    /**
     * The signed 8-bit dynamic map: for i in 0..6, the midpoints of {@code linspace(0.1, 1, 2^i + 1)} scaled by
     * 10^(i - 6), both signs, plus 0 and 1.0: 2 x 127 + 2 = 256 values. Computed in double and rounded to float (torch
     * computes it in float32, so the last bit of a few entries may differ; no bitsandbytes output is available here to
     * pin it).
     */
    private static float[] dynamicMap() {
        float[] data = new float[256];
        int k = 0;
        for (int i = 0; i < 7; i++) {
            int items = (1 << i) + 1;
            double scale = Math.pow(10, -6 + i);
            for (int j = 0; j + 1 < items; j++) {
                double b0 = 0.1 + 0.9 * j / (items - 1);
                double b1 = 0.1 + 0.9 * (j + 1) / (items - 1);
                float mean = (float) ((b0 + b1) / 2);
                data[k++] = (float) (scale * mean);
                data[k++] = (float) (-scale * mean);
            }
        }
        data[k++] = 0f;
        data[k++] = 1.0f;
        if (k != 256) {
            throw new ExceptionInInitializerError("dynamic map has " + k + " entries");
        }
        java.util.Arrays.sort(data);
        return data;
    }

    /** Nearest entry of the sorted dynamic map (ties to the lower one). */
    static float nearestDynamic(float v) {
        int i = java.util.Arrays.binarySearch(DYNAMIC_MAP, v);
        if (i >= 0) {
            return DYNAMIC_MAP[i];
        }
        int hi = -i - 1;
        if (hi == 0) {
            return DYNAMIC_MAP[0];
        }
        if (hi == DYNAMIC_MAP.length) {
            return DYNAMIC_MAP[DYNAMIC_MAP.length - 1];
        }
        float a = DYNAMIC_MAP[hi - 1];
        float b = DYNAMIC_MAP[hi];
        return v - a <= b - v ? a : b;
    }

    /**
     * NF4 with double quantization: weights are quantized with their exact block absmax (as bitsandbytes does), but
     * the absmax that dequantization uses is the stored one: {@code offset + dyn(absmax - offset)} where each run of
     * 256 absmax values shares an fp32 scale and {@code dyn} is the nearest dynamic-map value. {@code offset} is the
     * tensor's mean absmax. {@code n} must cover whole runs except at the tensor's end.
     */
    static void roundTripDoubleQuant(float[] x, int n, float[] y, int blockSize, float offset, float[] absmaxScratch) {
        int blocks = (n + blockSize - 1) / blockSize;
        float[] am = absmaxScratch;
        for (int b = 0; b < blocks; b++) {
            int len = Math.min(blockSize, n - b * blockSize);
            float m = 0f;
            for (int j = 0; j < len; j++) {
                m = Math.max(m, Math.abs(x[b * blockSize + j]));
            }
            am[b] = m;
        }
        for (int r = 0; r < blocks; r += DQ_BLOCK) {
            int len = Math.min(DQ_BLOCK, blocks - r);
            float s = 0f;
            for (int j = 0; j < len; j++) {
                s = Math.max(s, Math.abs(am[r + j] - offset));
            }
            float inv = s == 0f ? 0f : 1f / s;
            for (int b = r; b < r + len; b++) {
                int blen = Math.min(blockSize, n - b * blockSize);
                float exact = am[b];
                float stored = nearestDynamic((exact - offset) * inv) * s + offset;
                float invExact = exact == 0f ? 0f : 1.0f / exact;
                for (int j = 0; j < blen; j++) {
                    int i = b * blockSize + j;
                    y[i] = LEVELS[index(x[i] * invExact)] * stored;
                }
            }
        }
    }

    /** Sum (double) and count of the block absmax values in {@code x[0, n)}: the pre-pass for the DQ offset. */
    static void absmaxSum(float[] x, int n, int blockSize, double[] sumAndCount) {
        for (int b = 0; b < n; b += blockSize) {
            int len = Math.min(blockSize, n - b);
            float m = 0f;
            for (int j = 0; j < len; j++) {
                m = Math.max(m, Math.abs(x[b + j]));
            }
            sumAndCount[0] += m;
            sumAndCount[1] += 1;
        }
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
