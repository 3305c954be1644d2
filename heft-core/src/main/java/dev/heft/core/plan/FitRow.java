package dev.heft.core.plan;

import dev.heft.core.api.request.Runtime;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.hardware.SpeedResult;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.memory.RuntimeMemory;
import java.util.Optional;

/**
 * One cell of {@code heft fit}: a model at one precision on one device.
 *
 * @param device      the device (possibly N x a device)
 * @param weights     the weights at this precision
 * @param memory      the inference estimate at the requested batch and context, as the runtime lays it out
 * @param fits        the runtime's device memory within the device's usable memory (vLLM: one sequence's KV fits in
 *                    the pool), and every tensor within its buffer limit
 * @param headroom    usable memory minus what the device holds (negative when it does not fit)
 * @param maxContext  longest context that fits at batch 1 (0 when even the weights do not fit)
 * @param speed       decode and prefill estimates, only when the model runs (fits, or runs offloaded)
 * @param why         the reason it does not fit, when it does not
 * @param runtime     the runtime assumed, with its placement of the parts
 * @param offload     llama.cpp's split between GPU and host memory, when it does not fit on the GPU alone
 * @param speedResult the speed, or why there is none
 */
public record FitRow(
        Device device,
        WeightPlan weights,
        MemoryEstimate memory,
        boolean fits,
        long headroom,
        long maxContext,
        Optional<SpeedEstimate> speed,
        String why,
        RuntimeMemory runtime,
        Optional<OffloadPlan> offload,
        SpeedResult speedResult) {
    public Runtime runtimeKind() {
        return runtime.runtime();
    }
}
