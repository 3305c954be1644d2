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

    @Option(names = "--runtime", description = "Runtime overhead: auto (pytorch on GPUs, llama.cpp elsewhere), "
            + "pytorch, vllm, llama.cpp, llama.cpp-cpu, none (default auto).")
    String runtime;

    @Option(names = "--encoder-context", description = "Encoder length for encoder-decoder models (default: --context).")
    String encoderContext;

    void putInto(Map<String, Object> o) {
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
