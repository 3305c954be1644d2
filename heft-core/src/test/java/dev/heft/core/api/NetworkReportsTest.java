package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.report.EstimateReport;
import dev.heft.core.api.report.MemoryPartEntry;
import dev.heft.core.api.report.NetworkFitReport;
import dev.heft.core.api.report.NetworkMemoryReport;
import dev.heft.core.api.report.NetworkSpeedReport;
import dev.heft.core.api.request.EstimateRequest;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.NetworkFitRequest;
import dev.heft.core.api.request.NetworkMemoryRequest;
import dev.heft.core.api.request.NetworkSpeedRequest;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torch.nn network's memory, fit and speed through the library, against torchvision-layers.json (written by
 * scripts/vision_layers_ground_truth.py: torchinfo 1.8.0 and a TorchDispatchMode measuring live activation bytes).
 */
class NetworkReportsTest {
    private static final Heft HEFT = Heft.create();
    private static final JsonObject TRUTH = truth();

    private static JsonObject truth() {
        String path = "/dev/heft/core/arch/vision/torchvision-layers.json";
        try (InputStream in = NetworkReportsTest.class.getResourceAsStream(path)) {
            return Json.parse(in.readAllBytes()).asObject(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long measuredPeak(JsonObject entry, long batch) {
        return entry.getArray("activation_peaks").orElseThrow().elements().stream()
                .map(v -> v.asObject("peak"))
                .filter(p -> p.getLong("batch", 0) == batch)
                .findFirst()
                .orElseThrow()
                .getLong("peak_bytes", -1);
    }

    private static long activationPart(NetworkMemoryReport r) {
        return r.parts().stream()
                .filter(p -> p.formula().startsWith("peak of live activations"))
                .mapToLong(MemoryPartEntry::bytes)
                .sum();
    }

    @Test
    void memoryIsWeightsBuffersInputAndTheMeasuredActivationPeak() {
        JsonObject resnet =
                TRUTH.getObject("models").orElseThrow().getObject("resnet50").orElseThrow();
        long parameters = resnet.getObject("torchinfo_totals").orElseThrow().getLong("total_params", -1);
        NetworkMemoryReport r = HEFT.open("resnet50")
                .networkMemory(NetworkMemoryRequest.defaults().withBatch(2).withPrecisions(List.of()));
        assertThat(r.kind()).isEqualTo(NetworkMemoryReport.KIND);
        assertThat(r.parameters()).isEqualTo(parameters);
        assertThat(r.input()).containsExactly(2L, 3L, 224L, 224L);
        assertThat(activationPart(r)).isEqualTo(measuredPeak(resnet, 2));
        assertThat(r.activationPeakBytesPerImage()).isEqualTo(measuredPeak(resnet, 1));
        assertThat(r.activationsBytes()).isEqualTo(measuredPeak(resnet, 2) + 2L * 3 * 224 * 224 * 4);
        assertThat(r.totalBytes())
                .isEqualTo(r.parts().stream().mapToLong(MemoryPartEntry::bytes).sum())
                .isEqualTo(r.weightsBytes() + r.activationsBytes() + r.overheadBytes());
        assertThat(r.overheadBytes()).isZero(); // no device named: no CUDA context
        assertThat(r.precisions().orElseThrow())
                .extracting(NetworkMemoryReport.PrecisionRow::dtype)
                .containsExactly("fp32", "fp16", "bf16", "int8", "fp8");
        // A GPU budget adds PyTorch's CUDA context and gives the largest batch within it.
        NetworkMemoryReport gpu = HEFT.open("resnet50")
                .networkMemory(NetworkMemoryRequest.defaults().withBudget("rtx-4090"));
        assertThat(gpu.overheadBytes()).isEqualTo(552_402_944L);
        long perImage = gpu.activationPeakBytesPerImage() + 3L * 224 * 224 * 4;
        long maxBatch = gpu.maxBatch().orElseThrow();
        assertThat(gpu.weightsBytes() + gpu.overheadBytes() + maxBatch * perImage)
                .isLessThanOrEqualTo(gpu.budgetBytes().orElseThrow())
                .isGreaterThan(gpu.budgetBytes().orElseThrow() - perImage);
    }

    @Test
    void aLayerSpecWithoutAnInputTakesOneAndMatchesTheMeasuredPeak(@TempDir Path dir) throws Exception {
        JsonObject cnn = TRUTH.getObject("specs").orElseThrow().getObject("cnn").orElseThrow();
        String spec = cnn.getString("spec", "");
        Path noInput = dir.resolve("cnn.json");
        Files.writeString(noInput, spec.replace("\"input\": [2, 3, 32, 32], ", ""));
        Model m = HEFT.open(noInput.toString());
        assertThat(m.isNetwork()).isTrue();
        assertThatThrownBy(() -> m.networkMemory(NetworkMemoryRequest.defaults()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--input N,C,H,W");
        NetworkMemoryReport r = m.networkMemory(NetworkMemoryRequest.defaults().withInput(List.of(2L, 3L, 32L, 32L)));
        assertThat(activationPart(r))
                .isEqualTo(cnn.getObject("activation_peak").orElseThrow().getLong("peak_bytes", -1));
        assertThat(r.parameters())
                .isEqualTo(cnn.getObject("torchinfo_totals").orElseThrow().getLong("total_params", -1));
    }

    @Test
    void fitAnswersInImagesAndGivesNoSpeedWhereItDoesNotFit() {
        NetworkFitReport fit = HEFT.open("vit_h_14")
                .networkFit(NetworkFitRequest.defaults()
                        .withDevices(List.of("h100-sxm", "rpi5"))
                        .withDtypes(List.of("fp32", "int8"))
                        .withBatch(2048));
        assertThat(fit.rows()).hasSize(4).allSatisfy(r -> {
            assertThat(r.imagesPerS().isPresent()).isEqualTo(r.fits());
            assertThat(r.noSpeedReason().isPresent()).isNotEqualTo(r.fits());
            assertThat(r.headroomBytes()).isEqualTo(r.usableBytes() - r.totalBytes());
            assertThat(r.fits()).isEqualTo(r.maxBatch() >= 2048);
        });
        assertThat(fit.rows()).filteredOn(r -> r.device().equals("rpi5")).noneMatch(NetworkFitReport.Row::fits);
        assertThat(fit.verdicts())
                .extracting(v -> v.device() + " " + v.outcome())
                .containsExactly("h100-sxm fits", "rpi5 does_not_fit");
        assertThat(fit.verdicts().getLast().verdict()).startsWith("batch 2048 does not fit; at int8 up to batch ");
        NetworkSpeedReport none = HEFT.open("vit_h_14")
                .networkSpeed(NetworkSpeedRequest.on("rpi5").withBatch(2048));
        assertThat(none.imagesPerS()).isEmpty();
        assertThat(none.secondsPerBatch()).isEmpty();
        assertThat(none.noSpeedReason()).hasValueSatisfying(x -> assertThat(x).contains("does not fit"));
        NetworkSpeedReport t4 =
                HEFT.open("resnet50").networkSpeed(NetworkSpeedRequest.on("t4").withDtype("bf16"));
        assertThat(t4.computeDtype()).isEqualTo("fp16");
        assertThat(t4.assumptions()).anySatisfy(a -> assertThat(a).contains("bf16 runs as fp16"));
        assertThat(t4.imagesPerS()).hasValueSatisfying(ips -> assertThat(ips).isPositive());
    }

    @Test
    void eachKindOfModelIsAskedItsOwnWay() {
        assertThatThrownBy(() -> HEFT.open("resnet50").memory(MemoryRequest.defaults()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("networkMemory");
        assertThatThrownBy(() -> HEFT.open("resnet50").fit(FitRequest.defaults()))
                .hasMessageContaining("networkFit");
        assertThatThrownBy(() -> HEFT.open("llama-3.2-1b").networkMemory(NetworkMemoryRequest.defaults()))
                .hasMessageContaining("not a torch.nn network");
        assertThatThrownBy(() -> HEFT.open("resnet50")
                        .networkMemory(NetworkMemoryRequest.defaults().withDtype("q4_k_m")))
                .hasMessageContaining("dtype: precision 'q4_k_m' does not apply");
        assertThatThrownBy(() -> HEFT.open("llama-3.2-1b")
                        .estimate(EstimateRequest.defaults().withLayers()))
                .hasMessageContaining("layers: the per-layer table is for torch.nn networks");
        assertThatThrownBy(() -> HEFT.open("resnet50")
                        .networkMemory(NetworkMemoryRequest.defaults()
                                .withInput(List.of(4_000_000_000L, 3L, 4_000_000_000L, 4_000_000_000L))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("overflow");
    }

    @Test
    void estimateLayersIsTorchinfosTable() {
        JsonObject resnet18 =
                TRUTH.getObject("models").orElseThrow().getObject("resnet18").orElseThrow();
        EstimateReport.Layers l = HEFT.open("resnet18")
                .estimate(EstimateRequest.defaults().withLayers())
                .layers()
                .orElseThrow();
        assertThat(l.rows())
                .hasSize(resnet18.getArray("torchinfo").orElseThrow().size());
        assertThat(l.torchinfoTotalMultAdds())
                .isEqualTo(resnet18.getObject("torchinfo_totals").orElseThrow().getLong("total_mult_adds", -1));
        assertThat(l.activationPeakBytes()).isEqualTo(measuredPeak(resnet18, 1));
        assertThat(HEFT.open("resnet18").estimate().layers()).isEmpty();
    }
}
