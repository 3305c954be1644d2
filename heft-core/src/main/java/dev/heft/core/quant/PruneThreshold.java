package dev.heft.core.quant;

import java.util.List;

/**
 * Magnitude pruning's threshold per tensor without holding the tensor in memory: a radix select on the float bits of
 * |w| (sign cleared, so the bits order like the magnitudes), a histogram of the high 15 bits in one read pass, then
 * of the low 16 bits inside the chosen high bin in a second, which pins the k-th smallest |w| exactly; then the error
 * of pruning at it. The first pass also collects the absmax (FP8) and the NF4 block absmax sums (double quantization),
 * because they need the same read of every chunk before the main pass.
 */
final class PruneThreshold {
    private PruneThreshold() {}

    /** The pruning fraction of the tensor's one pruning scheme, or -1 when none applies to it. */
    static double pruneFraction(List<QuantScheme> schemes, TensorPlan p) {
        for (int i : p.schemes) {
            if (schemes.get(i) instanceof QuantScheme.MagnitudePrune m) {
                return m.fraction();
            }
        }
        return -1;
    }

    /** absmax, and the histogram of the top 15 bits of |w| (sign cleared) for pruning. */
    static void statsPass(TensorPlan p, int c, ChunkBuffers b, boolean prune, int dqBlock) {
        int n = ChunkReader.load(p, c, b);
        double[] dq = new double[2];
        if (dqBlock > 0) {
            Nf4.absmaxSum(b.x, n, dqBlock, dq);
        }
        float amax = 0f;
        int[] h = b.hist;
        if (prune) {
            java.util.Arrays.fill(h, 0, 1 << 15, 0);
        }
        for (int i = 0; i < n; i++) {
            float a = Math.abs(b.x[i]);
            amax = Math.max(amax, a);
            if (prune) {
                h[Float.floatToRawIntBits(a) >>> 16]++;
            }
        }
        synchronized (p) {
            p.amax = Math.max(p.amax, amax);
            p.nf4AbsmaxSum[0] += dq[0];
            p.nf4AbsmaxSum[1] += dq[1];
            if (prune) {
                if (p.highHist == null) {
                    p.highHist = new long[1 << 15];
                }
                for (int i = 0; i < (1 << 15); i++) {
                    p.highHist[i] += h[i];
                }
            }
        }
    }

    /** Picks the high-15-bit bin holding the k-th smallest |w|, k = fraction x elements (none for k = 0). */
    static void chooseHighBin(TensorPlan p, double fraction) {
        if (fraction < 0) {
            return;
        }
        p.pruneCount = (long) Math.rint(fraction * p.elements);
        if (p.pruneCount == 0) {
            return;
        }
        long cum = 0;
        for (int i = 0; i < p.highHist.length; i++) {
            if (cum + p.highHist[i] >= p.pruneCount) {
                p.pruneHigh = i;
                p.pruneTies = cum; // elements below this bin, for now
                p.lowHist = new long[1 << 16];
                return;
            }
            cum += p.highHist[i];
        }
        throw new IllegalStateException("histogram does not add up for " + p.tensor.name());
    }

    /** The histogram of the low 16 bits of the |w| that fall in the chosen high bin. */
    static void lowHistPass(TensorPlan p, int c, ChunkBuffers b) {
        if (p.lowHist == null) {
            return;
        }
        int n = ChunkReader.load(p, c, b);
        int[] h = b.hist;
        java.util.Arrays.fill(h, 0);
        int high = p.pruneHigh;
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(Math.abs(b.x[i]));
            if ((bits >>> 16) == high) {
                h[bits & 0xffff]++;
            }
        }
        synchronized (p) {
            for (int i = 0; i < h.length; i++) {
                p.lowHist[i] += h[i];
            }
        }
    }

    /** The exact k-th smallest |w| from the two histograms, and how many elements equal to it are pruned. */
    static void chooseThreshold(TensorPlan p) {
        if (p.lowHist == null) {
            return;
        }
        long below = p.pruneTies;
        for (int i = 0; i < p.lowHist.length; i++) {
            if (below + p.lowHist[i] >= p.pruneCount) {
                p.pruneThreshold = Float.intBitsToFloat((p.pruneHigh << 16) | i);
                p.pruneTies = p.pruneCount - below; // how many of the values equal to the threshold are pruned
                return;
            }
            below += p.lowHist[i];
        }
        throw new IllegalStateException("histogram does not add up for " + p.tensor.name());
    }

    /** Error of zeroing every |w| below the threshold (ties at the threshold are added once per tensor). */
    static void prunedSums(float[] x, int n, float threshold, ErrorSums s) {
        double e2 = 0;
        double x2 = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double a = Math.abs(v);
            x2 += v * v;
            if (a < threshold) {
                e2 += v * v;
                max = Math.max(max, a);
            }
        }
        s.n = n;
        s.sumErr2 = e2;
        s.maxAbsErr = max;
        s.sumX2 = x2;
        s.sumY2 = x2 - e2;
        s.sumXY = x2 - e2;
    }

    /**
     * Adds the {@code ties} elements equal to the threshold that are pruned too ({@link #prunedSums} counts only those
     * below it): each contributes threshold^2 of error and leaves the pruned signal's sums.
     */
    static void addTies(ErrorSums s, float threshold, long ties) {
        double tt = (double) threshold * threshold * ties;
        s.sumErr2 += tt;
        s.sumY2 -= tt;
        s.sumXY -= tt;
        s.maxAbsErr = Math.max(s.maxAbsErr, threshold);
    }
}
