package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.EMBEDDING;
import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.LINEAR;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.arch.hf.Encoders.Head;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.json.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Encoder families after BERT, each as its transformers 5.18 {@code modeling_<family>.py} builds the base model and
 * the heads {@code architectures} can name: ELECTRA (factorised embeddings, generator and discriminator heads),
 * DeBERTa-v2/v3 (disentangled relative attention, optional convolution, legacy MLM head), ModernBERT (fused Wqkv,
 * bias-free LayerNorms, alternating global and local RoPE layers) and MPNet (relative position buckets).
 */
final class ModernEncoders {
    private ModernEncoders() {}

    private static final LayerKind ATT = LayerKind.ATTENTION;
    private static final LayerKind MLP = LayerKind.MLP;
    private static final LayerKind HEAD = LayerKind.HEAD;

    /** Heads a family has no class for count as its base model, with a note. */
    private static Head head(HfConfig c, String prefix, ModuleTally t, Head... known) {
        Head head = Head.of(c, prefix);
        if (head != Head.BASE && !List.of(known).contains(head)) {
            head = Head.UNMODELLED;
        }
        return Encoders.settle(head, c, prefix, t);
    }

    // configuration_electra.py ElectraConfig; modeling_electra.py ElectraModel: word/position/token-type embeddings of
    // embedding_size with a LayerNorm, embeddings_project (E -> H) when the sizes differ, BERT's layers, no pooler
    static HfArchitecture electra(HfConfig c) {
        long v = c.size(30522, "vocab_size");
        long e = c.size(128, "embedding_size");
        long h = c.size(256, "hidden_size");
        long l = c.layers(12, "num_hidden_layers");
        long heads = c.size(4, "num_attention_heads");
        long inter = c.size(1024, "intermediate_size");
        long pos = c.size(512, "max_position_embeddings");
        long types = c.size(2, "type_vocab_size");
        ModuleTally t = new ModuleTally();
        Head head = head(
                c,
                "Electra",
                t,
                Head.MASKED_LM,
                Head.CAUSAL_LM,
                Head.PRE_TRAINING,
                Head.SEQUENCE_CLASSIFICATION,
                Head.TOKEN_CLASSIFICATION,
                Head.QUESTION_ANSWERING);
        t.embedding(EMBEDDING, 1, v, e).embedding(EMBEDDING, 1, pos, e).embedding(EMBEDDING, 1, types, e);
        t.norm(LAYER_NORM, 1, e, true);
        t.buffer(mul(2, pos)); // position_ids and token_type_ids
        if (e != h) {
            t.linear(ATT, 1, e, h, true); // embeddings_project
        }
        Encoders.bertLayers(t, l, h, inter);
        switch (head) {
            case MASKED_LM, CAUSAL_LM -> {
                // generator_predictions (dense H -> E, LayerNorm E) and generator_lm_head (E -> V, tied weight)
                t.linear(HEAD, 1, h, e, true);
                t.norm(LAYER_NORM, 1, e, true);
                if (c.flag(true, "tie_word_embeddings")) {
                    t.tiedHead(v, e);
                    t.biasParameter(HEAD, LINEAR, v);
                    t.note("generator_lm_head weight is tied to the word embeddings: counted once");
                } else {
                    t.linear(HEAD, 1, e, v, true);
                }
            }
            case PRE_TRAINING -> t.linear(HEAD, 1, h, h, true).linear(HEAD, 1, h, 1, true); // discriminator
            case SEQUENCE_CLASSIFICATION -> t.linear(HEAD, 1, h, h, true).linear(HEAD, 1, h, c.numLabels(), true);
            case TOKEN_CLASSIFICATION, QUESTION_ANSWERING -> t.linear(HEAD, 1, h, c.numLabels(), true);
            default -> {}
        }
        return new HfArchitecture(
                "electra",
                head.className("Electra"),
                t.build(),
                Encoders.encoderShape(l, h, heads, v, inter, pos, t.matmulPerToken()),
                0);
    }

    // configuration_deberta_v2.py DebertaV2Config; modeling_deberta_v2.py DebertaV2Model: embeddings (positions only
    // with position_biased_input, token types only when type_vocab_size > 0, embed_proj when embedding_size differs),
    // layers with biased query/key/value_proj (and pos_key_proj / pos_query_proj for c2p / p2c when attention keys are
    // not shared), relative embeddings of 2 x position_buckets (or 2 x max_relative_positions) rows, their LayerNorm
    // (norm_rel_ebd), a ConvLayer when conv_kernel_size > 0; no pooler
    static HfArchitecture debertaV2(HfConfig c) {
        long v = c.size(128100, "vocab_size");
        long h = c.size(1536, "hidden_size");
        long e = c.size(h, "embedding_size");
        long l = c.layers(24, "num_hidden_layers");
        long heads = c.size(24, "num_attention_heads");
        long inter = c.size(6144, "intermediate_size");
        long pos = c.size(512, "max_position_embeddings");
        long types = c.size(0, "type_vocab_size");
        ModuleTally t = new ModuleTally();
        Head head = head(
                c,
                "DebertaV2",
                t,
                Head.MASKED_LM,
                Head.SEQUENCE_CLASSIFICATION,
                Head.TOKEN_CLASSIFICATION,
                Head.QUESTION_ANSWERING);
        t.embedding(EMBEDDING, 1, v, e);
        if (c.flag(true, "position_biased_input")) {
            t.embedding(EMBEDDING, 1, pos, e);
        }
        if (types > 0) {
            t.embedding(EMBEDDING, 1, types, e);
        }
        if (e != h) {
            t.linear(ATT, 1, e, h, false); // embed_proj
        }
        t.norm(LAYER_NORM, 1, h, true);
        t.buffer(pos); // position_ids
        Encoders.bertLayers(t, l, h, inter);
        if (c.flag(false, "relative_attention")) {
            List<String> posAtt = posAttType(c);
            if (!c.flag(false, "share_att_key")) {
                long projections = (posAtt.contains("c2p") ? 1 : 0) + (posAtt.contains("p2c") ? 1 : 0);
                t.linear(ATT, mul(l, projections), h, h, true); // pos_key_proj, pos_query_proj
            }
            long buckets = signedSize(c, "position_buckets", -1);
            long maxRelative = signedSize(c, "max_relative_positions", -1);
            long size = buckets > 0 ? buckets : maxRelative < 1 ? pos : maxRelative;
            t.embedding(EMBEDDING, 1, mul(2, size), h); // encoder.rel_embeddings
        }
        if (List.of(c.text("none", "norm_rel_ebd").toLowerCase(Locale.ROOT).split("\\|")).stream()
                .map(String::strip)
                .anyMatch("layer_norm"::equals)) {
            t.norm(LAYER_NORM, 1, h, true); // encoder.LayerNorm
        }
        long kernel = c.size(0, "conv_kernel_size");
        if (kernel > 0) {
            long groups = c.size(1, "conv_groups");
            DecoderFamilies.requirePositive(c, "conv_groups", groups);
            t.conv("Conv1d", 1, mul(h, mul(h / groups, kernel)), h, 0);
            t.norm(LAYER_NORM, 1, h, true);
        }
        switch (head) {
            case MASKED_LM -> {
                if (c.flag(true, "legacy")) {
                    // cls.predictions: transform (dense H -> E, LayerNorm E), decoder tied, bias (vocab)
                    t.linear(HEAD, 1, h, e, true);
                    t.norm(LAYER_NORM, 1, e, true);
                    Encoders.maskedLmDecoder(t, c, "LegacyDebertaV2LMPredictionHead", v, e);
                } else {
                    // lm_predictions.lm_head: dense, LayerNorm and a bias; logits multiply the word embeddings
                    t.linear(HEAD, 1, h, h, true);
                    t.norm(LAYER_NORM, 1, h, true);
                    t.biasParameter(HEAD, "DebertaV2LMPredictionHead", v);
                    t.extraMatmul(mul(v, h));
                }
            }
            case SEQUENCE_CLASSIFICATION -> {
                long pooler = c.size(h, "pooler_hidden_size");
                t.linear(HEAD, 1, pooler, pooler, true); // ContextPooler.dense
                t.linear(HEAD, 1, h, c.numLabels(), true);
            }
            case TOKEN_CLASSIFICATION, QUESTION_ANSWERING -> t.linear(HEAD, 1, h, c.numLabels(), true);
            default -> {}
        }
        return new HfArchitecture(
                "deberta-v2",
                head.className("DebertaV2"),
                t.build(),
                Encoders.encoderShape(l, h, heads, v, inter, pos, t.matmulPerToken()),
                0);
    }

    /** pos_att_type: a list, or the older "p2c|c2p" string DebertaV2Config splits. */
    private static List<String> posAttType(HfConfig c) {
        JsonValue raw = c.json().members().get("pos_att_type");
        if (raw instanceof JsonValue.JsonString s) {
            return List.of(s.value().toLowerCase(Locale.ROOT).split("\\|")).stream()
                    .map(String::strip)
                    .toList();
        }
        return c.strings("pos_att_type");
    }

    /** An integer that may be negative (-1 meaning unset), read leniently as the class does. */
    private static long signedSize(HfConfig c, String key, long fallback) {
        JsonValue raw = c.json().members().get(key);
        if (raw == null || raw instanceof JsonValue.JsonNull) {
            return fallback;
        }
        if (raw instanceof JsonValue.JsonNumber n && n.isIntegral() && n.value().signum() < 0) {
            return -1;
        }
        return c.size(fallback, key);
    }

    // configuration_modernbert.py ModernBertConfig; modeling_modernbert.py ModernBertModel: tok_embeddings and their
    // LayerNorm, layers with attn_norm (none on layer 0), a fused Wqkv and Wo (attention_bias), mlp_norm, Wi (2 x
    // intermediate) and Wo (mlp_bias), final_norm; LayerNorms carry a bias only with norm_bias; one rotary table pair
    // per
    // layer type present
    static HfArchitecture modernbert(HfConfig c) {
        long v = c.size(50368, "vocab_size");
        long h = c.size(768, "hidden_size");
        long inter = c.size(1152, "intermediate_size");
        long l = c.layers(22, "num_hidden_layers");
        long heads = c.size(12, "num_attention_heads");
        DecoderFamilies.requirePositive(c, "num_attention_heads", heads);
        long pos = c.size(8192, "max_position_embeddings");
        boolean normBias = c.flag(false, "norm_bias");
        boolean attBias = c.flag(false, "attention_bias");
        boolean mlpBias = c.flag(false, "mlp_bias");
        ModuleTally t = new ModuleTally();
        Head head = head(
                c,
                "ModernBert",
                t,
                Head.MASKED_LM,
                Head.SEQUENCE_CLASSIFICATION,
                Head.TOKEN_CLASSIFICATION,
                Head.QUESTION_ANSWERING);
        t.embedding(EMBEDDING, 1, v, h);
        t.norm(LAYER_NORM, 1, h, normBias); // embeddings.norm
        t.norm(LAYER_NORM, Math.max(0, l - 1) + l, h, normBias); // attn_norm (from layer 1), mlp_norm
        t.linear(ATT, l, h, 3 * h, attBias).linear(ATT, l, h, h, attBias);
        t.linear(MLP, l, h, mul(2, inter), mlpBias).linear(MLP, l, inter, h, mlpBias);
        t.norm(LAYER_NORM, 1, h, normBias); // final_norm
        t.buffer(mul(layerTypes(c, l), ModuleTally.rotaryBuffers(h / heads)));
        boolean classifierBias = c.flag(false, "classifier_bias");
        if (head != Head.BASE) {
            t.linear(HEAD, 1, h, h, classifierBias); // head.dense
            t.norm(LAYER_NORM, 1, h, normBias); // head.norm
        }
        switch (head) {
            case MASKED_LM -> {
                boolean decoderBias = c.flag(true, "decoder_bias");
                if (c.flag(true, "tie_word_embeddings")) {
                    t.tiedHead(v, h);
                    if (decoderBias) {
                        t.biasParameter(HEAD, LINEAR, v);
                    }
                    t.note("decoder weight is tied to tok_embeddings: counted once");
                } else {
                    t.linear(HEAD, 1, h, v, decoderBias);
                }
            }
            case SEQUENCE_CLASSIFICATION, TOKEN_CLASSIFICATION, QUESTION_ANSWERING ->
                t.linear(HEAD, 1, h, c.numLabels(), true);
            default -> {}
        }
        TransformerShape shape = Encoders.encoderShape(l, h, heads, v, inter, pos, t.matmulPerToken());
        return new HfArchitecture("modernbert", head.className("ModernBert"), t.build(), shape, 0);
    }

    /**
     * Distinct layer types (ModernBertRotaryEmbedding keeps one table pair per type): layer_types as written, else
     * every global_attn_every_n_layers-th layer (3 by default) global and the others local.
     */
    private static long layerTypes(HfConfig c, long layers) {
        List<String> types = c.strings("layer_types");
        if (!types.isEmpty()) {
            return types.stream().distinct().count();
        }
        long every = c.size(3, "global_attn_every_n_layers");
        DecoderFamilies.requirePositive(c, "global_attn_every_n_layers", every);
        boolean local = false;
        boolean global = false;
        for (long i = 0; i < layers && !(local && global); i++) {
            local |= i % every != 0;
            global |= i % every == 0;
        }
        return (local ? 1 : 0) + (global ? 1 : 0);
    }

    // configuration_mpnet.py MPNetConfig; modeling_mpnet.py MPNetModel: word and position embeddings with a LayerNorm,
    // BERT's layers (q/k/v/o), encoder.relative_attention_bias (buckets x heads), a pooler on the base model only
    static HfArchitecture mpnet(HfConfig c) {
        long v = c.size(30527, "vocab_size");
        long h = c.size(768, "hidden_size");
        long l = c.layers(12, "num_hidden_layers");
        long heads = c.size(12, "num_attention_heads");
        long inter = c.size(3072, "intermediate_size");
        long pos = c.size(512, "max_position_embeddings");
        long buckets = c.size(32, "relative_attention_num_buckets");
        ModuleTally t = new ModuleTally();
        Head head = head(
                c,
                "MPNet",
                t,
                Head.MASKED_LM,
                Head.SEQUENCE_CLASSIFICATION,
                Head.TOKEN_CLASSIFICATION,
                Head.QUESTION_ANSWERING);
        t.embedding(EMBEDDING, 1, v, h).embedding(EMBEDDING, 1, pos, h);
        t.norm(LAYER_NORM, 1, h, true);
        t.buffer(pos); // position_ids
        Encoders.bertLayers(t, l, h, inter);
        t.parameter(ATT, EMBEDDING, mul(buckets, heads)); // encoder.relative_attention_bias
        switch (head) {
            case BASE -> t.linear(HEAD, 1, h, h, true); // pooler.dense
            case MASKED_LM -> {
                t.linear(HEAD, 1, h, h, true); // lm_head.dense
                t.norm(LAYER_NORM, 1, h, true); // lm_head.layer_norm
                Encoders.maskedLmDecoder(t, c, "MPNetLMHead", v, h);
            }
            case SEQUENCE_CLASSIFICATION -> t.linear(HEAD, 1, h, h, true).linear(HEAD, 1, h, c.numLabels(), true);
            case TOKEN_CLASSIFICATION, QUESTION_ANSWERING -> t.linear(HEAD, 1, h, c.numLabels(), true);
            default -> {}
        }
        return new HfArchitecture(
                "mpnet",
                head.className("MPNet"),
                t.build(),
                Encoders.encoderShape(l, h, heads, v, inter, pos, t.matmulPerToken()),
                0);
    }
}
