package dev.heft.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.request.Optimizer;
import dev.heft.core.api.request.Recipe;
import dev.heft.core.api.request.Runtime;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.SpeedResult;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.TrainingOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The decisions the issue asks for, on the cases it names: what fits, what runs offloaded (and at what split), and
 * that no decode rate is given for a model that does not run.
 */
class OffloadAndVerdictTest {
    private static ModelProfile model(String id) {
        return ModelProfile.of(ModelResolver.catalog(id));
    }

    private static InferenceOptions context(long tokens) {
        return InferenceOptions.defaults(1, tokens);
    }

    @Test
    void llamaCppTypesDefaultToLlamaCppAndLongContextFitsOnA4090() {
        // issue 14 item 1: llama-3.1-8b Q4_K_M at 128k on a 24 GB card: weights ~4.6 GiB + KV 16 GiB + compute < 1 GiB
        ModelProfile m = model("llama-3.1-8b");
        WeightPlan q4 = WeightPlan.of(m, "q4_k_m");
        Device d = DeviceCatalog.find("rtx-4090");
        FitRow r = Deployment.fit(m, q4, d, context(131072), 131072);
        assertThat(r.runtimeKind()).isEqualTo(Runtime.LLAMA_CPP);
        assertThat(r.fits()).isTrue();
        assertThat(r.speedResult()).isInstanceOf(SpeedResult.Estimated.class);
        // bf16 weights keep PyTorch, which holds the whole prompt's activations at once
        assertThat(Deployment.fit(m, WeightPlan.of(m, "bf16"), d, context(8192), 8192)
                        .runtimeKind())
                .isEqualTo(Runtime.PYTORCH);
    }

    @Test
    void seventyBillionOnA4090RunsOffloadedWithAStatedSplitAndNoOnDeviceRate() {
        ModelProfile m = model("llama-3-70b");
        WeightPlan q4 = WeightPlan.of(m, "q4_k_m");
        Device d = DeviceCatalog.find("rtx-4090");
        FitRow r = Deployment.fit(m, q4, d, context(8192), 8192);
        assertThat(r.fits()).isFalse();
        OffloadPlan p = r.offload().orElseThrow();
        assertThat(p.kind()).isEqualTo(OffloadPlan.Kind.LAYERS);
        assertThat(p.totalLayers()).isEqualTo(81);
        assertThat(p.gpuLayers()).isBetween(20L, 60L);
        assertThat(p.deviceBytes()).isLessThanOrEqualTo(d.usableBytes());
        assertThat(p.deviceBytes() + p.hostBytes()).isGreaterThan(q4.bytes());
        SpeedResult.Estimated s = (SpeedResult.Estimated) r.speedResult();
        double onDevice =
                Deployment.speed(m, q4, d, context(8192), 8192).orElseThrow().decodeTokensPerSecond();
        assertThat(s.estimate().decodeTokensPerSecond())
                .isLessThan(onDevice / 2)
                .isGreaterThan(0.5);
        assertThat(s.placement()).contains("layers on rtx-4090");
        Verdict v = Verdicts.forDevice(List.of(r));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.OFFLOADED);
        assertThat(v.text())
                .startsWith("does not fit; offload " + p.gpuLayers() + " of 81 layers")
                .contains("tok/s");
    }

    @Test
    void pytorchRowThatDoesNotFitHasNoSpeedButAReason() {
        ModelProfile m = model("llama-3-70b");
        FitRow r = Deployment.fit(m, WeightPlan.of(m, "bf16"), DeviceCatalog.find("rtx-4090"), context(8192), 8192);
        assertThat(r.fits()).isFalse();
        assertThat(r.speed()).isEmpty();
        assertThat(r.speedResult())
                .isInstanceOfSatisfying(
                        SpeedResult.NoSpeed.class,
                        n -> assertThat(n.reason()).contains("does not fit").contains("llama.cpp"));
    }

    @Test
    void moeKeepsExpertsInHostMemory() {
        ModelProfile m = model("mixtral-8x7b");
        WeightPlan q4 = WeightPlan.of(m, "q4_k_m");
        FitRow r = Deployment.fit(m, q4, DeviceCatalog.find("rtx-4090"), context(8192), 8192);
        OffloadPlan p = r.offload().orElseThrow();
        assertThat(p.kind()).isEqualTo(OffloadPlan.Kind.MOE_EXPERTS);
        assertThat(p.cpuMoeLayers()).isBetween(1L, 32L);
        assertThat(p.flag()).contains("--n-cpu-moe " + p.cpuMoeLayers());
    }

    @Test
    void verdictNamesTheLongestContextAndTheBestQualityThatFits() {
        ModelProfile m = model("llama-3.1-8b");
        Device d = DeviceCatalog.find("rtx-4090");
        List<FitRow> rows = Deployment.fitAll(
                m,
                List.of(WeightPlan.of(m, "q4_k_m"), WeightPlan.of(m, "q8_0"), WeightPlan.of(m, "bf16")),
                List.of(d),
                context(8192),
                131072);
        Verdict v = Verdicts.perDevice(rows).getFirst();
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.FITS);
        FitRow q4 = rows.getFirst();
        assertThat(v.text())
                .startsWith("fits at Q4_K_M up to " + Verdicts.tokens(q4.maxContext()) + " tokens")
                .contains("best quality that fits: bf16");
        assertThat(Verdicts.tokens(61_440)).isEqualTo("60k");
    }

    @Test
    void trainingVerdictCoversFullLoraAndQlora() {
        ModelProfile m = model("llama-3.1-8b");
        TrainingOptions base = new TrainingOptions(1, 2048, Optimizer.ADAMW, Recipe.MIXED, true, 0, 1, false, 0, false);
        Verdict v = Verdicts.training(m, DeviceCatalog.find("rtx-4090"), base);
        assertThat(v.text()).contains("full fine-tuning does not fit").contains("QLoRA r=16 fits");
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.FITS);
        assertThat(Optional.of(v.device())).contains("rtx-4090");
    }
}
