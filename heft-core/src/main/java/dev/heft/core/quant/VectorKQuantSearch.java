package dev.heft.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The candidate-scale searches of ggml's k-quants ({@code make_qkx2_quants}, {@code make_qx_quants}) with one
 * candidate per vector lane. Each lane runs the C loop over the group's elements in the C order, with the same float
 * operations (no FMA; nearest_int by the same magic-number add), so every lane's sums are bit-identical to the scalar
 * code; only the choice between candidates is then made sequentially, as in C. That keeps the bytes identical to
 * llama.cpp while most of the work runs 8-16 wide.
 *
 * <p>make_qkx2_quants has a loop-carried dependency: when a candidate wins, {@code min} changes and later candidates'
 * scales depend on it. The batch is therefore evaluated speculatively with the current {@code min} and restarted after
 * the first winner in it.
 */
final class VectorKQuantSearch {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int LANES = F.length();

    private final float[] iscale = new float[LANES];
    private final float[] d = new float[LANES];
    private final float[] ts = new float[LANES];
    private final float[] tm = new float[LANES];
    private final float[] err = new float[LANES];
    private final float[] levels = new float[32 * LANES]; // pass 1's levels per element, reused by pass 2
    private final float[] qxIscale = new float[32];
    private final float[] qxLx = new float[32];
    private final float[] qxL2 = new float[32];

    /** 0, 1, ..., LANES - 1 as floats: the candidate index within a batch. */
    private static final FloatVector IOTA = iota();

    private static FloatVector iota() {
        float[] a = new float[LANES];
        for (int k = 0; k < LANES; k++) {
            a[k] = k;
        }
        return FloatVector.fromArray(F, a, 0);
    }

    static boolean useful() {
        return LANES >= 8;
    }

    private static IntVector nearestInt(FloatVector v) {
        return v.add(12582912.f).reinterpretAsInts().and(0x007fffff).sub(0x00400000);
    }

    /**
     * The {@code for (is = 0; is <= nstep; ++is)} part of make_qkx2_quants, entered with the state the C code has
     * there. Returns the scale and writes the final -min to {@code theMin[0]} and the chosen levels to L.
     */
    float qkx2Search(
            int n,
            int nmax,
            float[] x,
            int xo,
            float[] weights,
            int[] L,
            int lo,
            float[] theMin,
            float min,
            float max,
            float sumW,
            float sumX,
            float scale,
            float bestError,
            float rmin,
            float rdelta,
            int nstep,
            boolean useMad) {
        boolean found = false;
        float bestIscale = 0;
        float bestMinUsed = 0;
        int is0 = 0;
        FloatVector vSumW = FloatVector.broadcast(F, sumW);
        FloatVector vSumX = FloatVector.broadcast(F, sumX);
        FloatVector zero = FloatVector.zero(F);
        while (is0 <= nstep) {
            int cnt = Math.min(LANES, nstep - is0 + 1);
            // C: iscale = (rmin + rdelta*is + nmax)/(max - min), is an int converted exactly to float; the same
            // correctly rounded float operations lane-wise (a + b == b + a in IEEE), so one divide per batch, not 16
            FloatVector iv = IOTA.add((float) is0)
                    .mul(rdelta)
                    .add(rmin)
                    .add((float) nmax)
                    .div(max - min);
            iv.intoArray(iscale, 0);
            FloatVector sumL = zero;
            FloatVector sumL2 = zero;
            FloatVector sumXl = zero;
            for (int i = 0; i < n; ++i) {
                float xi = x[xo + i];
                FloatVector lf = (FloatVector)
                        nearestInt(iv.mul(xi - min)).max(0).min(nmax).convertShape(VectorOperators.I2F, F, 0);
                lf.intoArray(levels, i * LANES);
                FloatVector wl = lf.mul(weights[i]);
                sumL = sumL.add(wl);
                sumL2 = sumL2.add(wl.mul(lf));
                sumXl = sumXl.add(wl.mul(xi));
            }
            FloatVector dv = vSumW.mul(sumL2).sub(sumL.mul(sumL));
            FloatVector thisScale = vSumW.mul(sumXl).sub(vSumX.mul(sumL)).div(dv);
            FloatVector thisMin = sumL2.mul(sumX).sub(sumL.mul(sumXl)).div(dv);
            VectorMask<Float> pos = thisMin.compare(VectorOperators.GT, 0f);
            thisMin = thisMin.blend(zero, pos);
            thisScale = thisScale.blend(sumXl.div(sumL2), pos);
            FloatVector curError = zero;
            for (int i = 0; i < n; ++i) {
                float xi = x[xo + i];
                FloatVector lf = FloatVector.fromArray(F, levels, i * LANES);
                FloatVector diff = thisScale.mul(lf).add(thisMin).sub(xi);
                diff = useMad ? diff.abs() : diff.mul(diff);
                curError = curError.add(diff.mul(weights[i]));
            }
            dv.intoArray(d, 0);
            thisScale.intoArray(ts, 0);
            thisMin.intoArray(tm, 0);
            curError.intoArray(err, 0);
            int next = is0 + cnt;
            for (int k = 0; k < cnt; k++) {
                if (d[k] > 0 && err[k] < bestError) {
                    found = true;
                    bestError = err[k];
                    scale = ts[k];
                    bestIscale = iscale[k];
                    bestMinUsed = min;
                    min = tm[k];
                    next = is0 + k + 1; // later candidates depend on the new min: re-evaluate them
                    break;
                }
            }
            is0 = next;
        }
        if (found) {
            for (int i = 0; i < n; ++i) {
                int l = GgmlMath.nearestInt(bestIscale * (x[xo + i] - bestMinUsed));
                L[lo + i] = Math.max(0, Math.min(nmax, l));
            }
        }
        theMin[0] = -min;
        return scale;
    }

    /**
     * The {@code for (is = -9; is <= 9; ++is)} part of make_qx_quants with rmse_type 1 and no quant weights, entered
     * with the C state ({@code scale}, {@code best}); L already holds the first pass's levels.
     */
    float qxSearch(int n, int nmax, float[] x, int xo, int[] L, int lo, float max, float scale, float best) {
        int c = 0;
        for (int is = -9; is <= 9; ++is) {
            if (is != 0) {
                qxIscale[c++] = -(nmax + 0.1f * is) / max;
            }
        }
        for (int b = 0; b < c; b += LANES) {
            FloatVector iv = FloatVector.fromArray(F, qxIscale, b, F.indexInRange(b, qxIscale.length));
            FloatVector sumlx = FloatVector.zero(F);
            FloatVector suml2 = FloatVector.zero(F);
            for (int i = 0; i < n; ++i) {
                float xi = x[xo + i];
                float w = xi * xi;
                FloatVector lf = (FloatVector)
                        nearestInt(iv.mul(xi)).max(-nmax).min(nmax - 1).convertShape(VectorOperators.I2F, F, 0);
                sumlx = sumlx.add(lf.mul(w * xi));
                suml2 = suml2.add(lf.mul(w).mul(lf));
            }
            sumlx.intoArray(qxLx, b, F.indexInRange(b, qxLx.length));
            suml2.intoArray(qxL2, b, F.indexInRange(b, qxL2.length));
        }
        int chosen = -1;
        for (int k = 0; k < c; k++) {
            float sumlx = qxLx[k];
            float suml2 = qxL2[k];
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                chosen = k;
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        if (chosen >= 0) {
            float is = qxIscale[chosen];
            for (int i = 0; i < n; ++i) {
                int l = GgmlMath.nearestInt(is * x[xo + i]);
                L[lo + i] = nmax + Math.max(-nmax, Math.min(nmax - 1, l));
            }
        }
        return scale;
    }

    private final float[] nlId = new float[16];
    private final float[] nlQx = new float[16];
    private final float[] nlQ2 = new float[16];

    /**
     * IQ4_NL's {@code for (itry = -ntry; itry <= ntry; ++itry)} loop (quantize_row_iq4_nl_impl, no quant weights) with
     * one candidate per lane. The grid lookup keeps best_index_int8's arithmetic: the bracketing pair (lo, hi) of grid
     * values, then {@code x - lo < hi - x ? lo : hi}. Only for finite blocks (the caller checks); needs 16 lanes.
     */
    float iq4nlSearch(float[] x, int xo, float[] weight, float max, float d, float best, int ntry) {
        byte[] v = NonLinearQuants.KVALUES_IQ4NL;
        int c = 2 * ntry + 1;
        for (int k = 0; k < c; k++) {
            nlId[k] = (k - ntry + v[0]) / max;
        }
        for (int b = 0; b < c; b += LANES) {
            FloatVector id = FloatVector.fromArray(F, nlId, b, F.indexInRange(b, 16));
            FloatVector sumqx = FloatVector.zero(F);
            FloatVector sumq2 = FloatVector.zero(F);
            for (int j = 0; j < 32; ++j) {
                float xj = x[xo + j];
                FloatVector al = id.mul(xj);
                FloatVector lo = FloatVector.broadcast(F, v[0]);
                FloatVector hi = FloatVector.broadcast(F, v[1]);
                for (int k = 1; k < 15; k++) {
                    VectorMask<Float> m = al.compare(VectorOperators.GE, (float) v[k]);
                    lo = lo.blend((float) v[k], m);
                    hi = hi.blend((float) v[k + 1], m);
                }
                VectorMask<Float> pickLo = al.sub(lo).compare(VectorOperators.LT, hi.sub(al));
                FloatVector q = hi.blend(lo, pickLo);
                FloatVector wq = q.mul(weight[j]);
                sumqx = sumqx.add(wq.mul(xj));
                sumq2 = sumq2.add(wq.mul(q));
            }
            sumqx.intoArray(nlQx, b, F.indexInRange(b, 16));
            sumq2.intoArray(nlQ2, b, F.indexInRange(b, 16));
        }
        for (int k = 0; k < c; k++) {
            float sqx = nlQx[k];
            float sq2 = nlQ2[k];
            if (sq2 > 0 && sqx * sqx > best * sq2) {
                d = sqx / sq2;
                best = d * sqx;
            }
        }
        return d;
    }
}
