package dev.heft.core.quant;


/**
 * IQ4_NL: 32 weights share one fp16 scale and index a fixed non-uniform 16-entry grid. A port of ggml-quants.c
 * {@code quantize_iq4_nl} / {@code quantize_row_iq4_nl_impl} without importance weights (ntry = 7) and
 * {@code dequantize_row_iq4_nl} as of llama.cpp c392e5094deaf2d1a7c18683214f007fad3fe42b (what llama-quantize
 * calls). Layout (ggml-common.h): {@code block_iq4_nl { ggml_half d; uint8_t qs[16]; }}, element j in the low nibble
 * of qs[j], element j + 16 in the high nibble.
 */
final class NonLinearQuants {
    /** ggml-common.h {@code kvalues_iq4nl}. */
    static final byte[] KVALUES_IQ4NL = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
    private static final float GROUP_MAX_EPS = 1e-15f;
    private static final int NTRY = 7;

    private NonLinearQuants() {
    }

    /**
     * best_index_int8 (the version of that commit): binary search in the sorted grid, then the nearer neighbour; a tie
     * goes to the upper one.
     */
    static int bestIndexInt8(int n, byte[] val, float x) {
        if (x <= val[0]) {
            return 0;
        }
        if (x >= val[n - 1] || x != x) { // NaN: the C binary search walks to the top
            return n - 1;
        }
        // The C binary search ends at the mu with val[mu-1] <= x < val[mu]; val is sorted, so mu is one plus the
        // count of inner levels <= x. Counting without branches gives the same mu without mispredicted jumps.
        int mu = 1;
        for (int j = 1; j < n - 1; j++) {
            mu += val[j] <= x ? 1 : 0;
        }
        return x - val[mu - 1] < val[mu] - x ? mu - 1 : mu;
    }

    /** The C code's binary search, kept as the reference the counting version is tested against. */
    static int bestIndexInt8BinarySearch(int n, byte[] val, float x) {
        if (x <= val[0]) {
            return 0;
        }
        if (x >= val[n - 1]) {
            return n - 1;
        }
        int ml = 0;
        int mu = n - 1;
        while (mu - ml > 1) {
            int mav = (ml + mu) / 2;
            if (x < val[mav]) {
                mu = mav;
            } else {
                ml = mav;
            }
        }
        return x - val[mu - 1] < val[mu] - x ? mu - 1 : mu;
    }

    static void quantizeIq4Nl(float[] x, int xo, byte[] y, int yo, int nb, KQuants.Scratch s) {
        final VectorKQuantSearch vs = s.search != null && VectorKQuantSearch.LANES >= 16 ? s.search : null;
        final byte[] values = KVALUES_IQ4NL;
        final int[] L = s.l;
        final float[] weight = s.weights;
        for (int ib = 0; ib < nb; ib++, xo += 32, yo += 18) {
            // super_block_size == block_size == 32: one sub-block, so the sigma2 term (used only with an imatrix) is
            // skipped and dh = scales[0]
            for (int k = 0; k < 16; k++) {
                y[yo + 2 + k] = 0;
            }
            for (int j = 0; j < 32; ++j) {
                weight[j] = x[xo + j] * x[xo + j];
            }
            float amax = 0;
            float max = 0;
            for (int j = 0; j < 32; ++j) {
                float ax = Math.abs(x[xo + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[xo + j];
                }
            }
            float scale;
            if (amax < GROUP_MAX_EPS) {
                scale = 0;
            } else {
                float d = -max / values[0];
                float id = 1 / d;
                float sumqx = 0;
                float sumq2 = 0;
                for (int j = 0; j < 32; ++j) {
                    float al = id * x[xo + j];
                    int l = bestIndexInt8(16, values, al);
                    L[j] = l;
                    float q = values[l];
                    float w = weight[j];
                    sumqx += w * q * x[xo + j];
                    sumq2 += w * q * q;
                }
                d = sumq2 > 0 ? sumqx / sumq2 : 0.f; // later ggml guards this; without the guard a block of
                // underflowing squares would store NaN
                float best = d * sumqx;
                if (vs != null && Float.isFinite(amax) && Float.isFinite(sumqx) && Float.isFinite(sumq2)) {
                    scale = vs.iq4nlSearch(x, xo, weight, max, d, best, NTRY);
                } else {
                for (int itry = -NTRY; itry <= NTRY; ++itry) {
                    id = (itry + values[0]) / max;
                    sumqx = sumq2 = 0;
                    for (int j = 0; j < 32; ++j) {
                        float al = id * x[xo + j];
                        int l = bestIndexInt8(16, values, al);
                        float q = values[l];
                        float w = weight[j];
                        sumqx += w * q * x[xo + j];
                        sumq2 += w * q * q;
                    }
                    if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                        d = sumqx / sumq2;
                        best = d * sumqx;
                    }
                }
                scale = d;
                }
            }
            Bytes.putHalf(y, yo, scale);
            // ntry > 0: re-pick every index against the final fp32 scale (not the fp16-rounded one), as the C code does
            float id = scale != 0f ? 1 / scale : 0;
            for (int j = 0; j < 32; ++j) {
                L[j] = bestIndexInt8(16, values, id * x[xo + j]);
            }
            for (int j = 0; j < 16; ++j) {
                y[yo + 2 + j] = (byte) (L[j] | (L[16 + j] << 4));
            }
        }
    }

    static void dequantizeIq4Nl(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 18, yo += 32) {
            final float d = Bytes.getHalf(b, bo);
            for (int j = 0; j < 16; ++j) {
                int q = b[bo + 2 + j] & 0xff;
                y[yo + j] = d * KVALUES_IQ4NL[q & 0xf];
                y[yo + j + 16] = d * KVALUES_IQ4NL[q >>> 4];
            }
        }
    }

}
