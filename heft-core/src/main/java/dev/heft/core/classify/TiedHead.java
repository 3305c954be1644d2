package dev.heft.core.classify;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.util.List;
import java.util.Optional;

/**
 * Whether a stored model's output head shares the token embedding. Tied weights count once: a file that drops the head
 * (save_pretrained drops tied duplicates; llama.cpp omits {@code output.weight}) holds every parameter already, and the
 * report says so instead of looking like a model without a head.
 *
 * @param tied   true when the head is the embedding matrix
 * @param reason one sentence a user can check (which key or missing tensor says so)
 */
public record TiedHead(boolean tied, String reason) {

    // One call per tensor, not a loop body: C1 compiles a method after a few hundred calls, but a loop inside one call
    // only after Tier3BackEdgeThreshold back edges (60,000 unless the launcher lowers it), so the loop ran interpreted
    // on a 45k-tensor checkpoint (issue 12).
    private static boolean isTokenEmbedding(Classification c) {
        return c.kind() == LayerKind.EMBEDDING && c.part().equals("token");
    }

    private static boolean isHead(Classification c, String name) {
        return c.kind() == LayerKind.HEAD
                && (name.contains("lm_head")
                        || name.equals("output.weight")
                        || name.contains("embed_out")
                        || name.contains("proj_out"));
    }

    /** Empty when the inventory gives no evidence either way (no embedding, or not a language model). */
    public static Optional<TiedHead> detect(TensorInventory inv, List<Classification> classes) {
        boolean hasTokenEmbedding = false;
        boolean hasHead = false;
        List<Tensor> tensors = inv.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            Classification c = classes.get(i);
            hasTokenEmbedding |= isTokenEmbedding(c);
            hasHead |= isHead(c, tensors.get(i).name());
        }
        if (!hasTokenEmbedding) {
            return Optional.empty();
        }
        if (inv.format() == dev.heft.core.tensor.ModelFormat.GGUF) {
            return Optional.of(
                    hasHead
                            ? new TiedHead(false, "output.weight is stored apart from token_embd.weight")
                            : new TiedHead(
                                    true,
                                    "output.weight is absent, so llama.cpp uses token_embd.weight as the output "
                                            + "head (tied; counted once)"));
        }
        Optional<JsonObject> cfg = inv.config();
        if (cfg.isEmpty()) {
            return Optional.empty();
        }
        JsonObject config = cfg.get();
        boolean lmHeadArchitecture = config.getArray("architectures")
                .map(a -> a.elements().stream()
                        .anyMatch(v -> v instanceof JsonValue.JsonString s
                                && (s.value().endsWith("LMHeadModel")
                                        || s.value().endsWith("ForCausalLM")
                                        || s.value().endsWith("ForConditionalGeneration")
                                        || s.value().endsWith("ForMaskedLM"))))
                .orElse(false);
        if (!lmHeadArchitecture) {
            return Optional.empty();
        }
        // transformers' PretrainedConfig defaults tie_word_embeddings to true; families that default to false
        // write the key explicitly in config.json (save_pretrained keeps non-default values).
        boolean configTies = config.getBoolean("tie_word_embeddings", true);
        if (hasHead) {
            return Optional.of(new TiedHead(
                    false,
                    configTies
                            ? "the head is stored although config.json ties it; counted as stored"
                            : "config.json: tie_word_embeddings=false and the head is stored"));
        }
        if (configTies) {
            return Optional.of(new TiedHead(
                    true,
                    "config.json ties the head to the token embedding "
                            + "(tie_word_embeddings is "
                            + (config.has("tie_word_embeddings") ? "true" : "unset, default true")
                            + ") and the head is not stored (save_pretrained drops tied duplicates); counted once"));
        }
        return Optional.of(new TiedHead(false, "config.json: tie_word_embeddings=false but no head tensor is stored"));
    }
}
