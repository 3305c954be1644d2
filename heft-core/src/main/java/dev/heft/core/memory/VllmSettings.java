package dev.heft.core.memory;

import dev.heft.core.error.InvalidInputException;

/**
 * How vLLM (V1 engine) is asked to run: the engine arguments that change its memory.
 *
 * @param gpuMemoryUtilization {@code --gpu-memory-utilization} (0.9): the share of the device vLLM budgets for
 *                             itself; the KV-cache pool is what is left of it after weights and the profile run
 * @param blockSize            {@code --block-size} (16 tokens per KV page)
 * @param maxNumBatchedTokens  {@code --max-num-batched-tokens}; 0 = vLLM's default for the device
 *                             (vllm/engine/arg_utils.py {@code get_batch_defaults}: 8192 for {@code vllm serve} on
 *                             devices of 70 GiB or more other than A100, else 2048)
 * @param maxNumSeqs           {@code --max-num-seqs}; 0 = the default (1024 on those large devices, else 256)
 * @param cudaGraphs           false for {@code --enforce-eager}
 */
public record VllmSettings(
        double gpuMemoryUtilization, long blockSize, long maxNumBatchedTokens, long maxNumSeqs, boolean cudaGraphs) {
    /** CUDA-graph pool assumed when graphs are captured: vLLM logs 0.3-1.5 GiB for 1B-70B models on one GPU. */
    public static final long CUDA_GRAPH_BYTES = 512L << 20;

    public VllmSettings {
        if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw new InvalidInputException("--gpu-memory-utilization must be in (0, 1], got " + gpuMemoryUtilization);
        }
        if (blockSize < 1 || maxNumBatchedTokens < 0 || maxNumSeqs < 0) {
            throw new InvalidInputException("--block-size must be at least 1; token and sequence limits not negative");
        }
    }

    public static VllmSettings defaults() {
        return new VllmSettings(0.9, 16, 0, 0, true);
    }

    /** The batched-token budget on a device of this size (arg_utils.py get_batch_defaults, OPENAI_API_SERVER). */
    public long batchedTokens(long deviceMemoryBytes, String deviceId) {
        if (maxNumBatchedTokens > 0) {
            return maxNumBatchedTokens;
        }
        return large(deviceMemoryBytes, deviceId) ? 8192 : 2048;
    }

    public long sequences(long deviceMemoryBytes, String deviceId) {
        if (maxNumSeqs > 0) {
            return maxNumSeqs;
        }
        return large(deviceMemoryBytes, deviceId) ? 1024 : 256;
    }

    private static boolean large(long bytes, String id) {
        return bytes >= 70L * (1L << 30) && !id.contains("a100");
    }
}
