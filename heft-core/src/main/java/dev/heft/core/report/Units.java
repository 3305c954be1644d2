package dev.heft.core.report;

import java.util.Locale;

/** Human forms of counts and sizes: {@code 7.24 B} parameters, {@code 13.49 GiB}, {@code 4.82 bits}. */
public final class Units {
    /**
     * No locale: {@link java.util.Formatter} then writes ASCII digits, '.', ',' and groups of three without asking
     * the locale machinery. {@code Locale.ROOT} gives the same characters (CLDR root: "#,##0.###", '.', ',', '-'),
     * but fetched its {@code DecimalFormatSymbols} and number pattern through the locale providers (CLDR adapter,
     * resource bundles, {@code DecimalFormat}): 5-15 ms at the first number of every command's report, none of it
     * in the AOT cache as initialised state (-Xlog:class+init, issue 12). {@code UnitsTest} checks both agree.
     */
    static final Locale PLAIN = null;

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
        return String.format(PLAIN, v >= 100 ? "%.1f%s" : "%.2f%s", v, suffix[i]);
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
        return String.format(PLAIN, "%.2f%s", v, suffix[i]);
    }

    /** Thousands-grouped exact integer: {@code 2,033,408}. */
    public static String exact(long n) {
        return String.format(PLAIN, "%,d", n);
    }

    public static String percent(double fraction) {
        return String.format(PLAIN, "%.1f%%", fraction * 100);
    }

    public static String fixed(double v, int decimals) {
        return String.format(PLAIN, "%." + decimals + "f", v);
    }
}
