package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Counts any config heft has no module-by-module model for, from the shape every transformer shares: token and
 * position embeddings, {@code L} layers of attention (q/k/v/o with grouped KV heads) and a feed-forward block (gated
 * when the activation or the RMSNorm says so, routed experts when expert keys are present), norms, a head chosen by
 * {@code architectures}. Encoder-decoders add cross-attention; vision stacks a patch embedding; Mamba-style stacks the
 * selective-scan mixer. A composite ({@code text_config}, {@code vision_config}, {@code audio_config}...) is the sum of
 * its stacks plus a two-layer projector between each encoder and the language model, reported as parts.
 *
 * <p>The result is always {@link CountAccuracy.Approximate}, with the bound of its {@link Tier}: the worst relative
 * error of parameters this reader made on transformers' own counts of model types it was not tuned on
 * (../shared/ground-truth/hf-all-types, every type heft does not count exactly; GenericTransformerBoundTest re-measures
 * it on every build and fails if a tier's stated bound no longer holds).
 */
final class GenericTransformer {
    private GenericTransformer() {}

    /**
     * What the reader recognised, with the errors measured for it (GenericTransformerBoundTest): the 90th percentile
     * and the worst relative error of parameters over the held-out configs of the tier, rounded up.
     */
    enum Tier {
        /** One text stack with every core key present (vocab, width, depth, heads, feed-forward width). */
        TEXT_DECODER("text decoder", 0.45, 8.00),
        /** An encoder, an encoder-decoder, a vision or speech stack, or a text stack missing some keys. */
        SINGLE_STACK("single stack", 0.85, 3.40),
        /** Several stacks (text_config, vision_config, audio_config...) joined by projectors. */
        COMPOSITE("composite", 0.85, 7.00),
        /** A state-space or hybrid (Mamba-style) stack. */
        STATE_SPACE("state-space or hybrid stack", 0.90, 0.90);

        final String label;
        final double typical;
        final double worst;

        Tier(String label, double typical, double worst) {
            this.label = label;
            this.typical = typical;
            this.worst = worst;
        }
    }

    static final String BASIS = "relative error of parameters against transformers 5.18's own meta-device counts of "
            + "the model types heft does not count exactly (default and shrunken configs), 90th percentile and worst "
            + "of the same tier";

    static HfArchitecture count(HfConfig c) {
        List<Stack> stacks = new ArrayList<>();
        ModuleTally t = new ModuleTally();
        List<HfArchitecture.Part> parts = new ArrayList<>();
        Head head = Head.of(c);
        boolean tied = c.flag(true, "tie_word_embeddings");
        Optional<Stack> language = Optional.empty();

        boolean composite = false;
        for (Map.Entry<String, JsonValue> e : c.json().members().entrySet()) {
            if (e.getKey().endsWith("_config") && e.getValue() instanceof JsonObject sub && looksLikeStack(sub)) {
                composite = true;
                String role = e.getKey().substring(0, e.getKey().length() - "_config".length());
                HfConfig sc = new HfConfig(sub, c.modelType() + "." + e.getKey());
                Stack s = Stack.read(sc, role);
                stacks.add(s);
                if (s.vocab > 0
                        && (role.equals("text")
                                || role.equals("decoder")
                                || role.equals("language")
                                || role.equals("llm")
                                || language.isEmpty())) {
                    language = Optional.of(s);
                }
            }
        }
        if (!composite || (looksLikeStack(c.json()) && language.isEmpty())) {
            Stack top = Stack.read(c, "model");
            stacks.add(0, top);
            if (top.vocab > 0) {
                language = Optional.of(top);
            }
        }
        if (stacks.stream().allMatch(s -> s.hidden == 0 || s.layers == 0)) {
            throw new InvalidInputException("config.json: model_type '" + c.modelType() + "' is not one heft counts "
                    + "exactly, and no transformer shape was found to approximate it (no hidden size and layer count "
                    + "under hidden_size/d_model/n_embd and num_hidden_layers/num_layers/n_layer); exact families: "
                    + String.join(", ", HfModelType.supported()));
        }
        for (Stack s : stacks) {
            long before = t.parameters();
            s.addTo(t);
            if (s == language.orElse(null)) {
                if (head == Head.LM && !tied(c, s, tied)) {
                    t.linear(LayerKind.HEAD, 1, s.hidden, s.vocab, false);
                } else if (head == Head.LM) {
                    t.tiedHead(s.vocab, s.hidden);
                } else if (head == Head.MASKED_LM) {
                    t.linear(LayerKind.HEAD, 1, s.hidden, s.hidden, true);
                    t.norm(s.normClass(), 1, s.hidden, s.layerNorm);
                    t.tiedHead(s.vocab, s.hidden);
                    t.biasParameter(LayerKind.HEAD, ModuleTally.LINEAR, s.vocab);
                }
            }
            parts.add(new HfArchitecture.Part(s.role, s.role, t.parameters() - before));
        }
        if (composite && language.isPresent()) {
            Stack lm = language.get();
            long before = t.parameters();
            for (Stack s : stacks) {
                if (s != lm && s.hidden > 0 && s.vocab == 0) {
                    // LLaVA-style projector: Linear(encoder width -> text width) + Linear(text width -> text width)
                    t.linear(LayerKind.MLP, 1, s.hidden, lm.hidden, true)
                            .linear(LayerKind.MLP, 1, lm.hidden, lm.hidden, true);
                }
            }
            if (t.parameters() > before) {
                parts.add(new HfArchitecture.Part("projector", "projector", t.parameters() - before));
            }
        }
        Tier tier = composite
                ? Tier.COMPOSITE
                : stacks.getFirst().ssm
                        ? Tier.STATE_SPACE
                        : stacks.getFirst().completeDecoder() ? Tier.TEXT_DECODER : Tier.SINGLE_STACK;
        CountAccuracy.Approximate accuracy = new CountAccuracy.Approximate(tier.typical, tier.worst, tier.label, BASIS);
        t.note("approximate: model_type '" + c.modelType() + "' has no exact model in heft; counted from the generic "
                + tier.label + " shape: " + accuracy.boundText() + " (" + BASIS + ")");
        Stack main = language.orElse(stacks.getFirst());
        String cls = c.strings("architectures").stream().findFirst().orElse(c.modelType());
        return new HfArchitecture(
                c.modelType(),
                cls,
                t.build(),
                main.shape(t.matmulPerToken()),
                0,
                accuracy,
                composite ? parts : List.of());
    }

    private static boolean tied(HfConfig top, Stack s, boolean topTied) {
        return new Keys(s.config.json()).flag(topTied, "tie_word_embeddings");
    }

    /** A sub-config counts as a stack when it declares a width. */
    private static boolean looksLikeStack(JsonObject o) {
        for (String k : Stack.HIDDEN_KEYS) {
            if (o.has(k)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads keys of a config heft has no class for, leniently: a key whose value has another type than expected
     * (a list where a number was expected, a float width) is treated as absent, so an unknown family is never refused
     * for a key whose meaning heft does not know. Integers are capped at 2^40; a layer count past
     * {@link HfConfig#MAX_LAYERS} is refused.
     */
    record Keys(JsonObject json) {
        long size(long fallback, String... keys) {
            for (String k : keys) {
                if (json.members().get(k) instanceof JsonValue.JsonNumber n && n.isIntegral()) {
                    java.math.BigDecimal v = n.value();
                    if (v.signum() >= 0 && v.compareTo(java.math.BigDecimal.valueOf(1L << 40)) <= 0) {
                        return v.longValue();
                    }
                }
            }
            return fallback;
        }

        /**
         * A layer count, refused past {@link HfConfig#MAX_LAYERS} as the exact families refuse it: capping it silently
         * would count some other model (and a hostile count must not size per-layer work).
         */
        long layers(long fallback, String... keys) {
            long v = size(fallback, keys);
            if (v > HfConfig.MAX_LAYERS) {
                String key = java.util.Arrays.stream(keys)
                        .filter(this::mentions)
                        .findFirst()
                        .orElse(keys[0]);
                throw new InvalidInputException("config.json: key '" + key + "' must be at most " + HfConfig.MAX_LAYERS
                        + " layers, found " + v);
            }
            return v;
        }

        boolean flag(boolean fallback, String... keys) {
            for (String k : keys) {
                if (json.members().get(k) instanceof JsonValue.JsonBoolean b) {
                    return b.value();
                }
            }
            return fallback;
        }

        String text(String fallback, String... keys) {
            for (String k : keys) {
                if (json.members().get(k) instanceof JsonValue.JsonString str) {
                    return str.value();
                }
            }
            return fallback;
        }

        double number(double fallback, String... keys) {
            for (String k : keys) {
                if (json.members().get(k) instanceof JsonValue.JsonNumber n) {
                    double v = n.value().doubleValue();
                    return Double.isFinite(v) && v > 0 && v < 1e6 ? v : fallback;
                }
            }
            return fallback;
        }

        boolean mentions(String key) {
            return json.members().containsKey(key);
        }

        Optional<JsonValue> get(String key) {
            return json.get(key);
        }

        List<Long> sizes(String key) {
            List<Long> out = new ArrayList<>();
            if (json.members().get(key) instanceof JsonValue.JsonArray arr) {
                for (JsonValue v : arr.elements()) {
                    if (v instanceof JsonValue.JsonNumber n
                            && n.isIntegral()
                            && n.value().signum() >= 0
                            && n.value().compareTo(java.math.BigDecimal.valueOf(HfConfig.MAX_LAYERS)) <= 0) {
                        out.add(n.value().longValue());
                    }
                }
            }
            return out;
        }
    }

    /** What {@code architectures} asks for on top of the stacks. */
    enum Head {
        LM,
        MASKED_LM,
        NONE;

        static Head of(HfConfig c) {
            List<String> archs = c.strings("architectures");
            if (archs.isEmpty()) {
                return LM;
            }
            String a = archs.getFirst();
            if (a.endsWith("ForMaskedLM") || a.endsWith("ForPreTraining")) {
                return MASKED_LM;
            }
            if (a.endsWith("ForCausalLM")
                    || a.endsWith("LMHeadModel")
                    || a.endsWith("ForConditionalGeneration")
                    || a.endsWith("ForSeq2SeqLM")
                    || a.endsWith("ImageTextToText")) {
                return LM;
            }
            return NONE;
        }
    }

    /** One stack of identical layers, read from the keys transformers configs use for it. */
    static final class Stack {
        static final String[] HIDDEN_KEYS = {
            "hidden_size", "d_model", "n_embd", "embed_dim", "dim", "model_dim", "hidden_dim", "width"
        };

        final HfConfig config;
        final String role;
        long hidden;
        long layers;
        long encoderLayers;
        long heads;
        long kvHeads;
        long headDim;
        long ffn;
        long vocab;
        long maxPositions;
        boolean gated;
        boolean layerNorm;
        boolean biases;
        boolean ssm;
        boolean keysComplete;
        long experts;
        long topK;
        long expertFfn;
        long sparseLayers;
        long sharedFfn;
        long patchParameters;
        long positionRows;
        long typeRows;
        long relativeBuckets;
        long ssmInner;
        long ssmState;
        long ssmConv;

        private Stack(HfConfig config, String role) {
            this.config = config;
            this.role = role;
        }

        static Stack read(HfConfig config, String role) {
            Stack s = new Stack(config, role);
            Keys c = new Keys(config.json());
            s.hidden = c.size(0, HIDDEN_KEYS);
            long dec = c.layers(0, "decoder_layers", "num_decoder_layers");
            long enc = c.layers(0, "encoder_layers", "num_encoder_layers");
            long plain = c.layers(0, "num_hidden_layers", "num_layers", "n_layer", "n_layers", "depth");
            if (plain == 0) {
                plain = sumOf(c, "depths");
            }
            boolean encDec = c.flag(false, "is_encoder_decoder");
            if (enc > 0 || dec > 0) {
                s.encoderLayers = enc > 0 ? enc : (encDec ? plain : 0);
                s.layers = dec > 0 ? dec : plain;
            } else if (encDec) {
                s.encoderLayers = plain;
                s.layers = plain;
            } else {
                s.layers = plain;
            }
            s.heads = c.size(
                    0,
                    "num_attention_heads",
                    "n_head",
                    "num_heads",
                    "encoder_attention_heads",
                    "n_heads",
                    "attention_heads",
                    "decoder_attention_heads");
            if (s.heads == 0 && s.hidden > 0) {
                s.heads = Math.max(1, s.hidden / 64);
            }
            s.kvHeads = c.flag(false, "multi_query")
                    ? 1
                    : c.size(s.heads, "num_key_value_heads", "num_kv_heads", "n_head_kv", "num_key_value_groups");
            if (s.kvHeads == 0) {
                s.kvHeads = s.heads;
            }
            s.headDim = c.size(
                    s.heads == 0 ? 0 : s.hidden / s.heads, "head_dim", "d_kv", "attention_head_dim", "kv_channels");
            s.ffn = ffn(c, s.hidden);
            // a vision or audio sub-config often carries a vocab_size it inherited and never uses
            boolean nonText = role.contains("vision")
                    || role.contains("audio")
                    || role.contains("speech")
                    || role.contains("image");
            s.vocab = nonText ? 0 : c.size(0, "vocab_size", "n_vocab", "text_vocab_size");
            String act = c.text(
                            "",
                            "hidden_act",
                            "activation_function",
                            "hidden_activation",
                            "feed_forward_proj",
                            "ffn_act",
                            "activation")
                    .toLowerCase(Locale.ROOT);
            boolean rms = c.mentions("rms_norm_eps") || c.mentions("rms_norm_epsilon");
            s.layerNorm = !rms
                    && (c.mentions("layer_norm_eps")
                            || c.mentions("layer_norm_epsilon")
                            || c.mentions("layernorm_epsilon")
                            || c.mentions("norm_eps")
                            || !c.mentions("rope_theta"));
            s.gated = act.contains("silu")
                    || act.contains("swish")
                    || act.contains("glu")
                    || act.startsWith("gated")
                    || (rms && !act.contains("relu"));
            s.biases = s.layerNorm
                    ? !c.mentions("attention_bias") || c.flag(true, "attention_bias")
                    : c.flag(false, "attention_bias", "qkv_bias", "bias", "use_bias");
            s.maxPositions = c.size(
                    0, "max_position_embeddings", "n_positions", "max_seq_len", "seq_length", "max_target_positions");
            boolean rotary = c.mentions("rope_theta")
                    || c.mentions("rope_parameters")
                    || c.mentions("rope_scaling")
                    || c.mentions("rotary_dim")
                    || c.mentions("rotary_pct")
                    || c.mentions("partial_rotary_factor")
                    || c.text("", "position_embedding_type").contains("rot")
                    || c.flag(false, "alibi");
            s.relativeBuckets = c.size(0, "relative_attention_num_buckets");
            if (!rotary && s.relativeBuckets == 0 && s.vocab > 0) {
                s.positionRows = s.maxPositions;
            }
            s.typeRows = c.size(0, "type_vocab_size");
            long patch = firstOf(c, "patch_size");
            if (patch > 0 && s.vocab == 0) {
                long channels = c.size(3, "num_channels", "in_channels", "in_chans");
                long image = firstOf(c, "image_size");
                s.patchParameters = mul(channels, mul(patch, mul(patch, s.hidden))) + s.hidden;
                long side = image > 0 ? image / patch : 0;
                s.positionRows = mul(side, side) + 1;
            }
            moe(c, s);
            long state = c.size(0, "state_size", "ssm_state_size", "d_state", "mamba_d_state");
            if (state > 0) {
                s.ssm = true;
                s.ssmState = state;
                s.ssmInner = c.size(
                        mul(c.size(2, "expand", "mamba_expand"), s.hidden),
                        "intermediate_size",
                        "mamba_d_ssm",
                        "d_inner");
                s.ssmConv = c.size(4, "conv_kernel", "d_conv", "mamba_d_conv");
            }
            s.keysComplete = s.vocab > 0
                    && s.hidden > 0
                    && s.layers > 0
                    && s.encoderLayers == 0
                    && c.mentions("intermediate_size")
                    && (c.mentions("num_attention_heads") || c.mentions("n_head"));
            return s;
        }

        boolean completeDecoder() {
            return keysComplete && patchParameters == 0;
        }

        String normClass() {
            return layerNorm ? ModuleTally.LAYER_NORM : "RMSNorm";
        }

        private static long ffn(Keys c, long hidden) {
            Optional<JsonValue> raw = c.get("intermediate_size");
            if (raw.isPresent() && raw.get() instanceof JsonValue.JsonArray arr && arr.size() > 0) {
                long sum = 0;
                for (int i = 0; i < arr.size(); i++) {
                    if (arr.get(i) instanceof JsonValue.JsonNumber n && n.isIntegral()) {
                        sum = Math.addExact(sum, Math.max(0, Math.min(n.value().longValue(), 1L << 40)));
                    }
                }
                return sum / arr.size();
            }
            long v = c.size(
                    0,
                    "intermediate_size",
                    "ffn_dim",
                    "encoder_ffn_dim",
                    "d_ff",
                    "n_inner",
                    "ffn_hidden_size",
                    "mlp_dim",
                    "decoder_ffn_dim",
                    "intermediate_dim");
            if (v == 0 && c.mentions("dim") && c.mentions("hidden_dim")) {
                v = c.size(0, "hidden_dim");
            }
            if (v == 0) {
                double ratio = c.number(4.0, "mlp_ratio");
                v = (long) (hidden * ratio);
            }
            return v;
        }

        /** The first of an integer or the first element of a list ({@code patch_size: [14, 14]}). */
        private static long firstOf(Keys c, String key) {
            Optional<JsonValue> raw = c.get(key);
            if (raw.isEmpty()) {
                return 0;
            }
            if (raw.get() instanceof JsonValue.JsonArray arr) {
                return arr.size() > 0 && arr.get(0) instanceof JsonValue.JsonNumber n && n.isIntegral()
                        ? Math.max(0, Math.min(n.value().longValue(), 1L << 20))
                        : 0;
            }
            return raw.get() instanceof JsonValue.JsonNumber ? c.size(0, key) : 0;
        }

        private static long sumOf(Keys c, String key) {
            long sum = 0;
            for (long v : c.sizes(key)) {
                sum = Math.addExact(sum, Math.max(0, Math.min(v, HfConfig.MAX_LAYERS)));
            }
            return Math.min(sum, HfConfig.MAX_LAYERS);
        }

        private static void moe(Keys c, Stack s) {
            long experts = c.size(
                    0, "num_experts", "num_local_experts", "n_routed_experts", "moe_num_experts", "num_routed_experts");
            if (experts <= 1) {
                return;
            }
            s.experts = experts;
            s.topK = Math.min(
                    experts, c.size(2, "num_experts_per_tok", "moe_top_k", "top_k", "num_selected_experts", "moe_k"));
            s.expertFfn = c.size(s.ffn, "moe_intermediate_size", "expert_intermediate_size", "moe_ffn_dim");
            long dense = c.size(0, "first_k_dense_replace", "first_k_dense", "moe_layer_start_index");
            dense += c.sizes("mlp_only_layers").size();
            long step = Math.max(1, c.size(1, "decoder_sparse_step", "moe_layer_freq", "expert_interval"));
            s.sparseLayers = Math.max(0, (s.layers - Math.min(dense, s.layers)) / step);
            long sharedExperts = c.size(0, "n_shared_experts", "num_shared_experts", "moe_num_shared_experts");
            s.sharedFfn = c.size(mul(sharedExperts, s.expertFfn), "shared_expert_intermediate_size");
        }

        /** Adds this stack's modules: embeddings, layers, final norm (the head is the caller's). */
        void addTo(ModuleTally t) {
            if (hidden == 0 || layers + encoderLayers == 0) {
                return;
            }
            if (vocab > 0) {
                t.embedding(ModuleTally.EMBEDDING, 1, vocab, hidden);
            }
            if (positionRows > 0) {
                t.embedding(ModuleTally.EMBEDDING, encoderLayers > 0 ? 2 : 1, positionRows, hidden);
            }
            if (typeRows > 0) {
                t.embedding(ModuleTally.EMBEDDING, 1, typeRows, hidden);
            }
            if (patchParameters > 0) {
                t.conv("Conv2d", 1, patchParameters - hidden, hidden, patchParameters - hidden);
            }
            if (relativeBuckets > 0) {
                t.parameter(
                        LayerKind.ATTENTION,
                        ModuleTally.EMBEDDING,
                        mul(encoderLayers > 0 ? 2 : 1, mul(relativeBuckets, heads)));
            }
            if (ssm) {
                mamba(t, layers);
            } else {
                attention(t, layers + encoderLayers);
                if (encoderLayers > 0) {
                    attention(t, layers); // decoder cross-attention
                }
                long dense = layers + encoderLayers - sparseLayers;
                mlp(t, dense, ffn);
                if (sparseLayers > 0) {
                    t.linear(LayerKind.ROUTER, sparseLayers, hidden, experts, false);
                    long perExpert = mul(gated ? 3 : 2, mul(expertFfn, hidden));
                    t.experts(
                            "Experts",
                            mul(sparseLayers, mul(experts, perExpert)),
                            mul(sparseLayers, mul(topK, perExpert)));
                    mlp(t, sparseLayers, sharedFfn);
                }
                long norms = mul(2, layers + encoderLayers) + (encoderLayers > 0 ? layers : 0);
                t.norm(normClass(), norms, hidden, layerNorm);
            }
            t.norm(normClass(), encoderLayers > 0 ? 2 : 1, hidden, layerNorm);
        }

        private void attention(ModuleTally t, long times) {
            long q = mul(heads, headDim);
            long kv = mul(kvHeads, headDim);
            t.linear(LayerKind.ATTENTION, times, hidden, q + 2 * kv, biases);
            t.linear(LayerKind.ATTENTION, times, q, hidden, biases);
        }

        private void mlp(ModuleTally t, long times, long width) {
            if (times == 0 || width == 0) {
                return;
            }
            if (gated) {
                t.linear(LayerKind.MLP, mul(times, 2), hidden, width, biases);
            } else {
                t.linear(LayerKind.MLP, times, hidden, width, biases);
            }
            t.linear(LayerKind.MLP, times, width, hidden, biases);
        }

        /** Mamba mixer: in_proj, depthwise conv, x_proj, dt_proj, A_log, D, out_proj, and its norm. */
        private void mamba(ModuleTally t, long times) {
            long dtRank = (hidden + 15) / 16;
            LayerKind k = LayerKind.SSM;
            t.linear(k, times, hidden, mul(2, ssmInner), false);
            t.conv("Conv1d", times, mul(ssmInner, ssmConv), ssmInner, 0);
            t.linear(k, times, ssmInner, dtRank + mul(2, ssmState), false);
            t.linear(k, times, dtRank, ssmInner, true);
            t.parameter(k, "Mixer", mul(times, mul(ssmInner, ssmState) + ssmInner));
            t.linear(k, times, ssmInner, hidden, false);
            t.norm(normClass(), times, hidden, false);
        }

        TransformerShape shape(long matmulPerToken) {
            List<AttentionLayer> attention = new ArrayList<>();
            for (long i = 0; i < layers; i++) {
                attention.add(ssm ? AttentionLayer.NONE : AttentionLayer.FULL);
            }
            Optional<TransformerShape.Moe> moe = Optional.empty();
            if (sparseLayers > 0) {
                List<Integer> idx = new ArrayList<>();
                for (int i = (int) (layers - sparseLayers); i < layers; i++) {
                    idx.add(i);
                }
                moe = Optional.of(new TransformerShape.Moe(experts, topK, sharedFfn > 0 ? 1 : 0, expertFfn, idx));
            }
            Optional<TransformerShape.Ssm> ssmShape = ssm
                    ? Optional.of(new TransformerShape.Ssm(ssmState, ssmConv, ssmInner, (hidden + 15) / 16))
                    : Optional.empty();
            Optional<TransformerShape.EncoderDecoder> ed = encoderLayers > 0
                    ? Optional.of(new TransformerShape.EncoderDecoder(encoderLayers, layers, true))
                    : Optional.empty();
            return new TransformerShape(
                    layers,
                    hidden,
                    ssm ? 0 : heads,
                    ssm ? 0 : kvHeads,
                    ssm ? 0 : headDim,
                    ssm ? 0 : headDim,
                    vocab,
                    ffn,
                    maxPositions,
                    attention,
                    moe,
                    Optional.empty(),
                    ssmShape,
                    ed,
                    matmulPerToken);
        }
    }
}
