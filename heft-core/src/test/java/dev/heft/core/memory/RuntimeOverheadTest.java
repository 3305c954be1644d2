package dev.heft.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.request.Runtime;
import dev.heft.core.hardware.DeviceCategory;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's facts about the API's runtimes: their overheads and what AUTO stands for. */
class RuntimeOverheadTest {
    @Test
    void pytorchAndVllmContextIsWhatTheH200HeldBeforeTheFirstAllocation() {
        JsonObject device = SharedFixtures.json(SharedFixtures.groundTruth("gpu-measurements.json"))
                .getObject("device")
                .orElseThrow();
        long measured = device.getLong("driver_used_at_start_incl_context", -1);
        assertThat(RuntimeOverhead.of(Runtime.PYTORCH).contextBytes()).isEqualTo(measured);
        assertThat(RuntimeOverhead.of(Runtime.VLLM).contextBytes()).isEqualTo(measured);
        // AUTO before a device is known is sized as PyTorch on a CUDA GPU.
        assertThat(RuntimeOverhead.of(Runtime.AUTO)).isEqualTo(RuntimeOverhead.of(Runtime.PYTORCH));
        assertThat(RuntimeOverhead.of(Runtime.NONE)).isEqualTo(new RuntimeOverhead(0, 0.0));
    }

    @Test
    void autoIsWhatPeopleRunOnEachDevice() {
        assertThat(resolve(Runtime.AUTO, false, DeviceCategory.DATACENTER_GPU)).isEqualTo(Runtime.PYTORCH);
        assertThat(resolve(Runtime.AUTO, false, DeviceCategory.CONSUMER_GPU)).isEqualTo(Runtime.PYTORCH);
        assertThat(resolve(Runtime.AUTO, false, DeviceCategory.APPLE_SILICON)).isEqualTo(Runtime.LLAMA_CPP);
        assertThat(resolve(Runtime.AUTO, false, DeviceCategory.CPU)).isEqualTo(Runtime.LLAMA_CPP_CPU);
        assertThat(resolve(Runtime.AUTO, false, DeviceCategory.PHONE)).isEqualTo(Runtime.LLAMA_CPP_CPU);
        assertThat(RuntimeResolution.resolve(Runtime.AUTO, false, Optional.empty()))
                .isEqualTo(Runtime.PYTORCH);
        // GGUF weights run on llama.cpp, on its CPU backend where the device has no GPU backend.
        assertThat(resolve(Runtime.AUTO, true, DeviceCategory.DATACENTER_GPU)).isEqualTo(Runtime.LLAMA_CPP);
        assertThat(resolve(Runtime.AUTO, true, DeviceCategory.EDGE)).isEqualTo(Runtime.LLAMA_CPP_CPU);
    }

    @Test
    void anExplicitRuntimeStaysExceptLlamaCppWithoutAGpuBackend() {
        assertThat(resolve(Runtime.VLLM, true, DeviceCategory.CPU)).isEqualTo(Runtime.VLLM);
        assertThat(resolve(Runtime.NONE, false, DeviceCategory.APPLE_SILICON)).isEqualTo(Runtime.NONE);
        assertThat(resolve(Runtime.LLAMA_CPP, false, DeviceCategory.CUSTOM)).isEqualTo(Runtime.LLAMA_CPP);
        assertThat(resolve(Runtime.LLAMA_CPP, false, DeviceCategory.BROWSER)).isEqualTo(Runtime.LLAMA_CPP_CPU);
    }

    private static Runtime resolve(Runtime r, boolean llamaCppWeights, DeviceCategory c) {
        return RuntimeResolution.resolve(r, llamaCppWeights, Optional.of(c));
    }
}
