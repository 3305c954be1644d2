package dev.heft.core.arch.torch;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.HeftException;
import dev.heft.core.testing.FuzzBudget;

/**
 * Any text handed to the spec reader either gives a network whose counts and FLOPs can be asked for, or a
 * HeftException; never another exception, a hang or an allocation sized by the input's numbers. In regression mode
 * (a plain test run) Jazzer replays the seeds; with JAZZER_FUZZ=1 it explores.
 */
class LayerSpecFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    @FuzzTest(maxDuration = "30s")
    void specsFailOnlyWithHeftExceptions(FuzzedDataProvider data) throws Exception {
        FuzzBudget.run(data.remainingBytes(), () -> {
            boolean yaml = data.consumeBoolean();
            String text = data.consumeRemainingAsString();
            try {
                CustomNetwork net = LayerSpec.parse(text, yaml ? LayerSpec.Format.YAML : LayerSpec.Format.JSON);
                net.counts();
                net.tensors();
                if (net.input().isPresent()) {
                    net.flops();
                }
            } catch (HeftException expected) {
                // a typed error naming what was wrong is the contract
            }
        });
    }
}
