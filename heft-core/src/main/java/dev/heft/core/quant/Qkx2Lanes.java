package dev.heft.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-sub-block part of ggml's {@code quantize_row_q4_K_ref} / {@code quantize_row_q5_K_ref} (the weights, then
 * {@code make_qkx2_quants}) with one 32-element sub-block per vector lane: 16 lanes are two super-blocks at once.
 * Line numbers below are ggml/src/ggml-quants.c of llama.cpp c392e5094deaf2d1a7c18683214f007fad3fe42b.
 *
 * <p>Why across sub-blocks: make_qkx2_quants is sequential in two ways. Each float sum runs over the elements in
 * order, and the candidate loop carries {@code min} (a winning candidate changes the {@code iscale} of every later
 * one). Putting one candidate per lane ({@link VectorKQuantSearch#qkx2Search}) must restart the batch after every
 * winner; a vector reduction within a sum would reorder its additions. Sub-blocks are independent, so here each lane
 * runs the whole C function for its own sub-block: every sum is accumulated in the C order (element 0 to n - 1, one
 * add per element), every product and quotient is the same IEEE float operation (no FMA: Java never contracts, and
 * the Vector API's {@code mul} then {@code add} are two roundings, as in the C built without contraction), the
 * rounding is nearest_int's magic-number add, and each C {@code if} becomes a lane mask with the same comparison
 * ({@code <}, {@code >}, {@code !=}; false on NaN, as in C). Lanes never exchange values, so each lane's result is
 * the scalar port's, bit for bit ({@code KQuantLanesTest} checks that against {@link KQuants#makeQkx2Quants}).
 *
 * <p>Where the code writes {@code a.add(sum)} for the C {@code sum += a}: float addition and multiplication are
 * commutative in IEEE 754 (the same correctly rounded result), so only the operand order changes. It keeps the
 * loop-carried vector out of the receiver position: C2 knows a fresh vector's exact class, but not a loop phi's until
 * the call site's type profile matures, and an early compile would then call the Vector API's allocating Java
 * fallback (bench/RESULTS-quant.md). So a loop's result is passed through {@code zero.blend(v, ALL)} (all lanes
 * of v, unchanged) before it is a receiver, and the state carried across candidates lives in arrays.
 */
final class Qkx2Lanes {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int LANES = F.length();
    /** Elements per sub-block (QK_K / 8 for Q4_K and Q5_K). */
    private static final int N = 32;
    /** Sub-blocks per super-block. */
    private static final int SUB = KQuants.QK_K / N;

    /** Sub-block k's element i at {@code i * LANES + k}. */
    private final float[] xt = new float[N * LANES];

    private final float[] wt = new float[N * LANES];
    /** The candidate's levels (C Laux) as floats, pass 1 to pass 2. */
    private final float[] lt = new float[N * LANES];
    /** The final levels (C L), transposed. */
    private final int[] levels = new int[N * LANES];
    // State carried across candidates, one lane per sub-block.
    private final float[] min = new float[LANES];
    private final float[] bestError = new float[LANES];
    private final float[] scale = new float[LANES];
    private final float[] bestIscale = new float[LANES];
    private final float[] bestMinUsed = new float[LANES];
    private final float[] max = new float[LANES];
    private final float[] wSum = new float[LANES];
    private final float[] xSum = new float[LANES];
    /** max != min: the lanes that search (570). */
    private final boolean[] active = new boolean[LANES];

    /**
     * ggml-quants.c:372 nearest_int: {@code val = fval + 12582912.f; i = bits(val); (i & 0x007fffff) - 0x00400000},
     * written out where it is used (with the clamp {@code MAX(0, MIN(nmax, l))}): a small helper taking a vector
     * argument gets compiled on its own when C2 compiles early, without knowing the argument's class, and is then
     * too big to inline ("already compiled into a big method"), which leaves every vector call in it virtual.
     */
    private static final float MAGIC = 12582912.f;
    /** {@code fresh.blend(v, ALL)} is v as a vector whose class C2 knows (see the class comment). */
    private static final VectorMask<Float> ALL = F.maskAll(true);

    /** Lanes of 8 or more; the lanes then hold whole super-blocks. */
    static boolean useful() {
        return LANES >= SUB && LANES % SUB == 0;
    }

    /** Super-blocks per {@link #scalesAndMins} call. */
    static int blocksPerBatch() {
        return LANES / SUB;
    }

    /**
     * The sub-block loop of quantize_row_q4_K_ref (ggml-quants.c:1221-1236) or quantize_row_q5_K_ref (1408-1423) for
     * {@code blocks} super-blocks from {@code x[xo]}: writes {@code scales[j]}, {@code mins[j]} (make_qkx2_quants'
     * return value and {@code *the_min}) for sub-block j = 0 .. 8 * blocks - 1 and its levels to
     * {@code L[32 * j .. 32 * j + 31]}.
     */
    void scalesAndMins(float[] x, int xo, int blocks, boolean five, float[] scales, float[] mins, int[] L) {
        int count = blocks * SUB;
        for (int k = 0; k < LANES; k++) {
            int base = xo + N * k;
            for (int i = 0; i < N; i++) {
                xt[i * LANES + k] = k < count ? x[base + i] : 0f; // a zero sub-block: max == min, no search
            }
        }
        weights();
        if (five) {
            // ggml-quants.c:1414 make_qkx2_quants(32, 31, x + 32*j, weights, L + 32*j, &mins[j], Laux, -0.5f, 0.1f, 15,
            // false)
            search(31, -0.5f, 0.1f, 15);
        } else {
            // ggml-quants.c:1227 make_qkx2_quants(32, 15, x + 32*j, weights, L + 32*j, &mins[j], Laux, -1.f, 0.1f, 20,
            // false)
            search(15, -1.f, 0.1f, 20);
        }
        for (int k = 0; k < count; k++) {
            scales[k] = scale[k];
            mins[k] = -min[k]; // *the_min = -min
            for (int i = 0; i < N; i++) {
                L[N * k + i] = levels[i * LANES + k];
            }
        }
    }

    /** ggml-quants.c:1223-1226 (q5_K: 1410-1413): sum_x2 over the 32 x*x in order, av_x = sqrtf(sum_x2/32), weights = av_x + |x|. */
    private void weights() {
        FloatVector sumX2 = FloatVector.zero(F);
        for (int i = 0; i < N; i++) {
            FloatVector xv = FloatVector.fromArray(F, xt, i * LANES);
            sumX2 = xv.mul(xv).add(sumX2);
        }
        // sqrtf is correctly rounded, as is the vector SQRT (and the scalar port's (float) Math.sqrt(double))
        FloatVector avX = FloatVector.zero(F).blend(sumX2, ALL).div(32f).lanewise(VectorOperators.SQRT);
        for (int i = 0; i < N; i++) {
            avX.add(FloatVector.fromArray(F, xt, i * LANES).abs()).intoArray(wt, i * LANES);
        }
    }

    /** make_qkx2_quants (ggml-quants.c:550-629) with n = 32, use_mad = false, nstep >= 1, one sub-block per lane. */
    private void search(int nmax, float rmin, float rdelta, int nstep) {
        FloatVector zero = FloatVector.zero(F);
        // 553-568: min, max, sum_w, sum_x over the elements in order
        FloatVector x0 = FloatVector.fromArray(F, xt, 0);
        FloatVector minV = x0;
        FloatVector maxV = x0;
        FloatVector sumW = FloatVector.fromArray(F, wt, 0);
        FloatVector sumX = sumW.mul(x0);
        for (int i = 1; i < N; i++) {
            FloatVector xv = FloatVector.fromArray(F, xt, i * LANES);
            FloatVector wv = FloatVector.fromArray(F, wt, i * LANES);
            minV = xv.blend(minV, xv.compare(VectorOperators.LT, minV).not()); // if (x[i] < min) min = x[i]
            maxV = xv.blend(maxV, xv.compare(VectorOperators.GT, maxV).not()); // if (x[i] > max) max = x[i]
            sumW = wv.add(sumW); // sum_w += w
            sumX = wv.mul(xv).add(sumX); // sum_x += w * x[i]
        }
        minV = zero.blend(minV, ALL); // the loop's results, as fresh vectors (see the class comment)
        maxV = zero.blend(maxV, ALL);
        sumW = zero.blend(sumW, ALL);
        sumX = zero.blend(sumX, ALL);
        minV = zero.blend(minV, minV.compare(VectorOperators.GT, 0f).not()); // 569: if (min > 0) min = 0
        // 570-574: if (max == min) { L[i] = 0; *the_min = -min; return 0.f; } -- such lanes stay out of every update
        VectorMask<Float> active = maxV.compare(VectorOperators.NE, minV);
        // 575-585: the first guess and its error (best_mad)
        FloatVector iscale0 = FloatVector.broadcast(F, (float) nmax).div(maxV.sub(minV));
        FloatVector scale0 = FloatVector.broadcast(F, 1f).div(iscale0);
        FloatVector err0 = zero;
        for (int i = 0; i < N; i++) {
            FloatVector xv = FloatVector.fromArray(F, xt, i * LANES);
            FloatVector lf = (FloatVector) iscale0.mul(xv.sub(minV))
                    .add(MAGIC)
                    .reinterpretAsInts()
                    .and(0x007fffff)
                    .sub(0x00400000)
                    .min(nmax)
                    .max(0)
                    .convertShape(VectorOperators.I2F, F, 0);
            FloatVector diff = scale0.mul(lf).add(minV).sub(xv); // scale * L[i] + min - x[i]
            err0 = FloatVector.fromArray(F, wt, i * LANES).mul(diff.mul(diff)).add(err0); // best_mad += w * diff
        }
        minV.intoArray(min, 0);
        maxV.intoArray(max, 0);
        sumW.intoArray(wSum, 0);
        sumX.intoArray(xSum, 0);
        zero.blend(err0, ALL).intoArray(bestError, 0);
        zero.blend(scale0, active).intoArray(scale, 0); // inactive lanes return 0.f
        iscale0.intoArray(bestIscale, 0);
        minV.intoArray(bestMinUsed, 0);
        active.intoArray(this.active, 0);
        // 590-591: for (is = 0; is <= nstep; ++is) iscale = (rmin + rdelta*is + nmax)/(max - min): the numerator is the
        // same float for every lane (rdelta*is with is converted to float, then + rmin, then + nmax converted)
        for (int is = 0; is <= nstep; ++is) {
            candidate(rmin + rdelta * is + nmax, nmax);
        }
        finalLevels(nmax);
    }

    /** One pass of the candidate loop, ggml-quants.c:591-625, for every lane. */
    private void candidate(float numerator, int nmax) {
        FloatVector minV = FloatVector.fromArray(F, min, 0);
        FloatVector iscale = FloatVector.broadcast(F, numerator)
                .div(FloatVector.fromArray(F, max, 0).sub(minV)); // 591
        FloatVector sumL = FloatVector.zero(F);
        FloatVector sumL2 = FloatVector.zero(F);
        FloatVector sumXl = FloatVector.zero(F);
        for (int i = 0; i < N; i++) {
            FloatVector xv = FloatVector.fromArray(F, xt, i * LANES);
            // 594-595: l = nearest_int(iscale*(x[i] - min)); l = MAX(0, MIN(nmax, l)), as a float
            FloatVector lf = (FloatVector) iscale.mul(xv.sub(minV))
                    .add(MAGIC)
                    .reinterpretAsInts()
                    .and(0x007fffff)
                    .sub(0x00400000)
                    .min(nmax)
                    .max(0)
                    .convertShape(VectorOperators.I2F, F, 0);
            lf.intoArray(lt, i * LANES); // Laux[i] = l
            FloatVector wl = FloatVector.fromArray(F, wt, i * LANES).mul(lf); // w*l
            sumL = wl.add(sumL); // 598: sum_l += w*l
            sumL2 = wl.mul(lf).add(sumL2); // 599: sum_l2 += w*l*l
            sumXl = wl.mul(xv).add(sumXl); // 600: sum_xl += w*l*x[i]
        }
        FloatVector zero = FloatVector.zero(F);
        sumL = zero.blend(sumL, ALL); // the loop's results, as fresh vectors (see the class comment)
        sumL2 = zero.blend(sumL2, ALL);
        sumXl = zero.blend(sumXl, ALL);
        FloatVector sumW = FloatVector.fromArray(F, wSum, 0);
        FloatVector sumX = FloatVector.fromArray(F, xSum, 0);
        FloatVector d = sumW.mul(sumL2).sub(sumL.mul(sumL)); // 602: D = sum_w * sum_l2 - sum_l * sum_l
        VectorMask<Float> dPositive = d.compare(VectorOperators.GT, 0f); // 603: if (D > 0)
        VectorMask<Float> candidates = dPositive.and(VectorMask.fromArray(F, active, 0));
        if (!candidates.anyTrue()) {
            return;
        }
        FloatVector thisScale = sumW.mul(sumXl).sub(sumX.mul(sumL)).div(d); // 604
        FloatVector thisMin = sumL2.mul(sumX).sub(sumL.mul(sumXl)).div(d); // 605
        VectorMask<Float> positiveMin = thisMin.compare(VectorOperators.GT, 0f); // 606-609: if (this_min > 0)
        thisMin = thisMin.blend(0f, positiveMin);
        thisScale = thisScale.blend(sumXl.div(sumL2), positiveMin);
        FloatVector mad = FloatVector.zero(F);
        for (int i = 0; i < N; i++) {
            FloatVector xv = FloatVector.fromArray(F, xt, i * LANES);
            FloatVector lf = FloatVector.fromArray(F, lt, i * LANES);
            FloatVector diff = thisScale.mul(lf).add(thisMin).sub(xv); // 612: this_scale * Laux[i] + this_min - x[i]
            mad = FloatVector.fromArray(F, wt, i * LANES).mul(diff.mul(diff)).add(mad); // 615: mad += w * diff
        }
        FloatVector best = FloatVector.fromArray(F, bestError, 0);
        mad = zero.blend(mad, ALL);
        VectorMask<Float> wins = mad.compare(VectorOperators.LT, best).and(candidates); // 617: if (mad < best_mad)
        if (!wins.anyTrue()) {
            return;
        }
        // 618-623: L = Laux (recomputed at the end from iscale and the min it used), best_mad, scale, min
        best.blend(mad, wins).intoArray(bestError, 0);
        FloatVector.fromArray(F, scale, 0).blend(thisScale, wins).intoArray(scale, 0);
        FloatVector.fromArray(F, bestIscale, 0).blend(iscale, wins).intoArray(bestIscale, 0);
        FloatVector.fromArray(F, bestMinUsed, 0).blend(minV, wins).intoArray(bestMinUsed, 0);
        minV.blend(thisMin, wins).intoArray(min, 0);
    }

    /**
     * L as the C function leaves it: the winning candidate's Laux, which is nearest_int(iscale*(x[i] - min)) clamped
     * (594-595) with the iscale and min that candidate was computed with; without a winner the first guess's L
     * (578-580, the same expression with the first iscale and min); 0 where max == min (571).
     */
    private void finalLevels(int nmax) {
        FloatVector is = FloatVector.fromArray(F, bestIscale, 0);
        FloatVector mu = FloatVector.fromArray(F, bestMinUsed, 0);
        VectorMask<Integer> inactive = VectorMask.fromArray(F, active, 0).not().cast(I);
        for (int i = 0; i < N; i++) {
            FloatVector xv = FloatVector.fromArray(F, xt, i * LANES);
            is.mul(xv.sub(mu))
                    .add(MAGIC)
                    .reinterpretAsInts()
                    .and(0x007fffff)
                    .sub(0x00400000)
                    .min(nmax)
                    .max(0)
                    .blend(0, inactive)
                    .intoArray(levels, i * LANES);
        }
    }

    /**
     * The last loop of quantize_row_q4_K_ref (ggml-quants.c:1258-1266) / q5_K_ref (1445-1453) for one 32-element
     * group: {@code l = nearest_int((x[ii] + dm)/d); L[ii] = MAX(0, MIN(nmax, l))}, LANES elements per step (the
     * same float add and divide per element, the same rounding, so the same levels).
     */
    static void groupLevels(float[] x, int xo, float dm, float d, int nmax, int[] L, int lo) {
        for (int i = 0; i < N; i += LANES) {
            FloatVector.fromArray(F, x, xo + i)
                    .add(dm)
                    .div(d)
                    .add(MAGIC)
                    .reinterpretAsInts()
                    .and(0x007fffff)
                    .sub(0x00400000)
                    .min(nmax)
                    .max(0)
                    .intoArray(L, lo + i);
        }
    }
}
