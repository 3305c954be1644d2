package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** fp16/bf16 conversions and ggml's two integer roundings, on every half-precision bit pattern and on the ties. */
class HalfFloatsAndRoundingTest {

    @Test
    void everyHalfPatternRoundTripsExactly() {
        for (int h = 0; h < 65536; h++) {
            float f = HalfFloats.halfToFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(HalfFloats.halfToFloat(HalfFloats.toHalf(f))))
                        .isTrue();
                continue;
            }
            assertThat(HalfFloats.toHalf(f) & 0xffff).as("pattern %04x", h).isEqualTo(h);
        }
    }

    /** The exact midpoint between two neighbouring halves rounds to the one with an even mantissa (ggml's F16C RNE). */
    @Test
    void midpointsBetweenNeighbouringHalvesRoundToEven() {
        int checked = 0;
        for (int h = 0; h < 0x7bff; h++) { // positive finite, each with its successor
            float a = HalfFloats.halfToFloat((short) h);
            float b = HalfFloats.halfToFloat((short) (h + 1));
            BigDecimal mid = new BigDecimal(a).add(new BigDecimal(b)).divide(BigDecimal.valueOf(2));
            float m = mid.floatValue();
            if (new BigDecimal(m).compareTo(mid) != 0) {
                continue; // midpoint not representable in fp32 (never happens for halves, but do not assume)
            }
            int even = (h & 1) == 0 ? h : h + 1;
            assertThat(HalfFloats.toHalf(m) & 0xffff)
                    .as("midpoint after %04x", h)
                    .isEqualTo(even);
            assertThat(HalfFloats.toHalf(-m) & 0xffff).isEqualTo(even | 0x8000);
            // just above / below the midpoint go to the nearer neighbour
            assertThat(HalfFloats.toHalf(Math.nextUp(m)) & 0xffff).isEqualTo(h + 1);
            assertThat(HalfFloats.toHalf(Math.nextDown(m)) & 0xffff).isEqualTo(h);
            checked++;
        }
        assertThat(checked).isEqualTo(0x7bff);
        // overflow: 65520 (midpoint of 65504 and the next, absent, step) rounds to infinity as F16C does
        assertThat(HalfFloats.toHalf(65519.99f) & 0xffff).isEqualTo(0x7bff);
        assertThat(HalfFloats.toHalf(65520f) & 0xffff).isEqualTo(0x7c00);
    }

    @Test
    void bf16MatchesGgmlRoundingIncludingTiesAndNan() {
        for (int h = 0; h < 65536; h++) {
            float f = HalfFloats.bf16ToFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.toBf16(f))))
                        .isTrue();
                continue;
            }
            assertThat(HalfFloats.toBf16(f) & 0xffff).isEqualTo(h);
            // the value halfway to the next bf16 pattern (low 16 bits 0x8000) rounds to even
            float tie = Float.intBitsToFloat((h << 16) | 0x8000);
            if (!Float.isNaN(tie) && (h & 0x7f80) != 0x7f80) {
                int expected = (h & 1) == 0 ? h : h + 1;
                assertThat(HalfFloats.toBf16(tie) & 0xffff)
                        .as("tie after %04x", h)
                        .isEqualTo(expected & 0xffff);
            }
        }
        // a signalling NaN comes back quiet (ggml sets bit 6 of the bf16)
        assertThat(HalfFloats.toBf16(Float.intBitsToFloat(0x7f800001)) & 0xffff).isEqualTo(0x7fc0);
    }

    @Test
    void roundfRoundsHalfAwayFromZeroForNegativesToo() {
        assertThat(GgmlMath.roundf(2.5f)).isEqualTo(3f);
        assertThat(GgmlMath.roundf(-2.5f)).isEqualTo(-3f);
        assertThat(GgmlMath.roundf(-0.5f)).isEqualTo(-1f);
        assertThat(GgmlMath.roundf(0.5f)).isEqualTo(1f);
        assertThat(GgmlMath.roundf(-1.5f)).isEqualTo(-2f);
        assertThat(GgmlMath.roundf(0.49999997f)).isEqualTo(0f); // floor(x + 0.5f) would give 1
        assertThat(GgmlMath.roundf(-0.49999997f)).isEqualTo(-0f);
        assertThat(GgmlMath.roundf(-126.5f)).isEqualTo(-127f);
        assertThat(GgmlMath.roundf(8388609f)).isEqualTo(8388609f);
        assertThat(GgmlMath.roundf(Float.NaN)).isNaN();
        // cross-check against the definition on a sweep of quarter steps
        for (int i = -4000; i <= 4000; i++) {
            float x = i / 4f;
            double expected = Math.signum(x) * Math.floor(Math.abs((double) x) + 0.5);
            assertThat((double) GgmlMath.roundf(x))
                    .as("roundf(%s)", x)
                    .isEqualTo(expected == 0 ? 0.0 * Math.signum(x) : expected);
        }
    }

    @Test
    void nearestIntRoundsHalfToEvenLikeTheFpuTrick() {
        assertThat(GgmlMath.nearestInt(2.5f)).isEqualTo(2);
        assertThat(GgmlMath.nearestInt(3.5f)).isEqualTo(4);
        assertThat(GgmlMath.nearestInt(-2.5f)).isEqualTo(-2);
        assertThat(GgmlMath.nearestInt(-3.5f)).isEqualTo(-4);
        assertThat(GgmlMath.nearestInt(-0.4f)).isEqualTo(0);
        assertThat(GgmlMath.nearestInt(-7.6f)).isEqualTo(-8);
        for (int i = -40000; i <= 40000; i++) {
            float x = i / 8f;
            assertThat(GgmlMath.nearestInt(x)).as("nearest_int(%s)", x).isEqualTo((int) Math.rint(x));
        }
    }

    @Test
    void int8TruncationFollowsGccOnX86() {
        assertThat(GgmlMath.toInt8Trunc(15.9f)).isEqualTo(15);
        assertThat(GgmlMath.toInt8Trunc(-0.9f)).isEqualTo(0);
        assertThat(GgmlMath.toInt8Trunc(-3.7f)).isEqualTo(-3);
        assertThat(GgmlMath.toInt8Trunc(Float.NaN)).isEqualTo(0);
        assertThat(GgmlMath.toInt8Trunc(300f)).isEqualTo((byte) 300);
    }

    /** The branch-free IQ4_NL grid search equals ggml's binary search everywhere, ties and NaN included. */
    @Test
    void iq4NlGridSearchEqualsTheBinarySearch() {
        byte[] v = NonLinearQuants.KVALUES_IQ4NL;
        for (int i = -140 * 64; i <= 140 * 64; i++) {
            float x = i / 64f; // hits every midpoint between grid values (they are halves of integers)
            assertThat(NonLinearQuants.bestIndexInt8(16, v, x))
                    .as("x=%s", x)
                    .isEqualTo(NonLinearQuants.bestIndexInt8BinarySearch(16, v, x));
            float y = Math.nextUp(x);
            assertThat(NonLinearQuants.bestIndexInt8(16, v, y))
                    .isEqualTo(NonLinearQuants.bestIndexInt8BinarySearch(16, v, y));
        }
        for (float x : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 1e-30f}) {
            assertThat(NonLinearQuants.bestIndexInt8(16, v, x))
                    .isEqualTo(NonLinearQuants.bestIndexInt8BinarySearch(16, v, x));
        }
    }
}
