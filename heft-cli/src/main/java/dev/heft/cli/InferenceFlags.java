package dev.heft.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The inference flags scripts depend on (names fixed by the issue). Values go to the core service as strings under
 * the flag's name; the service validates them, so the CLI and the HTTP API accept and reject exactly the same input.
 */
final class InferenceFlags {
    @Option(names = "--batch", description = "Sequences per batch (default 1).")
    String batch;

    @Option(names = "--context", description = "Tokens per sequence: 8192, 8k, 128k (default 4096).")
    String context;

    @Option(names = "--phase", description = "prefill (the prompt in one pass) or decode (one token per step); "
            + "default prefill.")
    String phase;

    @Option(names = "--attention", description = "eager (materialises the score matrix), sdpa or flash (default sdpa).")
    String attention;

    @Option(names = "--logits", description = "all or last positions' logits (default last).")
    String logits;

    @Option(names = "--kv-dtype", description = "KV cache type: bf16, fp16, fp32, fp8, q8_0, q4_0 (default bf16).")
    String kvDtype;

    @Option(names = "--runtime", description = "Runtime whose memory layout to model: auto (llama.cpp for GGUF files "
            + "and llama.cpp types, else pytorch on GPUs, llama.cpp elsewhere), pytorch, vllm, llama.cpp, llama.cpp-cpu, "
            + "none (default auto).")
    String runtime;

    @Option(names = "--encoder-context", description = "Encoder length for encoder-decoder models (default: --context).")
    String encoderContext;

    @Option(names = "--ubatch", description = "llama.cpp -ub: tokens per graph evaluation (default 512).")
    String ubatch;

    @Option(names = "--n-batch", description = "llama.cpp -b: tokens per llama_decode call (default 2048).")
    String nBatch;

    @Option(names = "--flash-attn", description = "llama.cpp -fa: on or off (default on, llama.cpp's auto).")
    String flashAttn;

    @Option(names = "--cache-type-k", description = "llama.cpp -ctk: f16, q8_0, q4_0, q4_1, q5_0, q5_1, iq4_nl, "
            + "bf16, f32 (default f16).")
    String cacheTypeK;

    @Option(names = "--cache-type-v", description = "llama.cpp -ctv (default f16; quantized needs flash attention).")
    String cacheTypeV;

    @Option(names = "--no-kv-offload", description = "llama.cpp -nkvo: keep the KV cache in host memory.")
    boolean noKvOffload;

    @Option(names = "--gpu-memory-utilization", description = "vLLM: share of the device it budgets (default 0.9).")
    String gpuMemoryUtilization;

    @Option(names = "--max-num-batched-tokens", description = "vLLM: tokens per step (default by device).")
    String maxNumBatchedTokens;

    @Option(names = "--enforce-eager", description = "vLLM: no CUDA graphs.")
    boolean enforceEager;

    void putInto(Map<String, Object> o) {
        o.put("ubatch", ubatch);
        o.put("n-batch", nBatch);
        o.put("flash-attn", flashAttn);
        o.put("cache-type-k", cacheTypeK);
        o.put("cache-type-v", cacheTypeV);
        if (noKvOffload) {
            o.put("no-kv-offload", true);
        }
        o.put("gpu-memory-utilization", gpuMemoryUtilization);
        o.put("max-num-batched-tokens", maxNumBatchedTokens);
        if (enforceEager) {
            o.put("enforce-eager", true);
        }
        o.put("batch", batch);
        o.put("context", context);
        o.put("phase", phase);
        o.put("attention", attention);
        o.put("logits", logits);
        o.put("kv-dtype", kvDtype);
        o.put("runtime", runtime);
        o.put("encoder-context", encoderContext);
    }
}
