package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The vector kernel against its scalar twin: identical round-trip floats on random data and on edge cases. */
class KernelTwinTest {
    private final ScalarErrorKernel scalar = new ScalarErrorKernel();
    private final Optional<VectorErrorKernel> vector = VectorErrorKernel.createIfUseful();

    static List<float[]> cases() {
        SplittableRandom r = new SplittableRandom(42);
        List<float[]> out = new ArrayList<>();
        Consumer<java.util.function.IntFunction<Float>> add = f -> {
            float[] x = new float[32 * 64];
            for (int i = 0; i < x.length; i++) {
                x[i] = f.apply(i);
            }
            out.add(x);
        };
        add.accept(i -> (float) r.nextGaussian() * 0.02f);
        add.accept(i -> (float) r.nextGaussian() * 1e4f);
        add.accept(i -> -Math.abs((float) r.nextGaussian())); // all negative
        add.accept(i -> 0f); // all-zero blocks
        add.accept(i -> 0.7f); // constant blocks
        add.accept(i -> -0.7f);
        add.accept(i -> Float.MIN_VALUE * (i % 7)); // subnormals
        add.accept(i -> (i % 32 == 5) ? Float.NaN : (float) r.nextGaussian());
        add.accept(i -> (i % 32 == 9) ? Float.POSITIVE_INFINITY : (float) r.nextGaussian());
        add.accept(i -> (i % 64 == 3) ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian());
        add.accept(i -> (float) ((i % 17) - 8) * 0.125f); // ties for the x*id + 8.5 rounding
        add.accept(i -> (i % 2 == 0 ? 1f : -1f) * (i % 32)); // equal +-amax: ggml keeps the first
        add.accept(i -> 1e-20f * (float) r.nextGaussian()); // reciprocal of the scale overflows
        add.accept(i -> 70000f * (float) r.nextGaussian()); // scale overflows fp16
        return out;
    }

    @Test
    void vectorKernelIsAvailableOnThisMachine() {
        // the build runs on x86-64 with AVX2 or better; if this fails the speed figures are from the scalar path
        assertThat(vector).isPresent();
        assertThat(ErrorKernel.preferred().name()).startsWith("vector");
    }

    @Test
    void q8_0AndQ4_0RoundTripsAreBitIdentical() {
        for (float[] x : cases()) {
            for (boolean q8 : new boolean[] {true, false}) {
                float[] a = new float[x.length];
                float[] b = new float[x.length];
                if (q8) {
                    scalar.roundTripQ8_0(x, 0, x.length, a);
                    vector.orElseThrow().roundTripQ8_0(x, 0, x.length, b);
                } else {
                    scalar.roundTripQ4_0(x, 0, x.length, a);
                    vector.orElseThrow().roundTripQ4_0(x, 0, x.length, b);
                }
                for (int i = 0; i < x.length; i++) {
                    assertThat(Float.floatToIntBits(b[i]))
                            .as("%s element %d of x=%s", q8 ? "q8_0" : "q4_0", i, x[i])
                            .isEqualTo(Float.floatToIntBits(a[i]));
                }
            }
        }
    }

    @Test
    void scalarRoundTripIsTheGgmlCodec() {
        // the scalar twin must be exactly quantize-then-dequantize through the bytes
        float[] x = cases().getFirst();
        for (GgmlQuantType t : new GgmlQuantType[] {GgmlQuantType.Q8_0, GgmlQuantType.Q4_0}) {
            byte[] q = new byte[x.length / 32 * t.blockBytes()];
            t.quantize(x, 0, q, 0, x.length / 32);
            float[] viaBytes = new float[x.length];
            t.dequantize(q, 0, viaBytes, 0, x.length / 32);
            float[] a = new float[x.length];
            if (t == GgmlQuantType.Q8_0) {
                scalar.roundTripQ8_0(x, 0, x.length, a);
            } else {
                scalar.roundTripQ4_0(x, 0, x.length, a);
            }
            assertThat(a).containsExactly(viaBytes);
        }
    }

    @Test
    void fusedRoundTripErrorAgreesWithTheTwoPasses() {
        for (float[] x : cases()) {
            for (boolean q8 : new boolean[] {true, false}) {
                ErrorSums twoPass = new ErrorSums();
                float[] y = new float[x.length];
                if (q8) {
                    scalar.roundTripQ8_0(x, 0, x.length, y);
                } else {
                    scalar.roundTripQ4_0(x, 0, x.length, y);
                }
                scalar.accumulate(x, y, 0, x.length, twoPass);
                ErrorSums fused = new ErrorSums();
                vector.orElseThrow().roundTripError(q8, x, 0, x.length, new float[x.length], fused);
                assertThat(fused.n).isEqualTo(twoPass.n);
                if (Double.isNaN(twoPass.sumErr2) || Double.isInfinite(twoPass.sumErr2)) {
                    assertThat(Double.valueOf(fused.sumErr2)).isEqualTo(Double.valueOf(twoPass.sumErr2)); // NaN == NaN
                    continue;
                }
                assertThat(fused.maxAbsErr).isEqualTo(twoPass.maxAbsErr);
                if (twoPass.sumX2 < 1e-30) {
                    // subnormal weights: their squares underflow in the float lanes (documented limit, |w| < 1e-19)
                    assertThat(fused.sumErr2).isLessThan(1e-30);
                    continue;
                }
                assertThat(fused.sumErr2)
                        .isCloseTo(twoPass.sumErr2, org.assertj.core.data.Percentage.withPercentage(1e-4));
                assertThat(fused.sumXY).isCloseTo(twoPass.sumXY, org.assertj.core.data.Percentage.withPercentage(1e-4));
            }
        }
    }

    @Test
    void accumulationsAgree() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n : new int[] {1, 7, 16, 255, 256, 257, 10_000}) {
            float[] x = new float[n + 3];
            float[] y = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
                y[i] = x[i] + (float) r.nextGaussian() * 0.01f;
            }
            ErrorSums a = new ErrorSums();
            ErrorSums b = new ErrorSums();
            scalar.accumulate(x, y, 3, n, a);
            vector.orElseThrow().accumulate(x, y, 3, n, b);
            assertThat(b.n).isEqualTo(a.n).isEqualTo(n);
            assertThat(b.maxAbsErr).isEqualTo(a.maxAbsErr);
            assertThat(b.sumErr2).isCloseTo(a.sumErr2, org.assertj.core.data.Percentage.withPercentage(1e-4));
            assertThat(b.sumX2).isCloseTo(a.sumX2, org.assertj.core.data.Percentage.withPercentage(1e-4));
            assertThat(b.sumXY).isCloseTo(a.sumXY, org.assertj.core.data.Percentage.withPercentage(1e-4));
        }
    }

    /** Every ggml type: the vector candidate search gives the scalar reference's bytes, edge cases included. */
    @Test
    void kQuantVectorSearchGivesTheSameBytes() {
        KQuants.Scratch vector = KQuants.Scratch.preferred();
        assertThat(vector.vectorized()).isTrue();
        int checked = 0;
        for (float[] x : cases()) {
            for (GgmlQuantType t : GgmlQuantType.values()) {
                int blocks = x.length / t.blockElements();
                byte[] a = new byte[blocks * t.blockBytes()];
                byte[] b = new byte[blocks * t.blockBytes()];
                t.quantize(x, 0, a, 0, blocks, new KQuants.Scratch());
                t.quantize(x, 0, b, 0, blocks, vector);
                assertThat(b)
                        .as("%s on case %d", t, checked / GgmlQuantType.values().length)
                        .isEqualTo(a);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(cases().size() * GgmlQuantType.values().length);
    }
}
