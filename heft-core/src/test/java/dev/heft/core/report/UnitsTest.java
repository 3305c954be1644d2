package dev.heft.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Units} formats without a locale ({@link Units#PLAIN}) to keep the locale providers out of every command's
 * start; what it writes must stay what {@code Locale.ROOT} wrote before, character for character: the same patterns
 * formatted both ways over random and edge values (negatives, zero, rounding ties, the extremes of long and double).
 */
class UnitsTest {
    private static final String[] PATTERNS = {"%.1f%s", "%.2f%s", "%.1f%%", "%.0f", "%.3f", "%.6f"};

    private static void assertSameAsRoot(String pattern, Object... args) {
        assertThat(String.format(Units.PLAIN, pattern, args))
                .as(pattern + " " + java.util.Arrays.toString(args))
                .isEqualTo(String.format(Locale.ROOT, pattern, args));
    }

    @Test
    void groupedIntegersAreTheRootLocales() {
        Random r = new Random(12);
        long[] edges = {0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long n : edges) {
            assertSameAsRoot("%,d", n);
            assertThat(Units.exact(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
        }
        for (int i = 0; i < 20_000; i++) {
            long n = r.nextLong() >> r.nextInt(64);
            assertSameAsRoot("%,d", n);
            assertThat(Units.exact(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
        }
    }

    @Test
    void fixedPointNumbersAreTheRootLocales() {
        Random r = new Random(13);
        double[] edges = {
            0.0,
            -0.0,
            0.005,
            0.015,
            0.125,
            1.005,
            2.675,
            99.995,
            100.05,
            999.95,
            -1.5,
            1e15,
            1e300,
            -1e-300,
            Double.MAX_VALUE,
            Double.MIN_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        for (double v : edges) {
            for (String p : PATTERNS) {
                assertSameAsRoot(p, v, " GiB");
            }
        }
        for (int i = 0; i < 20_000; i++) {
            double v = switch (r.nextInt(3)) {
                case 0 -> r.nextDouble() * 2000 - 1000;
                case 1 -> Math.round(r.nextDouble() * 100_000) / 1000.0 + 0.0005; // near rounding ties
                default -> Double.longBitsToDouble(r.nextLong());
            };
            for (String p : PATTERNS) {
                assertSameAsRoot(p, v, " B");
            }
        }
    }

    @Test
    void theHumanFormsAreTheRootLocales() {
        Random r = new Random(14);
        for (int i = 0; i < 20_000; i++) {
            long n = Math.abs(r.nextLong() >> r.nextInt(64));
            assertThat(Units.count(n)).isEqualTo(rootCount(n));
            assertThat(Units.bytes(n)).isEqualTo(rootBytes(n));
            double f = r.nextDouble();
            assertThat(Units.percent(f)).isEqualTo(String.format(Locale.ROOT, "%.1f%%", f * 100));
            int decimals = r.nextInt(5);
            double v = r.nextDouble() * 1e6;
            assertThat(Units.fixed(v, decimals)).isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", v));
        }
        assertThat(Units.count(7_241_732_096L)).isEqualTo("7.24 B");
        assertThat(Units.bytes(14_483_464_192L)).isEqualTo("13.49 GiB");
        assertThat(Units.exact(2_033_408)).isEqualTo("2,033,408");
    }

    /** {@link Units#count} as it was written with {@code Locale.ROOT}. */
    private static String rootCount(long n) {
        double v = n;
        String[] suffix = {"", " K", " M", " B", " T"};
        int i = 0;
        while (Math.abs(v) >= 1000 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        return i == 0 ? Long.toString(n) : String.format(Locale.ROOT, v >= 100 ? "%.1f%s" : "%.2f%s", v, suffix[i]);
    }

    /** {@link Units#bytes} as it was written with {@code Locale.ROOT}. */
    private static String rootBytes(long n) {
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
}
