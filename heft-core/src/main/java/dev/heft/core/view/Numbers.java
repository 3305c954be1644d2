package dev.heft.core.view;

import dev.heft.core.report.Units;

/** Number forms the views share beyond {@link Units}. */
final class Numbers {
    private Numbers() {}

    /** FLOPs with SI prefixes: {@code 15.01 G}, {@code 10.97 P}. */
    static String sci(double v) {
        if (v == 0) {
            return "0";
        }
        String[] suffix = {"", " K", " M", " G", " T", " P", " E"};
        int i = 0;
        while (v >= 1000 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        return Units.fixed(v, v >= 100 ? 1 : 2) + suffix[i];
    }

    /** Seconds as people read a latency: {@code 85 ms}, {@code 1.2 s}, {@code -} when there is none. */
    static String seconds(double s) {
        if (Double.isInfinite(s) || Double.isNaN(s)) {
            return "-";
        }
        return s < 1 ? Units.fixed(s * 1000, 0) + " ms" : Units.fixed(s, 1) + " s";
    }

    /** A relative change: {@code -67.6%}, {@code +100.0%}, empty when there is no before. */
    static String change(long before, long after) {
        if (before == 0) {
            return "";
        }
        double f = (double) after / before - 1;
        return (f > 0 ? "+" : f < 0 ? "-" : "") + Units.percent(Math.abs(f));
    }
}
