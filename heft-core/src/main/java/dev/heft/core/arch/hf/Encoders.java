package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.EMBEDDING;
import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import java.util.List;
import java.util.Optional;

/**
 * Encoder-only families: BERT, RoBERTa, DistilBERT, ALBERT and ViT. The Auto class is the base model
 * ({@code BertModel}, with its pooler) unless {@code architectures} names a head; the heads heft knows are the
 * masked-LM head (decoder tied to the word embeddings, plus its own bias), sequence/token classification, question
 * answering and ViT's image classifier.
 */
final class Encoders {
    private Encoders() {}

    private static final LayerKind ATT = LayerKind.ATTENTION;
    private static final LayerKind MLP = LayerKind.MLP;
    private static final LayerKind HEAD = LayerKind.HEAD;

    /** Which head {@code architectures} asks for. */
    enum Head {
        BASE,
        MASKED_LM,
        /** BertLMHeadModel, RobertaForCausalLM...: the masked-LM head's modules on a decoder-configured encoder. */
        CAUSAL_LM,
        PRE_TRAINING,
        SEQUENCE_CLASSIFICATION,
        TOKEN_CLASSIFICATION,
        QUESTION_ANSWERING,
        IMAGE_CLASSIFICATION,
        /** A head heft does not model (multiple choice...): the base model is counted, with a note. */
        UNMODELLED;

        static Head of(HfConfig c, String prefix) {
            List<String> archs = c.strings("architectures");
            if (archs.isEmpty()) {
                return BASE;
            }
            String a = archs.get(0);
            if (a.equals(prefix + "Model")) {
                return BASE;
            }
            if (a.endsWith("ForPreTraining")) {
                return PRE_TRAINING;
            }
            if (a.endsWith("ForMaskedLM")) {
                return MASKED_LM;
            }
            if (a.endsWith("LMHeadModel") || a.endsWith("ForCausalLM")) {
                return CAUSAL_LM;
            }
            if (a.endsWith("ForSequenceClassification")) {
                return SEQUENCE_CLASSIFICATION;
            }
            if (a.endsWith("ForTokenClassification")) {
                return TOKEN_CLASSIFICATION;
            }
            if (a.endsWith("ForQuestionAnswering")) {
                return QUESTION_ANSWERING;
            }
            if (a.endsWith("ForImageClassification")) {
                return IMAGE_CLASSIFICATION;
            }
            return UNMODELLED;
        }

        String className(String prefix) {
            return switch (this) {
                case BASE, UNMODELLED -> prefix + "Model";
                case MASKED_LM -> prefix + "ForMaskedLM";
                // modeling_bert.py BertLMHeadModel; modeling_roberta.py RobertaForCausalLM (and its copies)
                case CAUSAL_LM -> prefix.equals("Bert") ? "BertLMHeadModel" : prefix + "ForCausalLM";
                case PRE_TRAINING -> prefix + "ForPreTraining";
                case SEQUENCE_CLASSIFICATION -> prefix + "ForSequenceClassification";
                case TOKEN_CLASSIFICATION -> prefix + "ForTokenClassification";
                case QUESTION_ANSWERING -> prefix + "ForQuestionAnswering";
                case IMAGE_CLASSIFICATION -> prefix + "ForImageClassification";
            };
        }
    }

    /** An unmodelled head counts as the base model, and the user is told. */
    static Head settle(Head head, HfConfig c, String prefix, ModuleTally t) {
        if (head != Head.UNMODELLED) {
            return head;
        }
        t.note("architectures names " + c.strings("architectures").get(0) + ", a head heft does not model: counting "
                + prefix + "Model");
        return Head.BASE;
    }

    static TransformerShape encoderShape(
            long layers, long hidden, long heads, long vocab, long inter, long maxPos, long matmul) {
        long hd = heads == 0 ? 0 : hidden / heads;
        return new TransformerShape(
                layers,
                hidden,
                heads,
                heads,
                hd,
                hd,
                vocab,
                inter,
                maxPos,
                DecoderFamilies.full(layers),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                matmul);
    }

    /** One BERT encoder layer, {@code times} over: q/k/v/out dense with biases, two LayerNorms, FFN with biases. */
    static void bertLayers(ModuleTally t, long times, long h, long inter) {
        t.linear(ATT, mul(times, 4), h, h, true);
        t.norm(LAYER_NORM, mul(times, 2), h, true);
        t.linear(MLP, times, h, inter, true).linear(MLP, times, inter, h, true);
    }

    // configuration_bert.py BertConfig; modeling_bert.py
    static HfArchitecture bert(HfConfig c) {
        return bertLike(c, "bert", "Bert", 30522, 512);
    }

    // configuration_roberta.py RobertaConfig (same modules, own defaults)
    static HfArchitecture roberta(HfConfig c) {
        return bertLike(c, "roberta", "Roberta", 30522, 512); // RobertaConfig keeps BertConfig's vocab default
    }

    // configuration_xlm_roberta.py / modeling_xlm_roberta.py: RoBERTa's modules under XLMRoberta* names
    static HfArchitecture xlmRoberta(HfConfig c) {
        return bertLike(c, "xlm-roberta", "XLMRoberta", 30522, 512);
    }

    // configuration_camembert.py / modeling_camembert.py: RoBERTa's modules under Camembert* names
    static HfArchitecture camembert(HfConfig c) {
        return bertLike(c, "camembert", "Camembert", 30522, 512);
    }

    private static HfArchitecture bertLike(HfConfig c, String type, String prefix, long vocabDefault, long posDefault) {
        long v = c.size(vocabDefault, "vocab_size");
        long h = c.size(768, "hidden_size");
        long l = c.layers(12, "num_hidden_layers");
        long heads = c.size(12, "num_attention_heads");
        long inter = c.size(3072, "intermediate_size");
        long pos = c.size(posDefault, "max_position_embeddings");
        long types = c.size(2, "type_vocab_size");
        Head head = Head.of(c, prefix);
        if (head == Head.IMAGE_CLASSIFICATION) {
            head = Head.BASE; // not a vision model: the base model is built
        }
        ModuleTally t = new ModuleTally();
        head = settle(head, c, prefix, t);
        // XLM-RoBERTa and CamemBERT register lm_head before the encoder, so a tied word table is first reached (and
        // attributed by class) through lm_head.decoder, an nn.Linear
        boolean headRegisteredFirst = (prefix.equals("XLMRoberta") || prefix.equals("Camembert"))
                && (head == Head.MASKED_LM || head == Head.CAUSAL_LM)
                && c.flag(true, "tie_word_embeddings");
        t.embedding(headRegisteredFirst ? ModuleTally.LINEAR : EMBEDDING, 1, v, h);
        t.embedding(EMBEDDING, 1, pos, h).embedding(EMBEDDING, 1, types, h);
        t.norm(LAYER_NORM, 1, h, true);
        t.buffer(mul(
                2, pos)); // embeddings.position_ids and embeddings.token_type_ids, each (1, max_position_embeddings)
        bertLayers(t, l, h, inter);
        boolean roberta = !prefix.equals("Bert"); // RoBERTa and its renamings: own LM head and classification head
        switch (head) {
            case BASE -> t.linear(HEAD, 1, h, h, true); // pooler.dense
            case MASKED_LM, CAUSAL_LM, PRE_TRAINING -> {
                if (head == Head.PRE_TRAINING) {
                    t.linear(HEAD, 1, h, h, true); // pooler
                    t.linear(HEAD, 1, h, 2, true); // cls.seq_relationship (next-sentence prediction)
                }
                // transform.dense + LayerNorm, decoder tied to word_embeddings, and the head's own bias (vocab)
                t.linear(HEAD, 1, h, h, true);
                t.norm(LAYER_NORM, 1, h, true);
                maskedLmDecoder(t, c, roberta ? prefix + "LMHead" : "BertLMPredictionHead", v, h);
            }
            case SEQUENCE_CLASSIFICATION -> {
                if (roberta) {
                    t.linear(HEAD, 1, h, h, true).linear(HEAD, 1, h, c.numLabels(), true); // RobertaClassificationHead
                } else {
                    t.linear(HEAD, 1, h, h, true).linear(HEAD, 1, h, c.numLabels(), true); // pooler + classifier
                }
            }
            case TOKEN_CLASSIFICATION -> t.linear(HEAD, 1, h, c.numLabels(), true);
            case QUESTION_ANSWERING -> t.linear(HEAD, 1, h, 2, true);
            case IMAGE_CLASSIFICATION -> throw new IllegalStateException("mapped to BASE above");
        }
        return new HfArchitecture(
                type,
                head.className(prefix),
                t.build(),
                encoderShape(l, h, heads, v, inter, pos, t.matmulPerToken()),
                0);
    }

    /**
     * An MLM decoder. Tied (the default): its weight is the word embedding and its bias the head module's own bias
     * parameter. Untied: transformers ties neither, so the decoder is a full Linear with its own bias beside the
     * head's bias (modeling_bert.py BertLMPredictionHead, _tied_weights_keys apply only with tie_word_embeddings).
     */
    static void maskedLmDecoder(ModuleTally t, HfConfig c, String headClass, long v, long dim) {
        t.biasParameter(HEAD, headClass, v);
        if (c.flag(true, "tie_word_embeddings")) {
            t.tiedHead(v, dim);
            t.alias(v); // decoder.bias is the same tensor as the head's bias
            t.note("masked-LM decoder weight is tied to the word embeddings: counted once");
        } else {
            t.linear(HEAD, 1, dim, v, true);
            t.note("tie_word_embeddings=false: the masked-LM decoder has its own weight and bias");
        }
    }

    // configuration_distilbert.py DistilBertConfig; modeling_distilbert.py DistilBertModel
    static HfArchitecture distilbert(HfConfig c) {
        long v = c.size(30522, "vocab_size");
        long pos = c.size(512, "max_position_embeddings");
        long l = c.layers(6, "n_layers", "num_hidden_layers");
        long heads = c.size(12, "n_heads", "num_attention_heads");
        long dim = c.size(768, "dim", "hidden_size");
        long hidden = c.size(3072, "hidden_dim", "intermediate_size");
        Head head = Head.of(c, "DistilBert");
        if (head == Head.IMAGE_CLASSIFICATION) {
            head = Head.BASE;
        } else if (head == Head.CAUSAL_LM) {
            head = Head.UNMODELLED; // DistilBERT has no causal-LM class
        }
        ModuleTally t = new ModuleTally();
        head = settle(head, c, "DistilBert", t);
        t.embedding(EMBEDDING, 1, v, dim).embedding(EMBEDDING, 1, pos, dim);
        t.norm(LAYER_NORM, 1, dim, true);
        t.buffer(pos); // embeddings.position_ids (1, max_position_embeddings)
        bertLayers(t, l, dim, hidden);
        switch (head) {
            case MASKED_LM, PRE_TRAINING -> {
                head = Head.MASKED_LM;
                t.linear(HEAD, 1, dim, dim, true); // vocab_transform
                t.norm(LAYER_NORM, 1, dim, true); // vocab_layer_norm
                if (c.flag(true, "tie_word_embeddings")) {
                    t.tiedHead(v, dim); // vocab_projector.weight tied to word_embeddings
                } else {
                    t.linear(HEAD, 1, dim, v, false);
                }
                t.biasParameter(HEAD, ModuleTally.LINEAR, v); // vocab_projector.bias
            }
            case SEQUENCE_CLASSIFICATION -> t.linear(HEAD, 1, dim, dim, true).linear(HEAD, 1, dim, c.numLabels(), true);
            case TOKEN_CLASSIFICATION -> t.linear(HEAD, 1, dim, c.numLabels(), true);
            case QUESTION_ANSWERING -> t.linear(HEAD, 1, dim, 2, true);
            default -> {}
        }
        return new HfArchitecture(
                "distilbert",
                head.className("DistilBert"),
                t.build(),
                encoderShape(l, dim, heads, v, hidden, pos, t.matmulPerToken()),
                0);
    }

    // configuration_albert.py AlbertConfig; modeling_albert.py AlbertModel (factorised embeddings, shared layer groups)
    static HfArchitecture albert(HfConfig c) {
        long v = c.size(30000, "vocab_size");
        long e = c.size(128, "embedding_size");
        long h = c.size(4096, "hidden_size");
        long l = c.layers(12, "num_hidden_layers");
        long groups = c.size(1, "num_hidden_groups");
        long inner = c.size(1, "inner_group_num");
        long heads = c.size(64, "num_attention_heads");
        long inter = c.size(16384, "intermediate_size");
        long pos = c.size(512, "max_position_embeddings");
        long types = c.size(2, "type_vocab_size");
        Head head = Head.of(c, "Albert");
        if (head == Head.IMAGE_CLASSIFICATION) {
            head = Head.BASE; // not a vision model: the base model is built
        } else if (head == Head.CAUSAL_LM) {
            head = Head.UNMODELLED; // ALBERT has no causal-LM class
        }
        ModuleTally t = new ModuleTally();
        head = settle(head, c, "Albert", t);
        t.embedding(EMBEDDING, 1, v, e).embedding(EMBEDDING, 1, pos, e).embedding(EMBEDDING, 1, types, e);
        t.norm(LAYER_NORM, 1, e, true);
        t.buffer(mul(2, pos));
        t.linear(ATT, 1, e, h, true); // encoder.embedding_hidden_mapping_in
        long distinct = mul(groups, inner);
        // AlbertLayer: attention q/k/v/dense + LayerNorm, ffn + ffn_output, full_layer_layer_norm
        t.linear(ATT, mul(distinct, 4), h, h, true);
        t.norm(LAYER_NORM, mul(distinct, 2), h, true);
        t.linear(MLP, distinct, h, inter, true).linear(MLP, distinct, inter, h, true);
        t.note("ALBERT shares " + distinct + " distinct layer(s) across " + l + " layers: parameters counted once,"
                + " compute runs every layer");
        // the shared layers run num_hidden_layers times in total (each group is used l / groups times, inner layers
        // each)
        long perLayerMatmul = mul(4, mul(h, h)) + mul(2, mul(h, inter));
        long repeats = distinct == 0 ? 0 : mul(l, inner) - distinct;
        t.extraMatmul(mul(Math.max(0, repeats), perLayerMatmul));
        switch (head) {
            case BASE -> t.linear(HEAD, 1, h, h, true); // pooler
            case MASKED_LM, PRE_TRAINING -> {
                if (head == Head.PRE_TRAINING) {
                    t.linear(HEAD, 1, h, h, true); // pooler
                    t.linear(HEAD, 1, h, 2, true); // sop_classifier (sentence-order prediction)
                }
                // AlbertMLMHead: LayerNorm(E), bias (V), dense (H -> E), decoder (E -> V) tied to word embeddings
                t.norm(LAYER_NORM, 1, e, true);
                t.linear(HEAD, 1, h, e, true);
                maskedLmDecoder(t, c, "AlbertMLMHead", v, e);
            }
            case SEQUENCE_CLASSIFICATION -> t.linear(HEAD, 1, h, h, true).linear(HEAD, 1, h, c.numLabels(), true);
            case TOKEN_CLASSIFICATION -> t.linear(HEAD, 1, h, c.numLabels(), true);
            case QUESTION_ANSWERING -> t.linear(HEAD, 1, h, 2, true);
            case IMAGE_CLASSIFICATION -> throw new IllegalStateException("mapped to BASE above");
        }
        return new HfArchitecture(
                "albert",
                head.className("Albert"),
                t.build(),
                encoderShape(l, h, heads, v, inter, pos, t.matmulPerToken()),
                0);
    }

    // configuration_vit.py ViTConfig; modeling_vit.py ViTModel / ViTForImageClassification
    static HfArchitecture vit(HfConfig c) {
        long h = c.size(768, "hidden_size");
        long l = c.layers(12, "num_hidden_layers");
        long heads = c.size(12, "num_attention_heads");
        long inter = c.size(3072, "intermediate_size");
        long image = c.size(224, "image_size");
        long patch = c.size(16, "patch_size");
        DecoderFamilies.requirePositive(c, "patch_size", patch);
        long channels = c.size(3, "num_channels");
        boolean qkvBias = c.flag(true, "qkv_bias");
        long poolerOut = c.size(h, "pooler_output_size");
        Head head = Head.of(c, "ViT");
        long patches = mul(image / patch, image / patch);
        ModuleTally t = new ModuleTally();
        head = settle(head, c, "ViT", t);
        // ViTEmbeddings owns cls_token (1, 1, H) and position_embeddings (1, patches + 1, H)
        t.parameter(LayerKind.EMBEDDING, "ViTEmbeddings", mul(patches + 2, h));
        long convWeight = mul(h, mul(channels, mul(patch, patch)));
        t.conv("Conv2d", 1, convWeight, h, convWeight); // patch_embeddings.projection, once per patch token
        t.norm(LAYER_NORM, mul(l, 2), h, true); // layernorm_before / layernorm_after
        t.linear(ATT, mul(l, 3), h, h, qkvBias).linear(ATT, l, h, h, true);
        t.linear(MLP, l, h, inter, true).linear(MLP, l, inter, h, true);
        t.norm(LAYER_NORM, 1, h, true); // final layernorm
        if (head == Head.IMAGE_CLASSIFICATION) {
            t.linear(HEAD, 1, h, c.numLabels(), true);
        } else {
            head = Head.BASE;
            t.linear(HEAD, 1, h, poolerOut, true); // pooler.dense
        }
        return new HfArchitecture(
                "vit",
                head.className("ViT"),
                t.build(),
                encoderShape(l, h, heads, 0, inter, patches + 1, t.matmulPerToken()),
                0);
    }

    // configuration_dinov2.py Dinov2Config; modeling_dinov2.py Dinov2Model: cls_token, mask_token and
    // position_embeddings (patches + 1) owned by Dinov2Embeddings, a biased patch Conv2d, layers with q/k/v (qkv_bias),
    // a biased o_proj, two LayerNorms, two Dinov2LayerScale and an MLP (fc1/fc2 of hidden x mlp_ratio, or SwiGLU of
    // ((hidden x mlp_ratio x 2/3 + 7) / 8) x 8), a final LayerNorm; the image classifier reads cls and mean (2H)
    static HfArchitecture dinov2(HfConfig c) {
        long h = c.size(768, "hidden_size");
        long l = c.layers(12, "num_hidden_layers");
        long heads = c.size(12, "num_attention_heads");
        long image = VisionTowers.side(c, 224, "image_size");
        long patch = VisionTowers.side(c, 14, "patch_size");
        long channels = c.size(3, "num_channels");
        double ratio = c.number(4, "mlp_ratio");
        if (!(ratio > 0 && ratio < 1e6)) {
            throw c.invalid("mlp_ratio", "must be a positive number, found " + ratio);
        }
        long inter = (long) (h * ratio);
        Head head = Head.of(c, "Dinov2");
        ModuleTally t = new ModuleTally();
        head = settle(
                head == Head.IMAGE_CLASSIFICATION ? head : head == Head.BASE ? head : Head.UNMODELLED, c, "Dinov2", t);
        long patches = mul(image / patch, image / patch);
        long embeddings = mul(patches + 2, h) + (c.flag(true, "use_mask_token") ? h : 0);
        t.parameter(LayerKind.EMBEDDING, "Dinov2Embeddings", embeddings - h); // cls_token, position_embeddings
        if (c.flag(true, "use_mask_token")) {
            t.parameter(LayerKind.EMBEDDING, "Dinov2Embeddings", h); // mask_token
        }
        long conv = mul(h, mul(channels, mul(patch, patch)));
        t.conv("Conv2d", 1, conv, h, conv);
        t.linear(ATT, mul(l, 3), h, h, c.flag(true, "qkv_bias")).linear(ATT, l, h, h, true);
        t.norm(LAYER_NORM, mul(l, 2), h, true);
        t.parameter(LayerKind.OTHER, "Dinov2LayerScale", mul(l, 2 * h)); // layer_scale1, layer_scale2
        if (c.flag(false, "use_swiglu_ffn")) {
            long hidden = ((long) (inter * 2 / 3.0) + 7) / 8 * 8;
            t.linear(MLP, mul(l, 2), h, hidden, true).linear(MLP, l, hidden, h, true);
        } else {
            t.linear(MLP, l, h, inter, true).linear(MLP, l, inter, h, true);
        }
        t.norm(LAYER_NORM, 1, h, true); // layernorm
        if (head == Head.IMAGE_CLASSIFICATION) {
            long labels = c.numLabels();
            if (labels > 0) {
                t.linear(HEAD, 1, 2 * h, labels, true);
            }
        }
        return new HfArchitecture(
                "dinov2",
                head.className("Dinov2"),
                t.build(),
                encoderShape(l, h, heads, 0, inter, patches + 1, t.matmulPerToken()),
                0);
    }
}
