package dev.heft.core.quant;

/**
 * Running sums from which every reported error metric follows exactly: squared error, max |error|, and the three
 * inner products for SQNR and cosine similarity. Doubles, so a billion-element tensor keeps ~1e-9 relative precision.
 * Mutable and confined to one thread; partial sums are merged in a fixed order so results do not depend on scheduling.
 */
final class ErrorSums {
    long n;
    double sumErr2;
    double maxAbsErr;
    double sumX2;
    double sumY2;
    double sumXY;

    void add(ErrorSums o) {
        n += o.n;
        sumErr2 += o.sumErr2;
        maxAbsErr = Math.max(maxAbsErr, o.maxAbsErr);
        sumX2 += o.sumX2;
        sumY2 += o.sumY2;
        sumXY += o.sumXY;
    }

    double rmse() {
        return n == 0 ? 0 : Math.sqrt(sumErr2 / n);
    }

    /** 10 log10(signal power / noise power); +Infinity for an exact round trip, NaN for an all-zero exact tensor. */
    double sqnrDb() {
        if (sumErr2 == 0) {
            return sumX2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(sumX2 / sumErr2);
    }

    /** cos(x, x'); 1 when both are all zero, 0 when exactly one is. */
    double cosine() {
        if (sumX2 == 0 || sumY2 == 0) {
            return sumX2 == sumY2 ? 1.0 : 0.0;
        }
        return sumXY / Math.sqrt(sumX2 * sumY2);
    }
}
