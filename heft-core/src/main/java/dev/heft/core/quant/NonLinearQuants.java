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

    private NonLinearQuants() {}

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
        final int[] L = s.l;
        for (int ib = 0; ib < nb; ib++, xo += 32, yo += 18) {
            // super_block_size == block_size == 32: one sub-block, so dh = scales[0]
            float scale = blockScale(x, xo, L, 0, s);
            Bytes.putHalf(y, yo, scale);
            // ntry > 0: re-pick every index against the final fp32 scale (not the fp16-rounded one), as the C code does
            float id = scale != 0f ? 1 / scale : 0;
            for (int j = 0; j < 32; ++j) {
                L[j] = bestIndexInt8(16, KVALUES_IQ4NL, id * x[xo + j]);
            }
            for (int j = 0; j < 16; ++j) {
                y[yo + 2 + j] = (byte) (L[j] | (L[16 + j] << 4));
            }
        }
    }

    /**
     * IQ4_XS: {@code block_iq4_xs { ggml_half d; uint16_t scales_h; uint8_t scales_l[4]; uint8_t qs[128]; }}
     * (136 bytes): 8 sub-blocks of 32 with 6-bit scales (biased by 32) under one fp16 super-scale. quantize_iq4_xs
     * without quant weights (quantize_row_iq4_nl_impl with super_block_size 256, ntry 7).
     */
    static void quantizeIq4Xs(float[] x, int xo, byte[] y, int yo, int nb, KQuants.Scratch s) {
        final int[] L = s.l;
        final float[] scales = s.scales;
        for (int ibl = 0; ibl < nb; ibl++, xo += 256, yo += 136) {
            java.util.Arrays.fill(y, yo, yo + 136, (byte) 0);
            float maxScale = 0;
            float amaxScale = 0;
            for (int ib = 0; ib < 8; ++ib) {
                scales[ib] = blockScale(x, xo + 32 * ib, L, 32 * ib, s);
                float absD = Math.abs(scales[ib]);
                if (absD > amaxScale) {
                    amaxScale = absD;
                    maxScale = scales[ib];
                }
            }
            float d = -maxScale / 32;
            Bytes.putHalf(y, yo, d);
            float id = d != 0f ? 1 / d : 0.f;
            int scalesH = 0;
            for (int ib = 0; ib < 8; ++ib) {
                int l = GgmlMath.nearestInt(id * scales[ib]);
                l = Math.max(-32, Math.min(31, l));
                float dl = d * l;
                float idl = dl != 0f ? 1 / dl : 0.f;
                for (int j = 0; j < 32; ++j) {
                    L[32 * ib + j] = bestIndexInt8(16, KVALUES_IQ4NL, idl * x[xo + 32 * ib + j]);
                }
                l += 32;
                int lLow = l & 0xf;
                int lHigh = l >> 4;
                if (ib % 2 == 0) {
                    y[yo + 4 + ib / 2] = (byte) lLow;
                } else {
                    y[yo + 4 + ib / 2] |= (byte) (lLow << 4);
                }
                scalesH |= lHigh << (2 * ib);
            }
            y[yo + 2] = (byte) scalesH;
            y[yo + 3] = (byte) (scalesH >>> 8);
            for (int i = 0; i < 8; ++i) {
                for (int j = 0; j < 16; ++j) {
                    y[yo + 8 + 16 * i + j] = (byte) (L[32 * i + j] | (L[32 * i + 16 + j] << 4));
                }
            }
        }
    }

    static void dequantizeIq4Xs(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 136) {
            final float d = Bytes.getHalf(b, bo);
            int scalesH = (b[bo + 2] & 0xff) | (b[bo + 3] & 0xff) << 8;
            for (int ib = 0; ib < 8; ++ib) {
                int ls = (((b[bo + 4 + ib / 2] & 0xff) >>> (4 * (ib % 2))) & 0xf) | (((scalesH >>> (2 * ib)) & 3) << 4);
                float dl = d * (ls - 32);
                int qs = bo + 8 + 16 * ib;
                for (int j = 0; j < 16; ++j) {
                    int q = b[qs + j] & 0xff;
                    y[yo + j] = dl * KVALUES_IQ4NL[q & 0xf];
                    y[yo + j + 16] = dl * KVALUES_IQ4NL[q >>> 4];
                }
                yo += 32;
            }
        }
    }

    /**
     * The per-32 part of quantize_row_iq4_nl_impl without quant weights: weights x^2, a first scale from the value of
     * largest magnitude, then 2 * 7 + 1 candidate scales; returns the best scale (0 for an all-zero block).
     */
    private static float blockScale(float[] x, int xo, int[] L, int lo, KQuants.Scratch s) {
        final byte[] values = KVALUES_IQ4NL;
        final float[] weight = s.weights;
        final VectorKQuantSearch vs = s.search != null && VectorKQuantSearch.LANES >= 16 ? s.search : null;
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
        if (amax < GROUP_MAX_EPS) {
            return 0;
        }
        float d = -max / values[0];
        float id = 1 / d;
        float sumqx = 0;
        float sumq2 = 0;
        for (int j = 0; j < 32; ++j) {
            float al = id * x[xo + j];
            int l = bestIndexInt8(16, values, al);
            L[lo + j] = l;
            float q = values[l];
            float w = weight[j];
            sumqx += w * q * x[xo + j];
            sumq2 += w * q * q;
        }
        d = sumq2 > 0 ? sumqx / sumq2 : 0.f; // later ggml guards this; without the guard a block of underflowing
        // squares would store NaN
        float best = d * sumqx;
        if (vs != null && Float.isFinite(amax) && Float.isFinite(sumqx) && Float.isFinite(sumq2)) {
            return vs.iq4nlSearch(x, xo, weight, max, d, best, NTRY);
        }
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
        return d;
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
