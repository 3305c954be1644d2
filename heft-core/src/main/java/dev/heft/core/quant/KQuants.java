package dev.heft.core.quant;

import static dev.heft.core.quant.GgmlMath.nearestInt;

/**
 * ggml's 256-element "k-quant" super-blocks: a port of ggml/src/ggml-quants.c {@code make_qx_quants},
 * {@code make_q3_quants}, {@code make_qkx2_quants}, {@code quantize_row_q{2,3,4,5,6}_K_ref} and the matching
 * {@code dequantize_row_q*_K} (llama.cpp c392e5094deaf2d1a7c18683214f007fad3fe42b). {@code llama-quantize} without an
 * imatrix calls exactly these {@code _ref} functions ({@code quantize_q4_K(src, dst, nrow, n_per_row, NULL)}). The
 * statements keep the C evaluation order, because a reordered float sum picks different scales.
 *
 * <p>Block layouts (ggml-common.h, QK_K = 256, K_SCALE_SIZE = 12):
 * <ul>
 * <li>{@code block_q2_K { uint8_t scales[16]; uint8_t qs[64]; ggml_half d, dmin; }} (84 bytes)</li>
 * <li>{@code block_q3_K { uint8_t hmask[32]; uint8_t qs[64]; uint8_t scales[12]; ggml_half d; }} (110)</li>
 * <li>{@code block_q4_K { ggml_half d, dmin; uint8_t scales[12]; uint8_t qs[128]; }} (144)</li>
 * <li>{@code block_q5_K { ggml_half d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]; }} (176)</li>
 * <li>{@code block_q6_K { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d; }} (210)</li>
 * </ul>
 */
final class KQuants {
    static final int QK_K = 256;
    /** ggml-quants.c GROUP_MAX_EPS: below this a group counts as all zero. */
    private static final float GROUP_MAX_EPS = 1e-15f;

    private KQuants() {}

    /** Scratch arrays reused across blocks; one per thread (the C code keeps them on the stack). */
    static final class Scratch {
        /** Vector lanes for the candidate-scale searches, or null for the scalar reference. */
        final VectorKQuantSearch search;

        final int[] l = new int[QK_K];
        final int[] laux = new int[32];
        final float[] weights = new float[32];
        final float[] scales = new float[QK_K / 16];
        final float[] mins = new float[QK_K / 16];
        final float[] minOut = new float[1];
        /** One sub-block per vector lane for Q4_K/Q5_K, or null (the scalar reference, or too few lanes). */
        final Qkx2Lanes lanes;

        final float[] laneScales;
        final float[] laneMins;
        final int[] laneL;

        /** The scalar reference. */
        Scratch() {
            this(null);
        }

        private Scratch(VectorKQuantSearch search) {
            this.search = search;
            this.lanes = search != null && Qkx2Lanes.useful() ? new Qkx2Lanes() : null;
            int lanes = this.lanes != null ? Qkx2Lanes.LANES : 0;
            this.laneScales = new float[lanes];
            this.laneMins = new float[lanes];
            this.laneL = new int[32 * lanes];
        }

        /** With the vector search when the vector error kernel is in use (same bytes, tested as twins). */
        static Scratch preferred() {
            if (ErrorKernel.preferred() instanceof VectorErrorKernel) {
                try {
                    if (VectorKQuantSearch.useful()) {
                        return new Scratch(new VectorKQuantSearch());
                    }
                } catch (LinkageError e) {
                    return new Scratch();
                }
            }
            return new Scratch();
        }

        boolean vectorized() {
            return search != null;
        }
    }

    // ===================== helpers

    /** make_qx_quants(n, nmax, x, L, rmse_type, qw = NULL); L receives values in [0, 2*nmax). */
    static float makeQxQuants(
            int n, int nmax, float[] x, int xo, int[] L, int lo, int rmseType, VectorKQuantSearch vs) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; ++i) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; ++i) {
                L[lo + i] = 0;
            }
            return 0.f;
        }
        float iscale = -nmax / max;
        if (rmseType == 0) {
            for (int i = 0; i < n; ++i) {
                int l = nearestInt(iscale * x[xo + i]);
                L[lo + i] = nmax + Math.max(-nmax, Math.min(nmax - 1, l));
            }
            return 1 / iscale;
        }
        boolean returnEarly = false;
        if (rmseType < 0) {
            rmseType = -rmseType;
            returnEarly = true;
        }
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; ++i) {
            int l = nearestInt(iscale * x[xo + i]);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lo + i] = l + nmax;
            float w = weight(rmseType, x[xo + i]);
            sumlx += w * x[xo + i] * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0f ? sumlx / suml2 : 0.0f;
        if (returnEarly) {
            return suml2 > 0 ? 0.5f * (scale + 1 / iscale) : 1 / iscale;
        }
        float best = scale * sumlx;
        if (vs != null && rmseType == 1) {
            return vs.qxSearch(n, nmax, x, xo, L, lo, max, scale, best);
        }
        for (int is = -9; is <= 9; ++is) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = suml2 = 0;
            for (int i = 0; i < n; ++i) {
                int l = nearestInt(iscale * x[xo + i]);
                l = Math.max(-nmax, Math.min(nmax - 1, l));
                float w = weight(rmseType, x[xo + i]);
                sumlx += w * x[xo + i] * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; ++i) {
                    int l = nearestInt(iscale * x[xo + i]);
                    L[lo + i] = nmax + Math.max(-nmax, Math.min(nmax - 1, l));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    private static float weight(int rmseType, float x) {
        return rmseType == 1 ? x * x : rmseType == 2 ? 1 : rmseType == 3 ? Math.abs(x) : (float) Math.sqrt(Math.abs(x));
    }

    /** make_q3_quants(n, nmax, x, L, do_rmse); L receives values in [0, 2*nmax). */
    static float makeQ3Quants(int n, int nmax, float[] x, int xo, int[] L, int lo, boolean doRmse) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; ++i) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; ++i) {
                L[lo + i] = 0;
            }
            return 0.f;
        }
        float iscale = -nmax / max;
        if (doRmse) {
            float sumlx = 0;
            float suml2 = 0;
            for (int i = 0; i < n; ++i) {
                int l = nearestInt(iscale * x[xo + i]);
                l = Math.max(-nmax, Math.min(nmax - 1, l));
                L[lo + i] = l;
                float w = x[xo + i] * x[xo + i];
                sumlx += w * x[xo + i] * l;
                suml2 += w * l * l;
            }
            for (int itry = 0; itry < 5; ++itry) {
                int nChanged = 0;
                for (int i = 0; i < n; ++i) {
                    float xi = x[xo + i];
                    float w = xi * xi;
                    float slx = sumlx - w * xi * L[lo + i];
                    if (slx > 0) {
                        float sl2 = suml2 - w * L[lo + i] * L[lo + i];
                        int newL = nearestInt(xi * sl2 / slx);
                        newL = Math.max(-nmax, Math.min(nmax - 1, newL));
                        if (newL != L[lo + i]) {
                            slx += w * xi * newL;
                            sl2 += w * newL * newL;
                            if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                                L[lo + i] = newL;
                                sumlx = slx;
                                suml2 = sl2;
                                ++nChanged;
                            }
                        }
                    }
                }
                if (nChanged == 0) {
                    break;
                }
            }
            for (int i = 0; i < n; ++i) {
                L[lo + i] += nmax;
            }
            return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
        }
        for (int i = 0; i < n; ++i) {
            int l = nearestInt(iscale * x[xo + i]);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lo + i] = l + nmax;
        }
        return 1 / iscale;
    }

    /** make_qkx2_quants; returns the scale and writes -min to {@code theMin[0]}; L receives values in [0, nmax]. */
    static float makeQkx2Quants(
            int n,
            int nmax,
            float[] x,
            int xo,
            float[] weights,
            int[] L,
            int lo,
            float[] theMin,
            int[] Laux,
            float rmin,
            float rdelta,
            int nstep,
            boolean useMad,
            VectorKQuantSearch vs) {
        float min = x[xo];
        float max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; ++i) {
            float xi = x[xo + i];
            if (xi < min) {
                min = xi;
            }
            if (xi > max) {
                max = xi;
            }
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            for (int i = 0; i < n; ++i) {
                L[lo + i] = 0;
            }
            theMin[0] = -min;
            return 0.f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; ++i) {
            int l = nearestInt(iscale * (x[xo + i] - min));
            L[lo + i] = Math.max(0, Math.min(nmax, l));
            float diff = scale * L[lo + i] + min - x[xo + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1) {
            theMin[0] = -min;
            return scale;
        }
        if (vs != null) {
            return vs.qkx2Search(
                    n, nmax, x, xo, weights, L, lo, theMin, min, max, sumW, sumX, scale, bestError, rmin, rdelta, nstep,
                    useMad);
        }
        for (int is = 0; is <= nstep; ++is) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXl = 0;
            for (int i = 0; i < n; ++i) {
                int l = nearestInt(iscale * (x[xo + i] - min));
                l = Math.max(0, Math.min(nmax, l));
                Laux[i] = l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXl += w * l * x[xo + i];
            }
            float D = sumW * sumL2 - sumL * sumL;
            if (D > 0) {
                float thisScale = (sumW * sumXl - sumX * sumL) / D;
                float thisMin = (sumL2 * sumX - sumL * sumXl) / D;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXl / sumL2;
                }
                float curError = 0;
                for (int i = 0; i < n; ++i) {
                    float diff = thisScale * Laux[i] + thisMin - x[xo + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    curError += weights[i] * diff;
                }
                if (curError < bestError) {
                    for (int i = 0; i < n; ++i) {
                        L[lo + i] = Laux[i];
                    }
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin[0] = -min;
        return scale;
    }

    /** get_scale_min_k4: the 6-bit scale (index 0) and min (index 1) of sub-block j from the 12 packed bytes. */
    static int scaleK4(int j, byte[] q, int qo) {
        if (j < 4) {
            return q[qo + j] & 63;
        }
        return (q[qo + j + 4] & 0xF) | (((q[qo + j - 4] & 0xff) >>> 6) << 4);
    }

    static int minK4(int j, byte[] q, int qo) {
        if (j < 4) {
            return q[qo + j + 4] & 63;
        }
        return ((q[qo + j + 4] & 0xff) >>> 4) | (((q[qo + j] & 0xff) >>> 6) << 4);
    }

    // ===================== Q2_K

    static void quantizeQ2K(float[] x, int xo, byte[] y, int yo, int nb, Scratch s) {
        final int[] L = s.l;
        final float[] weights = s.weights;
        final float[] mins = s.mins;
        final float[] scales = s.scales;
        final float q4scale = 15.f;
        for (int i = 0; i < nb; i++, xo += QK_K, yo += 84) {
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < QK_K / 16; ++j) {
                for (int l = 0; l < 16; ++l) {
                    weights[l] = Math.abs(x[xo + 16 * j + l]);
                }
                scales[j] = makeQkx2Quants(
                        16, 3, x, xo + 16 * j, weights, L, 16 * j, s.minOut, s.laux, -0.5f, 0.1f, 15, true, s.search);
                mins[j] = s.minOut[0];
                float scale = scales[j];
                if (scale > maxScale) {
                    maxScale = scale;
                }
                float min = mins[j];
                if (min > maxMin) {
                    maxMin = min;
                }
            }
            // layout: scales[16] @0, qs[64] @16, d @80, dmin @82
            if (maxScale > 0) {
                float iscale = q4scale / maxScale;
                for (int j = 0; j < QK_K / 16; ++j) {
                    int l = nearestInt(iscale * scales[j]);
                    y[yo + j] = (byte) l;
                }
                Bytes.putHalf(y, yo + 80, maxScale / q4scale);
            } else {
                for (int j = 0; j < QK_K / 16; ++j) {
                    y[yo + j] = 0;
                }
                Bytes.putHalf(y, yo + 80, 0.f);
            }
            if (maxMin > 0) {
                float iscale = q4scale / maxMin;
                for (int j = 0; j < QK_K / 16; ++j) {
                    int l = nearestInt(iscale * mins[j]);
                    y[yo + j] |= (byte) (l << 4);
                }
                Bytes.putHalf(y, yo + 82, maxMin / q4scale);
            } else {
                Bytes.putHalf(y, yo + 82, 0.f);
            }
            float dAll = Bytes.getHalf(y, yo + 80);
            float mAll = Bytes.getHalf(y, yo + 82);
            for (int j = 0; j < QK_K / 16; ++j) {
                int sc = y[yo + j] & 0xff;
                final float d = dAll * (sc & 0xF);
                if (d == 0f) {
                    continue;
                }
                final float dm = mAll * (sc >>> 4);
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt((x[xo + 16 * j + ii] + dm) / d);
                    l = Math.max(0, Math.min(3, l));
                    L[16 * j + ii] = l;
                }
            }
            for (int j = 0; j < QK_K; j += 128) {
                for (int l = 0; l < 32; ++l) {
                    y[yo + 16 + j / 4 + l] =
                            (byte) (L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
                }
            }
        }
    }

    static void dequantizeQ2K(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 84) {
            final float d = Bytes.getHalf(b, bo + 80);
            final float min = Bytes.getHalf(b, bo + 82);
            int q = bo + 16;
            int is = 0;
            for (int n = 0; n < QK_K; n += 128) {
                int shift = 0;
                for (int j = 0; j < 4; ++j) {
                    int sc = b[bo + is++] & 0xff;
                    float dl = d * (sc & 0xF);
                    float ml = min * (sc >>> 4);
                    for (int l = 0; l < 16; ++l) {
                        y[yo++] = dl * (((b[q + l] & 0xff) >>> shift) & 3) - ml;
                    }
                    sc = b[bo + is++] & 0xff;
                    dl = d * (sc & 0xF);
                    ml = min * (sc >>> 4);
                    for (int l = 0; l < 16; ++l) {
                        y[yo++] = dl * (((b[q + l + 16] & 0xff) >>> shift) & 3) - ml;
                    }
                    shift += 2;
                }
                q += 32;
            }
        }
    }

    // ===================== Q3_K

    static void quantizeQ3K(float[] x, int xo, byte[] y, int yo, int nb, Scratch s) {
        final int[] L = s.l;
        final float[] scales = s.scales;
        // layout: hmask[32] @0, qs[64] @32, scales[12] @96, d @108
        for (int i = 0; i < nb; i++, xo += QK_K, yo += 110) {
            float maxScale = 0;
            float amax = 0;
            for (int j = 0; j < QK_K / 16; ++j) {
                scales[j] = makeQ3Quants(16, 4, x, xo + 16 * j, L, 16 * j, true);
                float scale = Math.abs(scales[j]);
                if (scale > amax) {
                    amax = scale;
                    maxScale = scales[j];
                }
            }
            final int sco = yo + 96;
            for (int k = 0; k < 12; k++) {
                y[sco + k] = 0;
            }
            if (maxScale != 0f) {
                float iscale = -32.f / maxScale;
                for (int j = 0; j < QK_K / 16; ++j) {
                    int l = (byte) nearestInt(iscale * scales[j]); // int8_t l = nearest_int(...)
                    l = Math.max(-32, Math.min(31, l)) + 32;
                    if (j < 8) {
                        y[sco + j] = (byte) (l & 0xF);
                    } else {
                        y[sco + j - 8] |= (byte) ((l & 0xF) << 4);
                    }
                    l >>= 4;
                    y[sco + j % 4 + 8] |= (byte) (l << (2 * (j / 4)));
                }
                Bytes.putHalf(y, yo + 108, 1 / iscale);
            } else {
                Bytes.putHalf(y, yo + 108, 0.f);
            }
            final float dAll = Bytes.getHalf(y, yo + 108);
            for (int j = 0; j < QK_K / 16; ++j) {
                int sc = j < 8 ? y[sco + j] & 0xF : (y[sco + j - 8] & 0xff) >>> 4;
                sc = (byte) ((sc | ((((y[sco + 8 + j % 4] & 0xff) >>> (2 * (j / 4))) & 3) << 4)) - 32);
                float d = dAll * sc;
                if (d == 0f) {
                    continue;
                }
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt(x[xo + 16 * j + ii] / d);
                    l = Math.max(-4, Math.min(3, l));
                    L[16 * j + ii] = l + 4;
                }
            }
            for (int k = 0; k < QK_K / 8; k++) {
                y[yo + k] = 0;
            }
            // the high bit of the first 32 quants goes to bit 0 of hmask[0..31], the next 32 to bit 1, ...
            int m = 0;
            int hm = 1;
            for (int j = 0; j < QK_K; ++j) {
                if (L[j] > 3) {
                    y[yo + m] |= (byte) hm;
                    L[j] -= 4;
                }
                if (++m == QK_K / 8) {
                    m = 0;
                    hm <<= 1;
                }
            }
            for (int j = 0; j < QK_K; j += 128) {
                for (int l = 0; l < 32; ++l) {
                    y[yo + 32 + j / 4 + l] =
                            (byte) (L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
                }
            }
        }
    }

    static void dequantizeQ3K(byte[] b, int bo, float[] y, int yo, int nb) {
        final int[] scales = new int[16];
        for (int i = 0; i < nb; i++, bo += 110) {
            final float dAll = Bytes.getHalf(b, bo + 108);
            unpackQ3Scales(b, bo + 96, scales);
            int q = bo + 32;
            int hm = bo;
            int m = 1;
            int is = 0;
            for (int n = 0; n < QK_K; n += 128) {
                int shift = 0;
                for (int j = 0; j < 4; ++j) {
                    float dl = dAll * (scales[is++] - 32);
                    for (int l = 0; l < 16; ++l) {
                        y[yo++] = dl * ((((b[q + l] & 0xff) >>> shift) & 3) - ((b[hm + l] & m) != 0 ? 0 : 4));
                    }
                    dl = dAll * (scales[is++] - 32);
                    for (int l = 0; l < 16; ++l) {
                        y[yo++] = dl * ((((b[q + l + 16] & 0xff) >>> shift) & 3) - ((b[hm + l + 16] & m) != 0 ? 0 : 4));
                    }
                    shift += 2;
                    m <<= 1;
                }
                q += 32;
            }
        }
    }

    /** The 16 6-bit Q3_K scales (biased by 32): low 4 bits in bytes 0..7 (two per byte), high 2 bits in bytes 8..11. */
    private static void unpackQ3Scales(byte[] b, int so, int[] out) {
        for (int j = 0; j < 16; j++) {
            int lo = j < 8 ? b[so + j] & 0xF : (b[so + j - 8] & 0xff) >>> 4;
            int hi = ((b[so + 8 + j % 4] & 0xff) >>> (2 * (j / 4))) & 3;
            out[j] = lo | (hi << 4);
        }
    }

    // ===================== Q4_K and Q5_K (same scale packing)

    static void quantizeQ4K(float[] x, int xo, byte[] y, int yo, int nb, Scratch s) {
        quantizeQ45K(x, xo, y, yo, nb, s, false);
    }

    static void quantizeQ5K(float[] x, int xo, byte[] y, int yo, int nb, Scratch s) {
        quantizeQ45K(x, xo, y, yo, nb, s, true);
    }

    private static void quantizeQ45K(float[] x, int xo, byte[] y, int yo, int nb, Scratch s, boolean five) {
        final int blockBytes = five ? 176 : 144;
        if (s.lanes != null) {
            // the sub-block searches of blocksPerBatch() super-blocks at once, one sub-block per lane (same floats)
            final int per = Qkx2Lanes.blocksPerBatch();
            for (int i = 0; i < nb; i += per, xo += per * QK_K, yo += per * blockBytes) {
                int blocks = Math.min(per, nb - i);
                s.lanes.scalesAndMins(x, xo, blocks, five, s.laneScales, s.laneMins, s.laneL);
                for (int b = 0; b < blocks; b++) {
                    packQ45K(
                            x,
                            xo + b * QK_K,
                            y,
                            yo + b * blockBytes,
                            s,
                            s.laneScales,
                            s.laneMins,
                            8 * b,
                            s.laneL,
                            b * QK_K,
                            five);
                }
            }
            return;
        }
        final int[] L = s.l;
        final float[] mins = s.mins;
        final float[] scales = s.scales;
        for (int i = 0; i < nb; i++, xo += QK_K, yo += blockBytes) {
            for (int j = 0; j < QK_K / 32; ++j) {
                scales[j] = subBlockQ45K(x, xo + 32 * j, five, L, 32 * j, s);
                mins[j] = s.minOut[0];
            }
            packQ45K(x, xo, y, yo, s, scales, mins, 0, L, 0, five);
        }
    }

    /**
     * One sub-block of quantize_row_q4_K_ref (ggml-quants.c:1223-1227) or quantize_row_q5_K_ref (1410-1414), the
     * scalar reference: the weights av_x + |x|, then make_qkx2_quants. Returns the scale, leaves -min in
     * {@code s.minOut[0]} and the levels in {@code L[lo..lo+31]}.
     */
    static float subBlockQ45K(float[] x, int xo, boolean five, int[] L, int lo, Scratch s) {
        final float[] weights = s.weights;
        float sumX2 = 0;
        for (int l = 0; l < 32; ++l) {
            sumX2 += x[xo + l] * x[xo + l];
        }
        float avX = (float) Math.sqrt(sumX2 / 32);
        for (int l = 0; l < 32; ++l) {
            weights[l] = avX + Math.abs(x[xo + l]);
        }
        return five
                ? makeQkx2Quants(32, 31, x, xo, weights, L, lo, s.minOut, s.laux, -0.5f, 0.1f, 15, false, s.search)
                : makeQkx2Quants(32, 15, x, xo, weights, L, lo, s.minOut, s.laux, -1.f, 0.1f, 20, false, s.search);
    }

    /**
     * The rest of quantize_row_q4_K_ref / q5_K_ref for one super-block, from the sub-blocks' {@code scales[so..so+7]},
     * {@code mins[so..so+7]} and levels {@code L[lo..lo+255]}: the 6-bit scales, d and dmin, the final levels, the
     * packing.
     */
    private static void packQ45K(
            float[] x,
            int xo,
            byte[] y,
            int yo,
            Scratch s,
            float[] scales,
            float[] mins,
            int so,
            int[] L,
            int lo,
            boolean five) {
        final int nmax = five ? 31 : 15;
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < QK_K / 32; ++j) {
            float scale = scales[so + j];
            if (scale > maxScale) {
                maxScale = scale;
            }
            float min = mins[so + j];
            if (min > maxMin) {
                maxMin = min;
            }
        }
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        final int sco = yo + 4;
        for (int j = 0; j < QK_K / 32; ++j) {
            int ls = nearestInt(invScale * scales[so + j]) & 0xff; // uint8_t ls = nearest_int(...)
            int lm = nearestInt(invMin * mins[so + j]) & 0xff;
            ls = Math.min(63, ls);
            lm = Math.min(63, lm);
            if (j < 4) {
                y[sco + j] = (byte) ls;
                y[sco + j + 4] = (byte) lm;
            } else {
                y[sco + j + 4] = (byte) ((ls & 0xF) | ((lm & 0xF) << 4));
                y[sco + j - 4] |= (byte) ((ls >>> 4) << 6);
                y[sco + j] |= (byte) ((lm >>> 4) << 6);
            }
        }
        Bytes.putHalf(y, yo, maxScale / 63.f);
        Bytes.putHalf(y, yo + 2, maxMin / 63.f);
        final float dAll = Bytes.getHalf(y, yo);
        final float mAll = Bytes.getHalf(y, yo + 2);
        for (int j = 0; j < QK_K / 32; ++j) {
            final float d = dAll * scaleK4(j, y, sco);
            if (d == 0f) {
                continue;
            }
            final float dm = mAll * minK4(j, y, sco);
            if (s.lanes != null) {
                Qkx2Lanes.groupLevels(x, xo + 32 * j, dm, d, nmax, L, lo + 32 * j);
                continue;
            }
            for (int ii = 0; ii < 32; ++ii) {
                int l = nearestInt((x[xo + 32 * j + ii] + dm) / d);
                l = Math.max(0, Math.min(nmax, l));
                L[lo + 32 * j + ii] = l;
            }
        }
        if (!five) {
            int q = yo + 16;
            for (int j = 0; j < QK_K; j += 64) {
                for (int l = 0; l < 32; ++l) {
                    y[q + l] = (byte) (L[lo + j + l] | (L[lo + j + l + 32] << 4));
                }
                q += 32;
            }
        } else {
            final int qh = yo + 16;
            int ql = yo + 48;
            for (int k = 0; k < QK_K / 8; k++) {
                y[qh + k] = 0;
            }
            int m1 = 1;
            int m2 = 2;
            for (int n = 0; n < QK_K; n += 64) {
                for (int j = 0; j < 32; ++j) {
                    int l1 = L[lo + n + j];
                    if (l1 > 15) {
                        l1 -= 16;
                        y[qh + j] |= (byte) m1;
                    }
                    int l2 = L[lo + n + j + 32];
                    if (l2 > 15) {
                        l2 -= 16;
                        y[qh + j] |= (byte) m2;
                    }
                    y[ql + j] = (byte) (l1 | (l2 << 4));
                }
                m1 <<= 2;
                m2 <<= 2;
                ql += 32;
            }
        }
    }

    static void dequantizeQ4K(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 144) {
            final float d = Bytes.getHalf(b, bo);
            final float min = Bytes.getHalf(b, bo + 2);
            final int sco = bo + 4;
            int q = bo + 16;
            int is = 0;
            for (int j = 0; j < QK_K; j += 64) {
                final float d1 = d * scaleK4(is, b, sco);
                final float m1 = min * minK4(is, b, sco);
                final float d2 = d * scaleK4(is + 1, b, sco);
                final float m2 = min * minK4(is + 1, b, sco);
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d1 * (b[q + l] & 0xF) - m1;
                }
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d2 * ((b[q + l] & 0xff) >>> 4) - m2;
                }
                q += 32;
                is += 2;
            }
        }
    }

    static void dequantizeQ5K(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 176) {
            final float d = Bytes.getHalf(b, bo);
            final float min = Bytes.getHalf(b, bo + 2);
            final int sco = bo + 4;
            final int qh = bo + 16;
            int ql = bo + 48;
            int is = 0;
            int u1 = 1;
            int u2 = 2;
            for (int j = 0; j < QK_K; j += 64) {
                final float d1 = d * scaleK4(is, b, sco);
                final float m1 = min * minK4(is, b, sco);
                final float d2 = d * scaleK4(is + 1, b, sco);
                final float m2 = min * minK4(is + 1, b, sco);
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d1 * ((b[ql + l] & 0xF) + ((b[qh + l] & u1) != 0 ? 16 : 0)) - m1;
                }
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d2 * (((b[ql + l] & 0xff) >>> 4) + ((b[qh + l] & u2) != 0 ? 16 : 0)) - m2;
                }
                ql += 32;
                is += 2;
                u1 <<= 2;
                u2 <<= 2;
            }
        }
    }

    // ===================== Q6_K

    static void quantizeQ6K(float[] x, int xo, byte[] y, int yo, int nb, Scratch s) {
        final int[] L = s.l;
        final float[] scales = s.scales;
        // layout: ql[128] @0, qh[64] @128, int8 scales[16] @192, d @208
        for (int i = 0; i < nb; i++, xo += QK_K, yo += 210) {
            float maxScale = 0;
            float maxAbsScale = 0;
            for (int ib = 0; ib < QK_K / 16; ++ib) {
                final float scale = makeQxQuants(16, 32, x, xo + 16 * ib, L, 16 * ib, 1, s.search);
                scales[ib] = scale;
                final float absScale = Math.abs(scale);
                if (absScale > maxAbsScale) {
                    maxAbsScale = absScale;
                    maxScale = scale;
                }
            }
            if (maxAbsScale < GROUP_MAX_EPS) {
                java.util.Arrays.fill(y, yo, yo + 210, (byte) 0);
                Bytes.putHalf(y, yo + 208, 0.f);
                continue;
            }
            float iscale = -128.f / maxScale;
            Bytes.putHalf(y, yo + 208, 1 / iscale);
            for (int ib = 0; ib < QK_K / 16; ++ib) {
                y[yo + 192 + ib] = (byte) Math.min(127, nearestInt(iscale * scales[ib]));
            }
            final float dAll = Bytes.getHalf(y, yo + 208);
            for (int j = 0; j < QK_K / 16; ++j) {
                float d = dAll * y[yo + 192 + j];
                if (d == 0f) {
                    continue;
                }
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt(x[xo + 16 * j + ii] / d);
                    l = Math.max(-32, Math.min(31, l));
                    L[16 * j + ii] = l + 32;
                }
            }
            int ql = yo;
            int qh = yo + 128;
            for (int j = 0; j < QK_K; j += 128) {
                for (int l = 0; l < 32; ++l) {
                    final int q1 = L[j + l] & 0xF;
                    final int q2 = L[j + l + 32] & 0xF;
                    final int q3 = L[j + l + 64] & 0xF;
                    final int q4 = L[j + l + 96] & 0xF;
                    y[ql + l] = (byte) (q1 | (q3 << 4));
                    y[ql + l + 32] = (byte) (q2 | (q4 << 4));
                    y[qh + l] = (byte) ((L[j + l] >> 4)
                            | ((L[j + l + 32] >> 4) << 2)
                            | ((L[j + l + 64] >> 4) << 4)
                            | ((L[j + l + 96] >> 4) << 6));
                }
                ql += 64;
                qh += 32;
            }
        }
    }

    static void dequantizeQ6K(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 210) {
            final float d = Bytes.getHalf(b, bo + 208);
            int ql = bo;
            int qh = bo + 128;
            int sc = bo + 192;
            for (int n = 0; n < QK_K; n += 128) {
                for (int l = 0; l < 32; ++l) {
                    int is = l / 16;
                    int h = b[qh + l] & 0xff;
                    final int q1 = ((b[ql + l] & 0xF) | (((h >>> 0) & 3) << 4)) - 32;
                    final int q2 = ((b[ql + l + 32] & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                    final int q3 = (((b[ql + l] & 0xff) >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                    final int q4 = (((b[ql + l + 32] & 0xff) >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                    y[yo + l] = d * b[sc + is] * q1;
                    y[yo + l + 32] = d * b[sc + is + 2] * q2;
                    y[yo + l + 64] = d * b[sc + is + 4] * q3;
                    y[yo + l + 96] = d * b[sc + is + 6] * q4;
                }
                yo += 128;
                ql += 64;
                qh += 32;
                sc += 8;
            }
        }
    }
}
