package dev.heft.cli;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.Runtime;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The inference flags scripts depend on (names fixed by the issue): shared by memory, fit, speed and compress. */
final class InferenceFlags {
    @Option(names = "--batch", defaultValue = "1", description = "Sequences per batch (default ${DEFAULT-VALUE}).")
    long batch;

    @Option(names = "--context", defaultValue = "4096", description = "Tokens per sequence: 8192, 8k, 128k "
            + "(default ${DEFAULT-VALUE}).", converter = Sizes.TokenCount.class)
    long context;

    @Option(names = "--phase", defaultValue = "prefill", description = "prefill (the prompt in one pass) or decode "
            + "(one token per step); default ${DEFAULT-VALUE}.")
    String phase;

    @Option(names = "--attention", defaultValue = "sdpa", description = "eager (materialises the score matrix), sdpa "
            + "or flash (default ${DEFAULT-VALUE}).")
    String attention;

    @Option(names = "--logits", defaultValue = "last", description = "all or last positions' logits (default "
            + "${DEFAULT-VALUE}).")
    String logits;

    @Option(names = "--kv-dtype", defaultValue = "bf16", description = "KV cache type: bf16, fp16, fp32, fp8, q8_0, "
            + "q4_0 (default ${DEFAULT-VALUE}).")
    String kvDtype;

    @Option(names = "--runtime", defaultValue = "pytorch", description = "Runtime overhead preset: pytorch, vllm, "
            + "llama.cpp, none (default ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--encoder-context", description = "Encoder length for encoder-decoder models (default: "
            + "--context).", converter = Sizes.TokenCount.class)
    Long encoderContext;

    InferenceOptions options() {
        return new InferenceOptions(batch, context, parse(InferenceOptions.Phase.class, "--phase", phase),
                parse(InferenceOptions.Attention.class, "--attention", attention),
                parse(InferenceOptions.Logits.class, "--logits", logits), KvCache.parseDtype(kvDtype), 2,
                encoderContext == null ? context : encoderContext, true, Runtime.parse(runtime));
    }

    static <E extends Enum<E>> E parse(Class<E> type, String flag, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder known = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                known.append(known.isEmpty() ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new InvalidInputException(flag + ": unknown value '" + value + "' (known: " + known + ")");
        }
    }
}
