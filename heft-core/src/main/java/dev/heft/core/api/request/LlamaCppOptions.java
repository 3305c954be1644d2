package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.Optional;

/**
 * llama.cpp's flags that change its memory ({@code llama-cli}/{@code llama-server}), used when the runtime is
 * llama.cpp. Defaults are llama.cpp's own ({@code llama_context_default_params}).
 *
 * @param nBatch         {@code -b}: tokens submitted per {@code llama_decode} (2048)
 * @param ubatch         {@code -ub}: tokens per graph evaluation (512); the compute buffer is sized for this many
 * @param flashAttention {@code -fa on|off} (auto, on wherever the backend has the kernel)
 * @param cacheTypeK     {@code -ctk} (f16; {@code --kv-dtype} sets both when it names a llama.cpp cache type)
 * @param cacheTypeV     {@code -ctv} (f16; a quantized V cache needs flash attention)
 * @param kvOffload      false for {@code -nkvo}: the KV cache stays in host memory
 */
public record LlamaCppOptions(
        long nBatch,
        long ubatch,
        boolean flashAttention,
        Optional<String> cacheTypeK,
        Optional<String> cacheTypeV,
        boolean kvOffload) {
    public LlamaCppOptions {
        if (nBatch < 1 || nBatch > Workload.MAX_BATCH * 1024 || ubatch < 1 || ubatch > nBatch) {
            throw new InvalidInputException(
                    "ubatch/n-batch: need 1 <= ubatch <= n-batch, got " + ubatch + " and " + nBatch);
        }
    }

    public static LlamaCppOptions defaults() {
        return new LlamaCppOptions(2048, 512, true, Optional.empty(), Optional.empty(), true);
    }
}
