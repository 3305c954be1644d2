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
    /** Every pattern Units formats with: count and bytes, percent, and fixed at each precision heft asks for. */
    private static final String[] PATTERNS = {"%.1f%s", "%.2f%s", "%.1f%%", "%.0f", "%.1f", "%.2f", "%.3f", "%.6f"};

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

    /**
     * The forms themselves, on values whose text follows by hand from the definitions (SI and binary prefixes, two or
     * three significant decimals, half-up rounding); that every pattern writes what {@code Locale.ROOT} wrote is the
     * two tests above.
     */
    @Test
    void theHumanForms() {
        assertThat(Units.count(999)).isEqualTo("999");
        assertThat(Units.count(1_000)).isEqualTo("1.00 K");
        assertThat(Units.count(7_241_732_096L)).isEqualTo("7.24 B");
        assertThat(Units.count(405_853_388_800L)).isEqualTo("405.9 B");
        assertThat(Units.count(-2_500_000)).isEqualTo("-2.50 M");
        assertThat(Units.bytes(1_023)).isEqualTo("1023 B");
        assertThat(Units.bytes(1_024)).isEqualTo("1.00 KiB");
        assertThat(Units.bytes(14_483_464_192L)).isEqualTo("13.49 GiB");
        assertThat(Units.exact(2_033_408)).isEqualTo("2,033,408");
        assertThat(Units.exact(-1_000)).isEqualTo("-1,000");
        assertThat(Units.percent(0.1234)).isEqualTo("12.3%");
        assertThat(Units.fixed(4.8249, 3)).isEqualTo("4.825");
        assertThat(Units.fixed(141.2, 0)).isEqualTo("141");
    }
}
