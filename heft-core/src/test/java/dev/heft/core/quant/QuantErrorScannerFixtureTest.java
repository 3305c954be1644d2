package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.quant.QuantErrorReport.TensorError;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The whole scan (mapping, chunking, threads, merging) over the real llama.cpp fixture, against llama.cpp's figures:
 * llama-quantize-stats per tensor, and gguf-py's vs_source for the types quantize-stats computes differently.
 */
class QuantErrorScannerFixtureTest {
    private static final Pattern LINE = Pattern.compile("^(\\w+)::(\\S+)\\s*: rmse ([0-9.]+), maxerr ([0-9.]+),.*$");

    /** An inventory of a fixture built from gguf-py's expected.json (independent of heft's GGUF reader). */
    static TensorInventory inventory(String file) {
        Path path = SharedFixtures.fixture("gguf/" + file);
        List<Tensor> tensors = new ArrayList<>();
        for (GgufFixtureTensors.Info t : GgufFixtureTensors.tensors(file)) {
            tensors.add(Tensor.weight(
                    t.name(),
                    Shapes.fromGgmlOrder(t.ggmlShape()),
                    DType.valueOf(t.ggmlType()),
                    t.offset(),
                    t.nBytes(),
                    path));
        }
        return new TensorInventory(ModelFormat.GGUF, List.of(path), tensors, Map.of());
    }

    private static Map<String, double[]> quantizeStats() throws IOException {
        Map<String, double[]> out = new HashMap<>();
        for (String l : Files.readAllLines(SharedFixtures.fixture("gguf/llama-quantize-stats.txt"))) {
            Matcher m = LINE.matcher(l);
            if (m.matches()) {
                out.put(
                        m.group(1).toLowerCase() + "::" + m.group(2),
                        new double[] {Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))});
            }
        }
        return out;
    }

    private static void assertClose(double mine, double ref, String what) {
        assertThat(mine).as(what).isCloseTo(ref, org.assertj.core.data.Offset.offset(Math.max(1e-5 * ref, 5.01e-9)));
    }

    @Test
    void scanOfTheF32SourceMatchesQuantizeStatsForEveryTensorAndType() throws IOException {
        List<QuantScheme> schemes = QuantScheme.parseList("q4_0,q4_1,q5_0,q5_1,q2_k,q3_k,q4_k,q5_k,q6_k");
        // tiny chunks and 2 threads: many chunks per tensor, merged out of order
        QuantErrorOptions opts =
                QuantErrorOptions.defaults().withThreads(2).withChunkBytes(4096).withIncludeVectors(true);
        AtomicLong lastBytes = new AtomicLong(-1);
        List<int[]> tensorCounts = new ArrayList<>();
        QuantErrorReport r = QuantErrorScanner.scan(
                inventory("tiny-llama-F32.gguf"), schemes, opts, (done, total, bytes, totalBytes) -> {
                    assertThat(bytes).isGreaterThan(lastBytes.get()).isLessThanOrEqualTo(totalBytes);
                    lastBytes.set(bytes);
                    tensorCounts.add(new int[] {done, total});
                });
        assertThat(lastBytes.get()).isEqualTo(8146848 - 13216 - 8 * 0 - paddingOf("tiny-llama-F32.gguf"));
        assertThat(tensorCounts.getLast()).containsExactly(30, 30);
        Map<String, double[]> ref = quantizeStats();
        assertThat(r.tensors()).hasSize(30 * 9);
        for (TensorError row : r.tensors()) {
            double[] e = ref.get(row.scheme() + "::" + row.tensor());
            assertThat(e).as(row.scheme() + "::" + row.tensor()).isNotNull();
            assertClose(row.rmse(), e[0], row + " rmse");
            assertClose(row.maxAbsErr(), e[1], row + " max");
            assertThat(row.elements()).isIn(256L, 32768L, 65536L, 131072L);
        }
        // the per-type totals of quantize-stats are over all 30 tensors, as the overall rows are here
        for (QuantErrorReport.SchemeError s : r.overall()) {
            double[] e = ref.get(s.scheme() + "::" + "TOTAL");
            assertThat(s.tensors()).isEqualTo(30);
            assertThat(s.elements()).isEqualTo(2033408L);
            assertThat(s.mostSensitive()).hasSize(10);
            // norms (values ~1, large absolute error but high SQNR) must not top a ranking ordered by SQNR
            assertThat(s.mostSensitive().getFirst()).doesNotContain("norm");
        }
    }

    /**
     * Default 2 MiB chunks hold whole fixture tensors (up to 131072 elements), so the Q8_0/Q4_0 path walks each chunk
     * in several cache-sized slices (QuantErrorScanner.SLICE_ELEMENTS) while Q4_K in the same scan takes the
     * whole-chunk path: both must still give llama-quantize-stats' figures.
     */
    @Test
    void slicedQ4_0NextToAWholeChunkSchemeMatchesQuantizeStats() throws IOException {
        assertThat(131072 / QuantErrorScanner.SLICE_ELEMENTS).isGreaterThan(1);
        QuantErrorReport r = QuantErrorScanner.scan(
                inventory("tiny-llama-F32.gguf"),
                QuantScheme.parseList("q4_0,q4_k"),
                QuantErrorOptions.defaults().withThreads(2).withIncludeVectors(true),
                QuantErrorProgress.NONE);
        Map<String, double[]> ref = quantizeStats();
        assertThat(r.tensors()).hasSize(30 * 2);
        for (TensorError row : r.tensors()) {
            double[] e = ref.get(row.scheme() + "::" + row.tensor());
            assertThat(e).as(row.scheme() + "::" + row.tensor()).isNotNull();
            assertClose(row.rmse(), e[0], row + " rmse");
            assertClose(row.maxAbsErr(), e[1], row + " max");
        }
    }

    private static long paddingOf(String file) {
        // tensor data section = file size - data_offset; stored tensor bytes = that minus alignment padding
        JsonObject f = GgufFixtureTensors.file(file);
        long section = f.getLong("file_size", 0) - f.getLong("data_offset", 0);
        return section - f.getLong("tensor_data_bytes", 0) + 0 * section;
    }

    @Test
    void perTypeTotalsMatchQuantizeStatsTotals() throws IOException {
        Map<String, double[]> totals = new HashMap<>();
        for (String l : Files.readAllLines(SharedFixtures.fixture("gguf/llama-quantize-stats.txt"))) {
            Matcher m = Pattern.compile("^(\\w+)\\s+: rmse ([0-9.]+), maxerr ([0-9.]+),.*$")
                    .matcher(l);
            if (m.matches()) {
                totals.put(
                        m.group(1).toLowerCase(),
                        new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
            }
        }
        QuantErrorReport r = QuantErrorScanner.scan(
                inventory("tiny-llama-F32.gguf"),
                QuantScheme.parseList("q4_k,q6_k,q3_k"),
                QuantErrorOptions.defaults().withIncludeVectors(true),
                QuantErrorProgress.NONE);
        for (QuantErrorReport.SchemeError s : r.overall()) {
            double[] e = totals.get(s.scheme());
            assertClose(s.rmse(), e[0], s.scheme() + " total rmse");
            assertClose(s.maxAbsErr(), e[1], s.scheme() + " total max");
        }
    }

    @Test
    void q8_0AndIq4NlMatchGgufPyOnTheFilesLlamaQuantizeWrote() {
        QuantErrorReport r = QuantErrorScanner.scan(
                inventory("tiny-llama-F32.gguf"),
                QuantScheme.parseList("q8_0,iq4_nl"),
                QuantErrorOptions.defaults().withChunkBytes(8192),
                QuantErrorProgress.NONE);
        int checked = 0;
        for (String file : List.of("tiny-llama-Q8_0.gguf", "tiny-llama-IQ4_NL.gguf")) {
            for (GgufFixtureTensors.Info t : GgufFixtureTensors.tensors(file)) {
                String scheme = t.ggmlType().toLowerCase();
                if (!scheme.equals("q8_0") && !scheme.equals("iq4_nl")) {
                    continue;
                }
                TensorError row = r.tensors().stream()
                        .filter(x -> x.tensor().equals(t.name()) && x.scheme().equals(scheme))
                        .findFirst()
                        .orElseThrow();
                JsonObject vs = t.entry().getObject("vs_source").orElseThrow();
                assertThat(GgufFixtureTensors.relDiff(row.rmse(), vs.getDouble("rmse", -1)))
                        .isLessThan(1e-5);
                assertThat(GgufFixtureTensors.relDiff(row.maxAbsErr(), vs.getDouble("max_abs_err", -1)))
                        .isLessThan(1e-5);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(23 + 22);
        // 1-D norms are left out by default, and say so
        assertThat(r.skipped()).filteredOn(s -> s.scheme() == null).hasSize(7);
    }

    @Test
    void scalarAndVectorKernelsGiveTheSameReport() {
        List<QuantScheme> schemes =
                QuantScheme.parseList("q8_0,q4_0,int8-channel,int4-g128,nf4,fp8-e4m3,magnitude:0.5");
        QuantErrorOptions opts = QuantErrorOptions.defaults().withThreads(2);
        QuantErrorReport a =
                QuantErrorScanner.scan(inventory("tiny-llama-F32.gguf"), schemes, opts, QuantErrorProgress.NONE);
        QuantErrorReport b = QuantErrorScanner.scanScalar(inventory("tiny-llama-F32.gguf"), schemes, opts);
        assertThat(a.tensors()).hasSameSizeAs(b.tensors()).hasSize(23 * 7);
        for (int i = 0; i < a.tensors().size(); i++) {
            TensorError x = a.tensors().get(i);
            TensorError y = b.tensors().get(i);
            assertThat(x.tensor()).isEqualTo(y.tensor());
            assertThat(x.maxAbsErr()).as(x.toString()).isEqualTo(y.maxAbsErr());
            assertThat(GgufFixtureTensors.relDiff(x.rmse(), y.rmse()))
                    .as(x.toString())
                    .isLessThan(1e-6);
            assertThat(Math.abs(x.cosine() - y.cosine())).isLessThan(1e-7); // float-lane partial sums
        }
    }

    /** Through heft's own GGUF reader (absolute offsets from the reader) the scan gives the same rows. */
    @Test
    void heftsGgufReaderFeedsTheScanTheSameTensors() throws IOException {
        Path f32 = SharedFixtures.fixture("gguf/tiny-llama-F32.gguf");
        TensorInventory viaReader = dev.heft.core.format.Formats.require(f32).read(f32);
        List<QuantScheme> schemes = QuantScheme.parseList("q4_k,q8_0,nf4");
        QuantErrorReport a =
                QuantErrorScanner.scan(viaReader, schemes, QuantErrorOptions.defaults(), QuantErrorProgress.NONE);
        QuantErrorReport b = QuantErrorScanner.scan(
                inventory("tiny-llama-F32.gguf"), schemes, QuantErrorOptions.defaults(), QuantErrorProgress.NONE);
        assertThat(a.tensors()).hasSize(23 * 3).containsExactlyInAnyOrderElementsOf(b.tensors());
        // an F16 file is scanned from its F16 values (the quantized F16 tensors), the F32 norms are skipped as 1-D
        Path f16 = SharedFixtures.fixture("gguf/tiny-llama-F16.gguf");
        QuantErrorReport h = QuantErrorScanner.scan(
                dev.heft.core.format.Formats.require(f16).read(f16),
                schemes,
                QuantErrorOptions.defaults(),
                QuantErrorProgress.NONE);
        assertThat(h.tensors()).hasSize(23 * 3);
    }

    @Test
    void dataPastTheEndOfTheFileIsACorruptModelError() {
        Path path = SharedFixtures.fixture("gguf/tiny-llama-F32.gguf");
        Tensor t = Tensor.weight("w", new long[] {512, 256}, DType.F32, 8146848 - 1000, 512 * 256 * 4, path);
        TensorInventory inv = new TensorInventory(ModelFormat.GGUF, List.of(path), List.of(t), Map.of());
        assertThatThrownBy(() -> QuantErrorScanner.scan(
                        inv, QuantScheme.parseList("q8_0"), QuantErrorOptions.defaults(), QuantErrorProgress.NONE))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("past the end");
    }

    @Test
    void aByteCountThatDisagreesWithTheShapeIsACorruptModelError() {
        Path path = SharedFixtures.fixture("gguf/tiny-llama-F32.gguf");
        // the reader said 8 bytes; F32 x [512, 256] needs 524288: never trust the shape to size a buffer
        Tensor t = new Tensor(
                "w",
                new long[] {512, 256},
                DType.F32,
                dev.heft.core.tensor.TensorRole.WEIGHT,
                512 * 256,
                13216,
                8,
                path);
        TensorInventory inv = new TensorInventory(ModelFormat.GGUF, List.of(path), List.of(t), Map.of());
        assertThatThrownBy(() -> QuantErrorScanner.scan(
                        inv, QuantScheme.parseList("q8_0"), QuantErrorOptions.defaults(), QuantErrorProgress.NONE))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("524288");
        // an absurd shape overflows long arithmetic: a typed error, not an allocation (every inventory refuses one
        // when it is built, so no scan ever sees it)
        Tensor huge = new Tensor(
                "h",
                new long[] {1L << 40, 1L << 30},
                DType.F32,
                dev.heft.core.tensor.TensorRole.WEIGHT,
                0,
                13216,
                8,
                path);
        assertThatThrownBy(() -> new TensorInventory(ModelFormat.GGUF, List.of(path), List.of(huge), Map.of()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("more elements than 64 bits");
    }

    @Test
    void rowsThatDoNotFitABlockAreSkippedWithTheReason() {
        QuantErrorReport r = QuantErrorScanner.scan(
                inventory("tiny-odd-F32.gguf"),
                QuantScheme.parseList("q4_k,q5_0"),
                QuantErrorOptions.defaults(),
                QuantErrorProgress.NONE);
        // rows of 192 and 688: no K-quant applies; 688 is not a multiple of 32 either (llama-quantize used F16 there)
        assertThat(r.tensors()).noneMatch(t -> t.scheme().equals("q4_k"));
        assertThat(r.skipped())
                .anyMatch(s -> "q5_0".equals(s.scheme()) && s.reason().contains("688"));
        // the Q5_0 tensors of tiny-odd-Q4_K_M match gguf-py's error
        for (GgufFixtureTensors.Info t : GgufFixtureTensors.tensors("tiny-odd-Q4_K_M.gguf")) {
            if (t.ggmlType().equals("Q5_0")) {
                TensorError row = r.tensors().stream()
                        .filter(x -> x.tensor().equals(t.name()) && x.scheme().equals("q5_0"))
                        .findFirst()
                        .orElseThrow();
                assertThat(GgufFixtureTensors.relDiff(
                                row.rmse(),
                                t.entry().getObject("vs_source").orElseThrow().getDouble("rmse", -1)))
                        .isLessThan(1e-5);
            }
        }
    }
}
