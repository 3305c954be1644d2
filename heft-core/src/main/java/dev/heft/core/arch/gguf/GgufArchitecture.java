package dev.heft.core.arch.gguf;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import dev.heft.core.names.LlamaCppNames;
import dev.heft.core.tensor.TensorInventory.MetadataArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates a GGUF file's hyperparameters ({@code <arch>.block_count}, {@code <arch>.attention.head_count_kv}, ...)
 * into the equivalent Hugging Face config, so a GGUF file's KV cache, FLOPs and speed come from the same analytic
 * engine as a config.json. The file's own tensors stay the source of its parameter count; this only supplies the
 * shape. Key names: llama.cpp's gguf-py constants (gguf/constants.py, {@code Keys.LLM} and {@code Keys.Attention}).
 */
public final class GgufArchitecture {
    private GgufArchitecture() {}

    /**
     * The llama.cpp architectures whose GGUF keys carry the whole shape heft needs (block_count, embedding_length,
     * head counts, feed_forward_length). Their transformers model type comes from the one {@link LlamaCppNames} table.
     */
    private static final Set<String> SHAPE_IN_KEYS = Set.of(
            "llama",
            "mistral3",
            "qwen2",
            "qwen3",
            "qwen2moe",
            "qwen3moe",
            "gemma",
            "gemma2",
            "gemma3",
            "phi3",
            "gpt2",
            "starcoder2");
    /** Families heft counts with a close relative's rules (it has no counter of their own). */
    private static final Map<String, String> COUNTED_AS = Map.of("mistral3", "mistral", "starcoder2", "llama");

    /** The HF config equivalent to the file's metadata, when its architecture is one heft maps. */
    public static Optional<JsonObject> toHfConfig(Map<String, Object> md) {
        if (!(md.get("general.architecture") instanceof String arch) || !SHAPE_IN_KEYS.contains(arch)) {
            return Optional.empty();
        }
        Optional<Long> layers = num(md, arch + ".block_count");
        Optional<Long> hidden = num(md, arch + ".embedding_length");
        Optional<Long> heads = num(md, arch + ".attention.head_count");
        if (layers.isEmpty() || hidden.isEmpty() || heads.isEmpty()) {
            return Optional.empty();
        }
        long experts = num(md, arch + ".expert_count").orElse(0L);
        String modelType =
                COUNTED_AS.getOrDefault(arch, LlamaCppNames.hfModelType(arch).orElse(arch));
        if (modelType.equals("llama") && experts > 0) {
            modelType = "mixtral";
        }
        Map<String, JsonValue> c = new LinkedHashMap<>();
        c.put("model_type", new JsonString(modelType));
        c.put("num_hidden_layers", JsonNumber.of(layers.get()));
        c.put("hidden_size", JsonNumber.of(hidden.get()));
        c.put("num_attention_heads", JsonNumber.of(heads.get()));
        c.put(
                "num_key_value_heads",
                JsonNumber.of(num(md, arch + ".attention.head_count_kv").orElse(heads.get())));
        num(md, arch + ".feed_forward_length").ifPresent(v -> c.put("intermediate_size", JsonNumber.of(v)));
        num(md, arch + ".context_length").ifPresent(v -> {
            c.put("max_position_embeddings", JsonNumber.of(v));
            c.put("n_positions", JsonNumber.of(v));
        });
        num(md, arch + ".attention.key_length").ifPresent(v -> c.put("head_dim", JsonNumber.of(v)));
        long vocab = num(md, arch + ".vocab_size")
                .orElseGet(() -> md.get("tokenizer.ggml.tokens") instanceof MetadataArray a
                        ? a.length()
                        : md.get("tokenizer.ggml.tokens") instanceof List<?> l ? (long) l.size() : 0L);
        if (vocab > 0) {
            c.put("vocab_size", JsonNumber.of(vocab));
        }
        num(md, arch + ".attention.sliding_window").ifPresent(v -> c.put("sliding_window", JsonNumber.of(v)));
        if (experts > 0) {
            c.put("num_local_experts", JsonNumber.of(experts));
            c.put("num_experts", JsonNumber.of(experts));
            num(md, arch + ".expert_used_count").ifPresent(v -> {
                c.put("num_experts_per_tok", JsonNumber.of(v));
            });
            num(md, arch + ".expert_feed_forward_length")
                    .ifPresent(v -> c.put("moe_intermediate_size", JsonNumber.of(v)));
        }
        if (arch.equals("gpt2")) {
            c.put("n_embd", JsonNumber.of(hidden.get()));
            c.put("n_layer", JsonNumber.of(layers.get()));
            c.put("n_head", JsonNumber.of(heads.get()));
        }
        return Optional.of(new JsonObject(c));
    }

    private static Optional<Long> num(Map<String, Object> md, String key) {
        Object v = md.get(key);
        if (v instanceof Long l) {
            return Optional.of(l);
        }
        if (v instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Long l) {
            // Some files store per-layer arrays (e.g. head_count_kv per layer); the first layer's value stands in.
            return Optional.of(l);
        }
        return Optional.empty();
    }
}
