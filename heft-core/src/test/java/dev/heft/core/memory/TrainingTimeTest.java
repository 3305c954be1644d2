package dev.heft.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.heft.core.api.request.Optimizer;
import dev.heft.core.api.request.Recipe;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import org.junit.jupiter.api.Test;

/** Training time against the 6N rule written out here (Kaplan et al. 2020), not against heft's own numbers. */
class TrainingTimeTest {
    @Test
    void eightBillionOnOneBillionTokensOnEightH100s() {
        HfArchitecture a = LlmCatalog.find("llama-3.1-8b").architecture();
        Device eight = DeviceCatalog.find("8xh100-sxm");
        TrainingOptions o = new TrainingOptions(1, 4096, Optimizer.ADAMW, Recipe.MIXED, true, 3, 8, false, 0, false);
        TrainingTime t = TrainingTime.of(a.shape(), a.counts().parameters(), o, eight, 1_000_000_000L, 0.40);
        long n = a.shape().matmulParametersPerToken();
        // attention at the mean causal context of 2048: 32 layers x 2 x 32 heads x (128 + 128) x 2048, times 3
        double perToken = 6.0 * n + 3.0 * 32 * 2 * 32 * 256 * 2048;
        assertThat(t.flopsPerToken()).isCloseTo(perToken, within(1.0));
        double tps = 8 * 989.5e12 * 0.40 / perToken;
        assertThat(t.tokensPerSecond()).isCloseTo(tps, within(tps * 0.01));
        assertThat(t.hours()).isCloseTo(1e9 / tps / 3600, within(0.01 * 1e9 / tps / 3600));
        assertThat(t.hours()).isBetween(2.0, 10.0); // ~5 h: the order of magnitude people report for 8B on 8xH100
    }

    @Test
    void loraSkipsTheBaseWeightGradients() {
        HfArchitecture a = LlmCatalog.find("llama-3.1-8b").architecture();
        TrainingOptions lora =
                new TrainingOptions(1, 2048, Optimizer.ADAMW, Recipe.BF16, false, 0, 1, false, 16, false);
        TrainingTime t = TrainingTime.of(
                a.shape(), a.counts().parameters(), lora, DeviceCatalog.find("h100-sxm"), 1_000_000L, 0);
        long n = a.shape().matmulParametersPerToken();
        double attention = 3.0 * a.shape().flopsPerToken(1024).attentionFlops();
        assertThat(t.flopsPerToken())
                .isCloseTo(4.0 * n + 6.0 * TrainingMemory.loraParameters(a.shape(), 16) + attention, within(1.0));
        assertThat(t.mfu()).isEqualTo(0.30);
    }
}
