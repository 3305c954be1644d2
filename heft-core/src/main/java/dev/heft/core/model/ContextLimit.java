package dev.heft.core.model;

import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The longest sequence a model was built for, as a serving runtime derives it from the config: vLLM's
 * {@code _get_and_verify_max_len} (vllm/config.py) takes the smallest of the length keys the config has
 * ({@code max_position_embeddings}, {@code n_positions}, {@code max_seq_len}, {@code seq_length},
 * {@code model_max_length}, {@code max_target_positions}, {@code max_sequence_length}, {@code max_seq_length},
 * {@code seq_len}), then applies {@code rope_scaling}: YaRN is {@code factor x original_max_position_embeddings};
 * linear, dynamic and the other factor types multiply the length by {@code factor}; llama3, longrope and su are
 * already extended in {@code max_position_embeddings} (as is Gemma 3's). Beyond it a learned position table has no
 * row and rotary positions were never trained: runtimes refuse it (vLLM) or warn (llama.cpp's n_ctx_train).
 *
 * @param tokens        the limit of the sequence heft's {@code --context} sizes (the decoder's, for a seq2seq model)
 * @param encoderTokens the encoder's limit of an encoder-decoder model ({@code --encoder-context}): Whisper's
 *                      {@code max_source_positions} (1500 audio frames), BART's and T5's the same as the decoder's
 * @param basis         where the limit comes from, for reports
 */
public record ContextLimit(long tokens, Optional<Long> encoderTokens, String basis) {

    /** The config keys vLLM reads a maximum length from, in its order. */
    static final List<String> LENGTH_KEYS = List.of(
            "max_position_embeddings",
            "n_positions",
            "max_seq_len",
            "seq_length",
            "model_max_length",
            "max_target_positions",
            "max_sequence_length",
            "max_seq_length",
            "seq_len");

    public ContextLimit {
        if (tokens <= 0) {
            throw new IllegalArgumentException("a context limit is positive, got " + tokens);
        }
    }

    /**
     * The limit a config states, else the family's default length from the architecture (transformers' config
     * class default, e.g. Falcon's 2048), else none: recurrent models (Mamba), ALiBi models without a length key
     * (BLOOM) and vision transformers have no token limit heft can state.
     *
     * @param from "config.json" or "GGUF metadata": where the config came from, for the basis
     */
    static Optional<ContextLimit> of(JsonObject config, Optional<TransformerShape> shape, String from) {
        String type = config.getString("model_type", "").toLowerCase(Locale.ROOT);
        if (type.equals("vit") || type.equals("mamba") || type.equals("mamba2")) {
            return Optional.empty();
        }
        long length = Long.MAX_VALUE;
        String key = null;
        for (String k : LENGTH_KEYS) {
            Optional<Long> v = positive(config, k);
            if (v.isPresent() && v.get() < length) {
                length = v.get();
                key = k;
            }
        }
        String basis;
        if (key == null) {
            long declared = shape.map(TransformerShape::maxPositions).orElse(0L);
            if (declared <= 0) {
                return Optional.empty();
            }
            length = declared;
            basis = "the family's default max_position_embeddings " + Units.exact(length) + "; " + from
                    + " has no length key";
        } else {
            basis = from + " " + key + " " + Units.exact(length);
        }
        if ("max_position_embeddings".equals(key) && (type.contains("roberta") || type.equals("camembert"))) {
            // RoBERTa numbers positions from padding_idx + 1 (modeling_roberta.create_position_ids_from_input_ids),
            // so a table of 514 rows holds 512 tokens.
            long offset = positive(config, "pad_token_id").orElse(1L) + 1;
            if (length > offset) {
                length -= offset;
                basis += " less " + offset + ": positions start at pad_token_id + 1";
            }
        }
        Optional<JsonObject> rope = object(config, "rope_scaling");
        if (rope.isPresent() && !type.startsWith("gemma3")) {
            String ropeType = rope.get()
                    .getString("rope_type", rope.get().getString("type", "default"))
                    .toLowerCase(Locale.ROOT);
            double factor = number(rope.get(), "factor").orElse(1.0);
            if (!List.of("su", "longrope", "llama3", "default").contains(ropeType) && factor > 0) {
                long base = length;
                String of = key == null ? "max_position_embeddings" : key;
                if (ropeType.equals("yarn")) {
                    Optional<Long> original = positive(rope.get(), "original_max_position_embeddings");
                    if (original.isPresent()) {
                        base = original.get();
                        of = "original_max_position_embeddings";
                    }
                }
                long scaled = (long) Math.floor(base * factor);
                if (scaled > 0) {
                    basis = ropeType + " rope_scaling: factor "
                            + Units.fixed(factor, factor == Math.rint(factor) ? 0 : 2) + " x " + of + " "
                            + Units.exact(base) + " = " + Units.exact(scaled)
                            + (scaled == length
                                    ? ", as " + (key == null ? "max_position_embeddings" : key) + " says"
                                    : "");
                    length = scaled;
                }
            }
        }
        Optional<Long> encoder = Optional.empty();
        if (type.equals("whisper")) {
            encoder = positive(config, "max_source_positions");
            if (encoder.isPresent()) {
                basis += "; encoder: max_source_positions " + Units.exact(encoder.get()) + " audio frames";
            }
        } else if (shape.flatMap(TransformerShape::encoderDecoder).isPresent()) {
            encoder = Optional.of(length);
        }
        return Optional.of(new ContextLimit(length, encoder, basis));
    }

    /** The longest context the model takes: {@code context} itself when within the limit. */
    public long cap(long context) {
        return Math.min(context, tokens);
    }

    /**
     * What to tell a user whose workload goes past the limit (empty when it does not): one line per sequence that is
     * longer than the model was built for.
     */
    public List<String> warnings(String model, long context, Optional<Long> encoderContext) {
        List<String> out = new ArrayList<>();
        if (context > tokens) {
            out.add("context " + Units.exact(context) + " exceeds " + model + "'s limit of " + Units.exact(tokens)
                    + " tokens (" + basis + "): beyond it the model has no trained positions, and vLLM refuses such "
                    + "a max_model_len; the figures are for the context asked, the longest context is capped at "
                    + Units.exact(tokens));
        }
        if (encoderTokens.isPresent() && encoderContext.isPresent() && encoderContext.get() > encoderTokens.get()) {
            out.add("encoder context " + Units.exact(encoderContext.get()) + " exceeds " + model + "'s encoder limit "
                    + "of " + Units.exact(encoderTokens.get()) + " positions");
        }
        return out;
    }

    /**
     * A count of positions or tokens: a whole number from 1 up. Anything else (0, a fraction such as 1e-6, a negative
     * or an enormous number) is no length at all, as if the key were absent: a fraction must not truncate to 0.
     */
    private static Optional<Long> positive(JsonObject o, String key) {
        JsonValue v = o.members().get(key);
        if (v instanceof JsonNumber n
                && n.value().compareTo(java.math.BigDecimal.ONE) >= 0
                && n.value().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                && n.value().stripTrailingZeros().scale() <= 0) {
            return Optional.of(n.value().longValueExact());
        }
        return Optional.empty();
    }

    private static Optional<Double> number(JsonObject o, String key) {
        JsonValue v = o.members().get(key);
        return v instanceof JsonNumber n ? Optional.of(n.value().doubleValue()) : Optional.empty();
    }

    private static Optional<JsonObject> object(JsonObject o, String key) {
        JsonValue v = o.members().get(key);
        return v instanceof JsonObject j ? Optional.of(j) : Optional.empty();
    }
}
