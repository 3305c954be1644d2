package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Properties of the non-ggml schemes (their definitions are in {@link QuantScheme}): error within half a step, exact
 * on values the format represents, exact pruning counts; and the F16/BF16 input paths of the scanner.
 */
class SchemePropertiesTest {
    @TempDir
    Path tmp;

    private static float[] gaussian(int n, long seed, float std) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian() * std;
        }
        return x;
    }

    @Test
    void int8PerChannelErrorIsAtMostHalfAStepAndExactOnTheGrid() {
        int row = 96;
        float[] x = gaussian(row * 8, 1, 0.05f);
        float[] y = new float[x.length];
        SchemeRoundTrips.int8PerRow(x, x.length, row, y);
        for (int r = 0; r < 8; r++) {
            float absmax = 0;
            for (int i = 0; i < row; i++) {
                absmax = Math.max(absmax, Math.abs(x[r * row + i]));
            }
            float s = absmax / 127f;
            for (int i = 0; i < row; i++) {
                assertThat(Math.abs(y[r * row + i] - x[r * row + i])).isLessThanOrEqualTo(s / 2 * 1.0001f);
            }
        }
        float step = 1f / 1024; // a power of two: absmax / 127 gives it back exactly
        float[] grid = new float[row];
        for (int i = 0; i < row; i++) {
            grid[i] = ((i * 37) % 255 - 127) * step;
        }
        grid[0] = -127 * step;
        float[] back = new float[row];
        SchemeRoundTrips.int8PerRow(grid, row, row, back);
        assertThat(back).containsExactly(grid);
    }

    @Test
    void int4GroupErrorIsAboutHalfAStepAndExactOnTheGrid() {
        float[] x = gaussian(128 * 16, 2, 0.02f);
        float[] y = new float[x.length];
        SchemeRoundTrips.int4Groups(x, x.length, 128, y);
        for (int g = 0; g < 16; g++) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int i = 0; i < 128; i++) {
                min = Math.min(min, x[g * 128 + i]);
                max = Math.max(max, x[g * 128 + i]);
            }
            float s = HalfFloats.roundToHalf((max - min) / 15f);
            for (int i = 0; i < 128; i++) {
                // half a step, plus the clipping that the fp16 rounding of the scale can cause at the group's ends
                assertThat(Math.abs(y[g * 128 + i] - x[g * 128 + i])).isLessThanOrEqualTo(0.51f * s);
            }
        }
        float step = 1f / 256;
        int zero = 6;
        float[] grid = new float[128];
        for (int i = 0; i < 128; i++) {
            grid[i] = ((i * 7) % 16 - zero) * step;
        }
        grid[0] = -zero * step;
        grid[1] = (15 - zero) * step;
        float[] back = new float[128];
        SchemeRoundTrips.int4Groups(grid, 128, 128, back);
        assertThat(back).containsExactly(grid);
    }

    @Test
    void nf4IsExactOnItsLevelsAndWithinHalfTheWidestGap() {
        float absmax = 0.25f;
        float[] grid = new float[64];
        for (int i = 0; i < 64; i++) {
            grid[i] = Nf4.LEVELS[i % 16] * absmax;
        }
        float[] back = new float[64];
        Nf4.roundTrip(grid, 0, 64, back, 64);
        assertThat(back).containsExactly(grid);
        for (int i = 0; i < 16; i++) {
            assertThat(Nf4.index(Nf4.LEVELS[i])).isEqualTo(i);
        }
        float[] x = gaussian(64 * 20, 3, 1f);
        float[] y = new float[x.length];
        Nf4.roundTrip(x, 0, x.length, y, 64);
        float widest = 0;
        for (int i = 0; i < 15; i++) {
            widest = Math.max(widest, Nf4.LEVELS[i + 1] - Nf4.LEVELS[i]);
        }
        for (int b = 0; b < 20; b++) {
            float am = 0;
            for (int i = 0; i < 64; i++) {
                am = Math.max(am, Math.abs(x[b * 64 + i]));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(Math.abs(y[b * 64 + i] - x[b * 64 + i])).isLessThanOrEqualTo(widest / 2 * am * 1.0001f);
            }
        }
        // midpoint ties go to the lower level, as bitsandbytes' "x > threshold" tree does
        assertThat(Nf4.index(Nf4.MIDPOINTS[7])).isEqualTo(7);
        assertThat(Nf4.index(Math.nextUp(Nf4.MIDPOINTS[7]))).isEqualTo(8);
    }

    @Test
    void nf4DoubleQuantOnlyChangesTheStoredAbsmax() throws IOException {
        // the dynamic map: 256 sorted values, symmetric apart from the extra 1.0, with 0 in it
        assertThat(Nf4.DYNAMIC_MAP).hasSize(256).isSorted().contains(0f, 1f);
        assertThat(Nf4.DYNAMIC_MAP[0]).isCloseTo(-0.99297f, org.assertj.core.data.Offset.offset(1e-5f));
        // equal block absmax everywhere: absmax - mean is 0, so the stored absmax is exact and DQ changes nothing
        float[] x = gaussian(64 * 512, 4, 0.02f);
        for (int b = 0; b < 512; b++) {
            x[b * 64 + b % 64] = (b % 2 == 0 ? 1 : -1) * 0.1f;
        }
        QuantErrorReport same = scanFloats(x, 1024, "nf4,nf4-dq");
        assertThat(same.tensors().get(1).rmse()).isEqualTo(same.tensors().get(0).rmse());
        // on plain gaussian rows it costs a little, never much (8-bit absmax)
        float[] g = gaussian(64 * 1024, 5, 0.02f);
        QuantErrorReport r = scanFloats(g, 2048, "nf4,nf4-dq");
        double plain = r.tensors().get(0).rmse();
        double dq = r.tensors().get(1).rmse();
        assertThat(dq).isNotEqualTo(plain).isCloseTo(plain, org.assertj.core.data.Percentage.withPercentage(2));
        // the in-memory entry point agrees with the streaming scan
        assertThat(QuantErrorScanner.measure(QuantScheme.parse("nf4-dq"), g, 2048)
                        .rmse())
                .isCloseTo(dq, org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(QuantErrorScanner.measure(QuantScheme.parse("magnitude:0.3"), g, 2048)
                        .rmse())
                .isCloseTo(
                        scanFloats(g, 2048, "magnitude:0.3")
                                .tensors()
                                .getFirst()
                                .rmse(),
                        org.assertj.core.data.Percentage.withPercentage(1e-9));
    }

    @Test
    void fp8RoundsToNearestEvenAndSaturates() {
        Fp8Format e4 = Fp8Format.E4M3;
        assertThat(e4.round(448f)).isEqualTo(448f);
        assertThat(e4.round(1000f)).isEqualTo(448f);
        assertThat(e4.round(-1000f)).isEqualTo(-448f);
        assertThat(e4.round(17f)).isEqualTo(16f); // tie between 16 (even) and 18
        assertThat(e4.round(19f)).isEqualTo(20f); // tie between 18 and 20 (even)
        assertThat(e4.round(-19f)).isEqualTo(-20f);
        assertThat(e4.round(0.001953125f)).isEqualTo(0.001953125f); // 2^-9, smallest subnormal
        assertThat(e4.round(0.0009765625f)).isEqualTo(0f); // 2^-10: tie to even (zero)
        assertThat(e4.round(0.0029296875f)).isEqualTo(0.00390625f); // 1.5 * 2^-9: tie to 2 * 2^-9
        assertThat(e4.round(Float.NaN)).isNaN();
        Fp8Format e5 = Fp8Format.E5M2;
        assertThat(e5.round(57344f)).isEqualTo(57344f);
        assertThat(e5.round(1e6f)).isEqualTo(57344f);
        assertThat(e5.round(Float.POSITIVE_INFINITY)).isEqualTo(57344f);
        assertThat(e5.round(1.125f)).isEqualTo(1f); // tie between 1 and 1.25: even mantissa is 1
        assertThat(e5.round(1.375f)).isEqualTo(1.5f);
        // every value of the format (positive E4M3 codes 0..126) is a fixed point
        for (int code = 0; code < 127; code++) {
            int exp = code >> 3;
            int man = code & 7;
            float v = exp == 0 ? man * 0.001953125f : (float) Math.scalb(1 + man / 8.0, exp - 7);
            assertThat(e4.round(v)).as("code %d", code).isEqualTo(v);
        }
    }

    @Test
    void fp8ScanUsesOneScalePerTensor() throws IOException {
        // amax 448: the scale is exactly 1, so values that E4M3 represents come back unchanged
        float[] x = {448f, -448f, 1f, 0.5f, -3.5f, 0.001953125f, 240f, -0.0625f};
        QuantErrorReport r = scanFloats(x, 4, "fp8-e4m3");
        assertThat(r.tensors().getFirst().rmse()).isZero();
        assertThat(r.tensors().getFirst().sqnrDb()).isInfinite();
        assertThat(r.tensors().getFirst().cosine()).isEqualTo(1.0);
    }

    @Test
    void magnitudePruningZeroesExactlyTheSmallestFraction() throws IOException {
        // |w| = 1..1000 with alternating signs, shuffled by a fixed stride
        int n = 1000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int v = (i * 337) % n + 1;
            x[i] = (i % 2 == 0 ? v : -v);
        }
        QuantErrorReport r = scanFloats(x, 100, "magnitude:0.25");
        QuantErrorReport.TensorError row = r.tensors().getFirst();
        long k = 250;
        double sumSq = k * (k + 1) * (2 * k + 1) / 6.0; // 1^2 + ... + 250^2
        assertThat(row.rmse()).isCloseTo(Math.sqrt(sumSq / n), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.maxAbsErr()).isEqualTo(250.0);
        assertThat(row.elements()).isEqualTo(n);
        // ties: a constant tensor, half of it pruned; torch's count is round(0.5 * n)
        float[] c = new float[1000];
        java.util.Arrays.fill(c, -0.5f);
        QuantErrorReport.TensorError tie =
                scanFloats(c, 100, "magnitude:0.5").tensors().getFirst();
        assertThat(tie.rmse()).isCloseTo(Math.sqrt(500 * 0.25 / 1000), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tie.maxAbsErr()).isEqualTo(0.5);
        // cos = sum(kept x^2) / sqrt(sum x^2 * sum(kept x^2)) = sqrt(1/2)
        assertThat(tie.cosine()).isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-12));
        QuantErrorReport.TensorError none =
                scanFloats(c, 100, "magnitude:0").tensors().getFirst();
        assertThat(none.rmse()).isZero();
    }

    @Test
    void f16AndBf16InputsScanLikeTheSameValuesInF32() throws IOException {
        float[] x = gaussian(256 * 32, 9, 0.02f);
        float[] h = new float[x.length];
        float[] b = new float[x.length];
        ByteBuffer hb = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer bb = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < x.length; i++) {
            hb.putShort(HalfFloats.toHalf(x[i]));
            h[i] = HalfFloats.roundToHalf(x[i]);
            bb.putShort(HalfFloats.toBf16(x[i]));
            b[i] = HalfFloats.bf16ToFloat(HalfFloats.toBf16(x[i]));
        }
        String schemes = "q8_0,q4_k,int4-g128,nf4";
        QuantErrorReport fromF16 = scan(write("h.bin", hb.array()), DType.F16, 256, x.length, schemes);
        QuantErrorReport fromF32 = scanFloats(h, 256, schemes);
        QuantErrorReport fromBf16 = scan(write("b.bin", bb.array()), DType.BF16, 256, x.length, schemes);
        QuantErrorReport fromBf16AsF32 = scanFloats(b, 256, schemes);
        // F16 chunks hold twice the elements of F32 chunks of the same byte size, so only the grouping of the
        // double sums differs: same round trip, sums equal to ~1e-12
        assertSameErrors(fromF16, fromF32);
        assertSameErrors(fromBf16, fromBf16AsF32);
    }

    private static void assertSameErrors(QuantErrorReport a, QuantErrorReport b) {
        assertThat(a.tensors()).hasSameSizeAs(b.tensors());
        for (int i = 0; i < a.tensors().size(); i++) {
            QuantErrorReport.TensorError x = a.tensors().get(i);
            QuantErrorReport.TensorError y = b.tensors().get(i);
            assertThat(x.scheme()).isEqualTo(y.scheme());
            assertThat(x.elements()).isEqualTo(y.elements());
            assertThat(x.maxAbsErr()).isEqualTo(y.maxAbsErr());
            assertThat(x.rmse()).isCloseTo(y.rmse(), org.assertj.core.data.Percentage.withPercentage(1e-6));
            assertThat(x.cosine()).isCloseTo(y.cosine(), org.assertj.core.data.Offset.offset(1e-8));
        }
    }

    /** A conv kernel [out, in, kh, kw]: int8-channel scales per output channel (in*kh*kw values), not per kw row. */
    @Test
    void convKernelsAreQuantizedPerOutputChannel() throws IOException {
        int out = 4;
        int per = 8 * 3 * 3;
        float[] x = gaussian(out * per, 11, 0.02f);
        // one large value per output channel: per-channel scaling must let it dominate only its own channel
        for (int o = 0; o < out; o++) {
            x[o * per] = 0.5f * (o + 1);
        }
        ByteBuffer buf = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            buf.putFloat(v);
        }
        Path f = write("conv.bin", buf.array());
        Tensor t = Tensor.weight("conv.weight", new long[] {out, 8, 3, 3}, DType.F32, 0, 4L * x.length, f);
        TensorInventory inv = new TensorInventory(ModelFormat.SAFETENSORS, List.of(f), List.of(t), Map.of());
        QuantErrorReport r = QuantErrorScanner.scan(
                inv,
                QuantScheme.parseList("int8-channel"),
                QuantErrorOptions.defaults().withChunkBytes(4096),
                QuantErrorProgress.NONE);
        float[] y = new float[x.length];
        SchemeRoundTrips.int8PerRow(x, x.length, per, y); // rows = output channels
        ErrorSums expected = new ErrorSums();
        new ScalarErrorKernel().accumulate(x, y, 0, x.length, expected);
        assertThat(r.tensors().getFirst().rmse())
                .isCloseTo(
                        expected.rmse(), // vector vs double sums
                        org.assertj.core.data.Percentage.withPercentage(1e-4));
        // per kw-row scaling (rows of 3) would be far more accurate: make sure that is not what ran
        SchemeRoundTrips.int8PerRow(x, x.length, 3, y);
        ErrorSums perRow = new ErrorSums();
        new ScalarErrorKernel().accumulate(x, y, 0, x.length, perRow);
        assertThat(r.tensors().getFirst().rmse()).isGreaterThan(perRow.rmse() * 3);
    }

    @Test
    void schemeNamesParseAndBadOnesAreTypedErrors() {
        assertThat(QuantScheme.parseList("q8_0,q4_0,q4_k,int8-channel,int4-g128,nf4,fp8-e4m3").stream()
                        .map(QuantScheme::name))
                .containsExactly("q8_0", "q4_0", "q4_k", "int8-channel", "int4-g128", "nf4", "fp8-e4m3");
        assertThat(QuantScheme.parse("magnitude:0.5")).isEqualTo(new QuantScheme.MagnitudePrune(0.5));
        assertThat(QuantScheme.parse("Q6_K")).isEqualTo(new QuantScheme.Ggml(GgmlQuantType.Q6_K));
        assertThatThrownBy(() -> QuantScheme.parse("q9_0"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("q9_0");
        assertThatThrownBy(() -> QuantScheme.parse("magnitude:1.5")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> QuantScheme.parse("int4-g0")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> QuantScheme.parseList("q8_0,q8_0")).isInstanceOf(InvalidInputException.class);
    }

    // ---- helpers: a raw little-endian file holding one [rows, rowLength] tensor at offset 0

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private QuantErrorReport scanFloats(float[] x, int rowLength, String schemes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            buf.putFloat(v);
        }
        return scan(write("f" + System.nanoTime() + ".bin", buf.array()), DType.F32, rowLength, x.length, schemes);
    }

    private static QuantErrorReport scan(Path file, DType dtype, int rowLength, int elements, String schemes) {
        Tensor t = Tensor.weight(
                "w", new long[] {elements / rowLength, rowLength}, dtype, 0, dtype.bytesFor(elements), file);
        TensorInventory inv = new TensorInventory(ModelFormat.SAFETENSORS, List.of(file), List.of(t), Map.of());
        return QuantErrorScanner.scan(
                inv,
                QuantScheme.parseList(schemes),
                QuantErrorOptions.defaults().withChunkBytes(4096),
                QuantErrorProgress.NONE);
    }
}
