package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.Optional;

/**
 * vLLM's engine arguments that change its memory, used when the runtime is vLLM.
 *
 * @param gpuMemoryUtilization share of the device vLLM budgets for weights, activations and its KV pool (0.9)
 * @param maxNumBatchedTokens  tokens per scheduler step (chunked prefill); vLLM's default for the device when absent
 * @param cudaGraphs           false for {@code --enforce-eager}: no CUDA graph pool
 */
public record VllmOptions(double gpuMemoryUtilization, Optional<Long> maxNumBatchedTokens, boolean cudaGraphs) {
    public VllmOptions {
        if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw new InvalidInputException(
                    "gpu-memory-utilization: a fraction in (0, 1], got " + gpuMemoryUtilization);
        }
    }

    public static VllmOptions defaults() {
        return new VllmOptions(0.9, Optional.empty(), true);
    }
}
