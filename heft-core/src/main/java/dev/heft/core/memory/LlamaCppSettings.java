package dev.heft.core.memory;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import java.util.Locale;
import java.util.Set;

/**
 * How llama.cpp is asked to run: the flags of {@code llama-cli}/{@code llama-server} that change its memory. Defaults
 * are llama.cpp's own ({@code llama_context_default_params} in src/llama-context.cpp, v0.4.0).
 *
 * @param nBatch         {@code -b/--batch-size}: logical batch, tokens submitted per {@code llama_decode} (2048)
 * @param nUbatch        {@code -ub/--ubatch-size}: physical batch, tokens per graph evaluation (512); the compute
 *                       buffer is sized for this many tokens, however long the prompt
 * @param flashAttention {@code -fa on|off} (default auto, which is on wherever the backend has the kernel: CUDA,
 *                       Metal, Vulkan and CPU all do)
 * @param typeK          {@code -ctk/--cache-type-k} (f16)
 * @param typeV          {@code -ctv/--cache-type-v} (f16); a quantized V cache needs flash attention
 * @param kvOffload      false for {@code -nkvo/--no-kv-offload}: the KV cache (and the attention that reads it) stays
 *                       in host memory
 * @param nSeqMax        {@code -np/--parallel}: sequences, each with its own {@code n_ctx / np} share of the cache
 */
public record LlamaCppSettings(
        long nBatch, long nUbatch, boolean flashAttention, DType typeK, DType typeV, boolean kvOffload, long nSeqMax) {
    /** The cache types llama.cpp accepts for {@code -ctk}/{@code -ctv} (common/arg.cpp kv_cache_types). */
    public static final Set<DType> CACHE_TYPES = Set.of(
            DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0, DType.Q4_1, DType.IQ4_NL, DType.Q5_0, DType.Q5_1);

    public LlamaCppSettings {
        if (nBatch < 1 || nUbatch < 1 || nSeqMax < 1) {
            throw new InvalidInputException("--batch-size, --ubatch-size and --parallel must be at least 1");
        }
        if (!CACHE_TYPES.contains(typeK) || !CACHE_TYPES.contains(typeV)) {
            throw new InvalidInputException("llama.cpp cache types are f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, "
                    + "q5_1; got K " + typeK.displayName() + ", V " + typeV.displayName());
        }
        if (typeV.isQuantized() && !flashAttention) {
            // llama_context's constructor: "quantized V cache was requested, but this requires Flash Attention"
            throw new InvalidInputException("llama.cpp refuses a quantized V cache (" + typeV.displayName()
                    + ") without flash attention; use --flash-attn on or an f16 V cache");
        }
    }

    public static LlamaCppSettings defaults() {
        return new LlamaCppSettings(2048, 512, true, DType.F16, DType.F16, true, 1);
    }

    public LlamaCppSettings withTypes(DType k, DType v) {
        return new LlamaCppSettings(nBatch, nUbatch, flashAttention, k, v, kvOffload, nSeqMax);
    }

    /** Parses a {@code -ctk}/{@code -ctv} value as llama.cpp spells it (f16, q8_0, iq4_nl, ...). */
    public static DType parseCacheType(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (DType d : CACHE_TYPES) {
            if (d.displayName().toLowerCase(Locale.ROOT).equals(t)) {
                return d;
            }
        }
        return switch (t) {
            case "fp16", "float16" -> DType.F16;
            case "fp32", "float32" -> DType.F32;
            default ->
                throw new InvalidInputException("unknown llama.cpp cache type '" + s
                        + "' (known: f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1)");
        };
    }
}
