package dev.heft.core.report;

import java.util.Locale;

/** Human forms of counts and sizes: {@code 7.24 B} parameters, {@code 13.49 GiB}, {@code 4.82 bits}. */
public final class Units {
    private Units() {}

    /** Parameters with SI suffixes as model cards use them (K, M, B, T), three significant decimals at most. */
    public static String count(long n) {
        double v = n;
        String[] suffix = {"", " K", " M", " B", " T"};
        int i = 0;
        while (Math.abs(v) >= 1000 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        if (i == 0) {
            return Long.toString(n);
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.1f%s" : "%.2f%s", v, suffix[i]);
    }

    /** Bytes in binary units (KiB, MiB, GiB, TiB), as memory is sized. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] suffix = {" B", " KiB", " MiB", " GiB", " TiB", " PiB"};
        int i = 0;
        while (v >= 1024 && i < suffix.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, suffix[i]);
    }

    /** Thousands-grouped exact integer: {@code 2,033,408}. */
    public static String exact(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
