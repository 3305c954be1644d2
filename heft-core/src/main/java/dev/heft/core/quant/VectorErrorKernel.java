package dev.heft.core.quant;

import java.util.Optional;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarErrorKernel}. The round trips compute, per 32-element block, the same float
 * operations in the same order as ggml's reference code (no fused multiply-add, roundf's ties-away done by truncation
 * plus an exact fraction test), so the dequantized floats are bit-identical to the scalar path. Blocks where that
 * reasoning does not hold (NaN, infinities, an all-zero block, a scale whose reciprocal overflows) go to the scalar
 * reference block by block. The accumulation sums 256-element stretches in float lanes, then in double (so squares
 * of errors below about 1e-19, i.e. subnormal weights, count as zero; real weights are many orders above that).
 */
final class VectorErrorKernel implements ErrorKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int STRETCH = 256;
    private final ScalarErrorKernel scalar = new ScalarErrorKernel();

    private VectorErrorKernel() {}

    /** Present only where vectors are at least 8 floats wide and divide a 32-element block. */
    static Optional<VectorErrorKernel> createIfUseful() {
        if (L < 8 || 32 % L != 0) {
            return Optional.empty();
        }
        return Optional.of(new VectorErrorKernel());
    }

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    @Override
    public void roundTripQ8_0(float[] x, int off, int n, float[] y) {
        for (int b = off; b < off + n; b += 32) {
            float amax = blockAbsMax(x, b);
            float d = amax / ((1 << 7) - 1);
            float id = 1.0f / d;
            float dh = HalfFloats.roundToHalf(d);
            if (!(amax > 0f) || !Float.isFinite(amax) || !Float.isFinite(id) || !Float.isFinite(dh)) {
                scalar.roundTripQ8_0(x, b, 32, y);
                continue;
            }
            for (int j = 0; j < 32; j += L) {
                FloatVector v = FloatVector.fromArray(F, x, b + j).mul(id);
                FloatVector q = roundHalfAway(v);
                q.mul(dh).intoArray(y, b + j);
            }
        }
    }

    /**
     * max |x| over the 32-element block at {@code b}, written without a loop: a vector carried around a loop is a phi
     * whose type C2 knows only from the call site's type profile, so a method compiled before its profile matured
     * (an early, threshold-scaled compile, see the launcher) called {@code max} virtually and ran the Vector API's
     * scalar fallback for the rest of the scan. Straight-line code keeps every receiver a fresh load.
     */
    private static float blockAbsMax(float[] x, int b) {
        FloatVector m;
        if (L == 16) {
            m = FloatVector.fromArray(F, x, b)
                    .abs()
                    .max(FloatVector.fromArray(F, x, b + 16).abs());
        } else if (L == 8) {
            m = FloatVector.fromArray(F, x, b)
                    .abs()
                    .max(FloatVector.fromArray(F, x, b + 8).abs())
                    .max(FloatVector.fromArray(F, x, b + 16)
                            .abs()
                            .max(FloatVector.fromArray(F, x, b + 24).abs()));
        } else { // L == 32: one vector per block
            m = FloatVector.fromArray(F, x, b).abs();
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    /** roundf for |v| < 2^31: truncate, then step away from zero when the exact remainder is at least one half. */
    private static FloatVector roundHalfAway(FloatVector v) {
        FloatVector t = ((IntVector) v.convertShape(VectorOperators.F2I, I, 0))
                .convertShape(VectorOperators.I2F, F, 0)
                .reinterpretAsFloats();
        FloatVector frac = v.sub(t);
        FloatVector one = FloatVector.broadcast(F, 1f);
        VectorMask<Float> up = frac.compare(VectorOperators.GE, 0.5f);
        VectorMask<Float> down = frac.compare(VectorOperators.LE, -0.5f);
        return t.add(one, up).sub(one, down);
    }

    /**
     * One pass over the chunk: each 256-element stretch is round-tripped block by block and immediately summed (float
     * lanes over the stretch, then double), so x and y are read once while hot instead of in a second pass.
     *
     * <p>The vector work sits in {@link #stretchError}, called once per stretch, not in this loop: a method called
     * thousands of times is compiled by C2 after a few chunks, while a long loop here would run in the interpreter
     * (where every Vector API operation allocates and is ~100x slower) until on-stack replacement kicks in, for each
     * of the first chunks. That cold phase cost more CPU than the whole warm scan of a 1 GB file.
     */
    @Override
    public void roundTripError(boolean q8, float[] x, int off, int n, float[] y, ErrorSums s) {
        double e2 = 0;
        double x2 = 0;
        double y2 = 0;
        double xy = 0;
        float[] acc = new float[5 * L];
        for (int b = off; b < off + n; b += STRETCH) {
            stretchError(q8, x, b, Math.min(STRETCH, off + n - b), y, acc);
            e2 += sumLanes(acc, 0);
            x2 += sumLanes(acc, L);
            y2 += sumLanes(acc, 2 * L);
            xy += sumLanes(acc, 3 * L);
        }
        s.n += n;
        s.sumErr2 += e2;
        s.maxAbsErr = Math.max(s.maxAbsErr, maxLane(acc, 4 * L));
        s.sumX2 += x2;
        s.sumY2 += y2;
        s.sumXY += xy;
    }

    /**
     * Round trip and error of {@code [b, b + len)} ({@code len} a multiple of 32): the four float lane sums go to
     * {@code acc[0, 4L)} (overwritten), the lane-wise max |error| is merged into {@code acc[4L, 5L)}.
     */
    private void stretchError(boolean q8, float[] x, int b, int len, float[] y, float[] acc) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector maxV = FloatVector.fromArray(F, acc, 4 * L);
        FloatVector ve2 = zero;
        FloatVector vx2 = zero;
        FloatVector vy2 = zero;
        FloatVector vxy = zero;
        for (int k = b; k < b + len; k += 32) {
            if (q8) { // one block at a time: its 32 dequantized floats are still in L1 when summed below
                roundTripQ8_0(x, k, 32, y);
            } else {
                roundTripQ4_0(x, k, 32, y);
            }
            for (int j = 0; j < 32; j += L) {
                FloatVector a = FloatVector.fromArray(F, x, k + j);
                FloatVector yv = FloatVector.fromArray(F, y, k + j);
                FloatVector d = yv.sub(a);
                ve2 = d.fma(d, ve2);
                maxV = d.abs().max(maxV);
                vx2 = a.fma(a, vx2);
                vy2 = yv.fma(yv, vy2);
                vxy = a.fma(yv, vxy);
            }
        }
        ve2.intoArray(acc, 0);
        vx2.intoArray(acc, L);
        vy2.intoArray(acc, 2 * L);
        vxy.intoArray(acc, 3 * L);
        maxV.intoArray(acc, 4 * L);
    }

    @Override
    public void roundTripQ4_0(float[] x, int off, int n, float[] y) {
        for (int b = off; b < off + n; b += 32) {
            float amax = blockAbsMax(x, b);
            if (!(amax > 0f) || !Float.isFinite(amax)) {
                scalar.roundTripQ4_0(x, b, 32, y);
                continue;
            }
            // ggml keeps the FIRST element of largest magnitude (strict '<' in its scan), sign included
            float max = 0f;
            for (int j = 0; j < 32; j += L) {
                VectorMask<Float> m = FloatVector.fromArray(F, x, b + j).abs().compare(VectorOperators.EQ, amax);
                if (m.anyTrue()) {
                    max = x[b + j + m.firstTrue()];
                    break;
                }
            }
            float d = max / -8;
            float id = 1.0f / d;
            float dh = HalfFloats.roundToHalf(d);
            if (!Float.isFinite(id) || !Float.isFinite(dh)) {
                scalar.roundTripQ4_0(x, b, 32, y);
                continue;
            }
            for (int j = 0; j < 32; j += L) {
                FloatVector v = FloatVector.fromArray(F, x, b + j).mul(id).add(8.5f);
                IntVector q = ((IntVector) v.convertShape(VectorOperators.F2I, I, 0))
                        .min(15)
                        .sub(8);
                ((FloatVector) q.convertShape(VectorOperators.I2F, F, 0))
                        .mul(dh)
                        .intoArray(y, b + j);
            }
        }
    }

    @Override
    public void accumulate(float[] x, float[] y, int off, int n, ErrorSums s) {
        int end = off + n;
        int i = off;
        double e2 = 0;
        double x2 = 0;
        double y2 = 0;
        double xy = 0;
        float[] acc = new float[5 * L];
        int vecEnd = off + (n - n % L);
        while (i < vecEnd) { // per-stretch calls, for the same reason as in roundTripError
            int stop = Math.min(vecEnd, i + STRETCH);
            stretchSums(x, y, i, stop, acc);
            e2 += sumLanes(acc, 0);
            x2 += sumLanes(acc, L);
            y2 += sumLanes(acc, 2 * L);
            xy += sumLanes(acc, 3 * L);
            i = stop;
        }
        double max = Math.max(s.maxAbsErr, maxLane(acc, 4 * L));
        for (; i < end; i++) {
            double a = x[i];
            double b = y[i];
            double d = b - a;
            e2 += d * d;
            max = Math.max(max, Math.abs(d));
            x2 += a * a;
            y2 += b * b;
            xy += a * b;
        }
        s.n += n;
        s.sumErr2 += e2;
        s.maxAbsErr = max;
        s.sumX2 += x2;
        s.sumY2 += y2;
        s.sumXY += xy;
    }

    /** The error sums of {@code [i, stop)} (whole vectors) into {@code acc} as {@link #stretchError} leaves them. */
    private static void stretchSums(float[] x, float[] y, int i, int stop, float[] acc) {
        FloatVector maxV = FloatVector.fromArray(F, acc, 4 * L);
        FloatVector ve2 = FloatVector.zero(F);
        FloatVector vx2 = FloatVector.zero(F);
        FloatVector vy2 = FloatVector.zero(F);
        FloatVector vxy = FloatVector.zero(F);
        for (; i < stop; i += L) {
            FloatVector a = FloatVector.fromArray(F, x, i);
            FloatVector b = FloatVector.fromArray(F, y, i);
            FloatVector d = b.sub(a);
            ve2 = d.fma(d, ve2);
            maxV = d.abs().max(maxV);
            vx2 = a.fma(a, vx2);
            vy2 = b.fma(b, vy2);
            vxy = a.fma(b, vxy);
        }
        ve2.intoArray(acc, 0);
        vx2.intoArray(acc, L);
        vy2.intoArray(acc, 2 * L);
        vxy.intoArray(acc, 3 * L);
        maxV.intoArray(acc, 4 * L);
    }

    /**
     * Lane sum in double, in lane order. Not {@code reduceLanes(ADD)}: its float association differs between the
     * interpreter's fallback and the C2 intrinsic, which made the same scan give different last digits before and
     * after JIT compilation.
     */
    private static double sumLanes(float[] acc, int from) {
        double t = 0;
        for (int k = from; k < from + L; k++) {
            t += acc[k];
        }
        return t;
    }

    private static float maxLane(float[] acc, int from) {
        float m = 0f;
        for (int k = from; k < from + L; k++) {
            m = Math.max(m, acc[k]);
        }
        return m;
    }
}
