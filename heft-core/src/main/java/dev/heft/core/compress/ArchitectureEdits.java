package dev.heft.core.compress;

import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Structured pruning and distillation as config edits: the result is a new {@code config.json} whose counts come from
 * the same engine as any other model, never from a scaled total. Sizes are read from the model's shape (so family
 * defaults are honoured) and written under the key the family uses.
 */
public final class ArchitectureEdits {
    private static final List<String> LAYERS = List.of("num_hidden_layers", "n_layer", "num_layers");
    private static final List<String> HEADS = List.of("num_attention_heads", "n_head", "num_heads");
    private static final List<String> KV_HEADS = List.of("num_key_value_heads", "n_head_kv", "num_kv_heads");
    private static final List<String> INTERMEDIATE = List.of("intermediate_size", "n_inner", "ffn_dim", "d_ff");
    private static final List<String> HIDDEN = List.of("hidden_size", "n_embd", "d_model");
    private static final List<String> EXPERTS = List.of("num_local_experts", "num_experts", "n_routed_experts");
    private static final List<String> MOE_INTERMEDIATE = List.of("moe_intermediate_size");

    private ArchitectureEdits() {}

    /**
     * Structured pruning: {@code heads=N} (attention heads kept per layer, head size unchanged), {@code channels=N}
     * (MLP channels kept), {@code layers=N} (layers kept), {@code experts=N} (routed experts); each a count, or a
     * percentage of the model's ({@code layers=50%}).
     */
    public static JsonObject prune(JsonObject config, TransformerShape s, String spec) {
        Map<String, JsonValue> c = new LinkedHashMap<>(config.members());
        String[] kv = spec.split("=", 2);
        if (kv.length != 2) {
            throw new InvalidInputException(
                    "prune: expected heads=N, channels=F, layers=N or experts=N, got '" + spec + "'");
        }
        String what = kv[0].trim().toLowerCase(Locale.ROOT);
        switch (what) {
            case "heads" -> setHeads(c, s, amount("heads", kv[1], s.attentionHeads()));
            case "channels" -> {
                long i = amount("channels", kv[1], s.intermediateSize());
                put(c, INTERMEDIATE, i);
                if (s.moe().isPresent()) {
                    put(
                            c,
                            MOE_INTERMEDIATE,
                            amount("channels", kv[1], s.moe().get().expertIntermediate()));
                }
            }
            case "layers" -> put(c, LAYERS, amount("layers", kv[1], s.layers()));
            case "experts" -> {
                if (s.moe().isEmpty()) {
                    throw new InvalidInputException("prune experts: this model has no routed experts");
                }
                long e = amount("experts", kv[1], s.moe().get().experts());
                if (e < s.moe().get().expertsPerToken()) {
                    throw new InvalidInputException("prune experts: " + e + " experts is fewer than the "
                            + s.moe().get().expertsPerToken() + " each token is routed to");
                }
                put(c, EXPERTS, e);
            }
            default ->
                throw new InvalidInputException(
                        "prune: unknown structure '" + what + "' (known: heads, channels, layers, experts)");
        }
        return new JsonObject(c);
    }

    /**
     * A student: {@code layers=N} (a count, or {@code layers=50%} of the teacher's depth) and {@code width=F} (a
     * fraction, {@code 75%} or {@code 0.75}, of heads, hidden and MLP width).
     */
    public static JsonObject distill(JsonObject config, TransformerShape s, String spec) {
        Map<String, JsonValue> c = new LinkedHashMap<>(config.members());
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new InvalidInputException(
                        "distill: expected layers=F,width=F or a catalog id, got '" + part + "'");
            }
            switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                case "layers", "depth" -> put(c, LAYERS, amount("layers", kv[1], s.layers()));
                case "width" -> {
                    double w = fraction(kv[1]);
                    long heads = Math.max(1, Math.round(s.attentionHeads() * w));
                    setHeads(c, s, heads);
                    if (s.hiddenSize() == s.attentionHeads() * s.headDimK()) {
                        put(c, HIDDEN, heads * s.headDimK());
                    } else {
                        put(c, HIDDEN, roundTo(s.hiddenSize() * w, 64));
                    }
                    put(c, INTERMEDIATE, roundTo(s.intermediateSize() * w, 64));
                    if (s.moe().isPresent()) {
                        put(c, MOE_INTERMEDIATE, roundTo(s.moe().get().expertIntermediate() * w, 64));
                    }
                }
                default ->
                    throw new InvalidInputException("distill: unknown key '" + kv[0] + "' (known: layers, " + "width)");
            }
        }
        return new JsonObject(c);
    }

    private static void setHeads(Map<String, JsonValue> c, TransformerShape s, long heads) {
        if (heads < 1 || heads > s.attentionHeads()) {
            throw new InvalidInputException("heads must be between 1 and " + s.attentionHeads() + ", got " + heads);
        }
        // Keep the head size: pruning heads removes whole heads, it does not resize the others.
        c.put("head_dim", JsonNumber.of(s.headDimK()));
        put(c, HEADS, heads);
        long kv = Math.max(1, heads * s.kvHeads() / s.attentionHeads());
        while (heads % kv != 0) {
            kv--;
        }
        put(c, KV_HEADS, kv);
    }

    private static void put(Map<String, JsonValue> c, List<String> keys, long value) {
        if (value < 1) {
            throw new InvalidInputException("a pruned size must stay at least 1");
        }
        for (String k : keys) {
            if (c.containsKey(k)) {
                c.put(k, JsonNumber.of(value));
                return;
            }
        }
        c.put(keys.getFirst(), JsonNumber.of(value));
    }

    /**
     * How many of {@code of} to keep: an integer is a count ({@code layers=12}), a percentage a fraction of the
     * model's ({@code layers=50%}). A decimal is refused: {@code layers=1} and {@code layers=1.0} read alike and meant
     * one layer and all of them.
     */
    static long amount(String key, String v, long of) {
        String t = v.trim();
        if (t.endsWith("%")) {
            return Math.max(1, Math.round(of * fraction(t)));
        }
        if (t.contains(".")) {
            throw new InvalidInputException(key + "=" + t + " is ambiguous: write a count (" + key + "="
                    + Math.max(1, of / 2) + ") or a percentage of the model's " + of + " (" + key + "=50%)");
        }
        try {
            long n = Long.parseLong(t);
            if (n < 1 || n > of) {
                throw new InvalidInputException("'" + v + "' must be between 1 and " + of);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("'" + v + "' is not a count or a fraction");
        }
    }

    static double fraction(String v) {
        String t = v.trim();
        try {
            double f =
                    t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (!(f > 0 && f <= 1)) {
                throw new NumberFormatException();
            }
            return f;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("'" + v + "' is not a fraction in (0, 1] (e.g. 0.5 or 50%)");
        }
    }

    private static long roundTo(double v, long multiple) {
        return Math.max(multiple, Math.round(v / multiple) * multiple);
    }
}
