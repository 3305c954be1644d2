package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import java.util.List;

/**
 * Self-supervised speech encoders of the wav2vec 2.0 lineage as transformers 5.18 builds them
 * (modeling_wav2vec2.py, modeling_hubert.py, modeling_wavlm.py): a convolutional feature encoder over the waveform,
 * a feature projection, a weight-normed convolutional position embedding, a post- or pre-LayerNorm transformer
 * encoder, and the CTC or utterance-classification head {@code architectures} names. WavLM adds gated relative
 * position biases; HuBERT can replace the weight norm with a BatchNorm and drop the projection's LayerNorm.
 */
final class SpeechEncoders {
    private SpeechEncoders() {}

    private enum Family {
        WAV2VEC2("wav2vec2", "Wav2Vec2"),
        HUBERT("hubert", "Hubert"),
        WAVLM("wavlm", "WavLM");

        final String type;
        final String prefix;

        Family(String type, String prefix) {
            this.type = type;
            this.prefix = prefix;
        }
    }

    static HfArchitecture wav2vec2(HfConfig c) {
        return count(c, Family.WAV2VEC2);
    }

    static HfArchitecture hubert(HfConfig c) {
        return count(c, Family.HUBERT);
    }

    static HfArchitecture wavlm(HfConfig c) {
        return count(c, Family.WAVLM);
    }

    /** The default feature encoder of every wav2vec 2.0 configuration class: seven 512-channel convolutions. */
    private static final List<Long> CONV_DIM = List.of(512L, 512L, 512L, 512L, 512L, 512L, 512L);

    private static final List<Long> CONV_KERNEL = List.of(10L, 3L, 3L, 3L, 3L, 2L, 2L);

    private static HfArchitecture count(HfConfig c, Family f) {
        long h = c.size(768, "hidden_size");
        long l = c.layers(12, "num_hidden_layers");
        long heads = c.size(12, "num_attention_heads");
        DecoderFamilies.requirePositive(c, "num_attention_heads", heads);
        long inter = c.size(3072, "intermediate_size");
        List<Long> convDim = orDefault(c.sizes("conv_dim"), CONV_DIM);
        List<Long> kernels = orDefault(c.sizes("conv_kernel"), CONV_KERNEL);
        if (kernels.size() < convDim.size()) {
            throw c.invalid("conv_kernel", "must have an entry per conv_dim entry (" + convDim.size() + ")");
        }
        boolean adapter = c.flag(false, "add_adapter");
        long out = adapter ? c.size(h, "output_hidden_size") : h;
        Head head = Head.of(c, f);
        ModuleTally t = new ModuleTally();
        if (head == Head.UNMODELLED) {
            t.note("architectures names " + c.strings("architectures").get(0) + ", a head heft does not model: "
                    + "counting " + f.prefix + "Model");
            head = Head.BASE;
        }

        if (c.number(0.05, "mask_time_prob") > 0 || c.number(0, "mask_feature_prob") > 0) {
            t.parameter(LayerKind.EMBEDDING, f.prefix + "Model", h); // masked_spec_embed
        }
        featureEncoder(t, c, convDim, kernels);
        long last = convDim.getLast();
        if (f != Family.HUBERT || c.flag(true, "feat_proj_layer_norm")) {
            t.norm(LAYER_NORM, 1, last, true); // feature_projection.layer_norm
        }
        t.linear(LayerKind.EMBEDDING, 1, last, h, true); // feature_projection.projection
        positionalConv(t, c, f, h);
        t.norm(LAYER_NORM, 1, h, true); // encoder.layer_norm
        t.linear(LayerKind.ATTENTION, mul(l, 4), h, h, true);
        t.norm(LAYER_NORM, mul(l, 2), h, true); // layer_norm, final_layer_norm
        t.linear(LayerKind.MLP, l, h, inter, true).linear(LayerKind.MLP, l, inter, h, true);
        if (f == Family.WAVLM) {
            // every layer: gru_rel_pos_const (1, heads, 1, 1) and gru_rel_pos_linear (head_dim -> 8); layer 0 only:
            // rel_attn_embed (num_buckets x heads)
            t.parameter(LayerKind.ATTENTION, "WavLMAttention", mul(l, heads));
            t.linear(LayerKind.ATTENTION, l, h / heads, 8, true);
            if (l > 0) {
                t.parameter(LayerKind.ATTENTION, ModuleTally.EMBEDDING, mul(c.size(320, "num_buckets"), heads));
            }
        }
        if (f == Family.WAV2VEC2
                && c.flag(false, "do_stable_layer_norm")
                && c.optionalSize("adapter_attn_dim").isPresent()) {
            long dim = c.optionalSize("adapter_attn_dim").orElseThrow(); // Wav2Vec2AttnAdapterLayer per layer
            t.norm(LAYER_NORM, l, h, true);
            t.linear(LayerKind.MLP, l, h, dim, true).linear(LayerKind.MLP, l, dim, h, true);
        }
        if (adapter) {
            // Wav2Vec2Adapter: proj and proj_layer_norm when the widths differ, num_adapter_layers GLU convolutions
            if (out != h) {
                t.linear(LayerKind.MLP, 1, h, out, true);
                t.norm(LAYER_NORM, 1, out, true);
            }
            long kernel = c.size(3, "adapter_kernel_size");
            t.conv("Conv1d", c.size(3, "num_adapter_layers"), mul(mul(2, out), mul(out, kernel)), mul(2, out), 0);
        }
        switch (head) {
            case CTC -> {
                long vocab = c.size(32, "vocab_size");
                t.linear(LayerKind.HEAD, 1, out, vocab, true); // lm_head
            }
            case SEQUENCE_CLASSIFICATION -> {
                if (c.flag(false, "use_weighted_layer_sum")) {
                    t.parameter(LayerKind.HEAD, f.prefix + "ForSequenceClassification", l + 1); // layer_weights
                }
                long proj = c.size(256, "classifier_proj_size");
                t.linear(LayerKind.HEAD, 1, h, proj, true).linear(LayerKind.HEAD, 1, proj, c.numLabels(), true);
            }
            default -> {}
        }
        String modelClass = f.prefix + head.suffix;
        return new HfArchitecture(
                f.type,
                modelClass,
                t.build(),
                Encoders.encoderShape(l, h, heads, 0, inter, c.size(0, "max_source_positions"), t.matmulPerToken()),
                0);
    }

    /** SpeechT5's three models: which prenets feed the shared encoder-decoder and which postnet reads it. */
    private enum SpeechT5Task {
        SPEECH_TO_TEXT("SpeechT5ForSpeechToText", true, false),
        TEXT_TO_SPEECH("SpeechT5ForTextToSpeech", false, true),
        SPEECH_TO_SPEECH("SpeechT5ForSpeechToSpeech", true, true);

        final String modelClass;
        final boolean speechIn;
        final boolean speechOut;

        SpeechT5Task(String modelClass, boolean speechIn, boolean speechOut) {
            this.modelClass = modelClass;
            this.speechIn = speechIn;
            this.speechOut = speechOut;
        }
    }

    // configuration_speecht5.py SpeechT5Config; modeling_speecht5.py: one encoder (biased attention, post-LayerNorm
    // layers, relative position embedding pe_k over 2 x encoder_max_relative_position rows of head_dim) and decoder,
    // with the prenets and postnet of the task: speech in through wav2vec 2.0's feature encoder and a sinusoidal
    // table, text in through embed_tokens and a scaled positional encoding (alpha), text out through an lm_head tied
    // to the decoder's embed_tokens, speech out through feat_out, prob_out and BatchNorm convolutions
    static HfArchitecture speecht5(HfConfig c) {
        List<String> archs = c.strings("architectures");
        String arch = archs.isEmpty() ? "" : archs.getFirst();
        SpeechT5Task task = switch (arch) {
            case "SpeechT5ForTextToSpeech" -> SpeechT5Task.TEXT_TO_SPEECH;
            case "SpeechT5ForSpeechToSpeech" -> SpeechT5Task.SPEECH_TO_SPEECH;
            default -> SpeechT5Task.SPEECH_TO_TEXT;
        };
        long v = c.size(81, "vocab_size");
        long h = c.size(768, "hidden_size");
        long enc = c.layers(12, "encoder_layers");
        long dec = c.layers(6, "decoder_layers");
        long heads = c.size(12, "encoder_attention_heads");
        DecoderFamilies.requirePositive(c, "encoder_attention_heads", heads);
        long encFfn = c.size(3072, "encoder_ffn_dim");
        long decFfn = c.size(3072, "decoder_ffn_dim");
        long pad = c.size(1, "pad_token_id");
        long speechPositions = c.size(4000, "max_speech_positions");
        long textPositions = c.size(450, "max_text_positions");
        long mels = c.size(80, "num_mel_bins");
        ModuleTally t = new ModuleTally();
        if (!arch.isEmpty() && !arch.equals(task.modelClass)) {
            t.note("architectures names " + arch + ", a head heft does not model: counting SpeechT5ForSpeechToText");
        }
        if (task.speechIn) {
            if (c.number(0.05, "mask_time_prob") > 0 || c.number(0, "mask_feature_prob") > 0) {
                t.parameter(LayerKind.EMBEDDING, "SpeechT5SpeechEncoderPrenet", h); // masked_spec_embed
            }
            List<Long> convDim = orDefault(c.sizes("conv_dim"), CONV_DIM);
            featureEncoder(t, c, convDim, orDefault(c.sizes("conv_kernel"), CONV_KERNEL));
            t.norm(LAYER_NORM, 1, convDim.getLast(), true);
            t.linear(LayerKind.EMBEDDING, 1, convDim.getLast(), h, true);
            positionalConv(t, c, Family.WAV2VEC2, h);
            t.buffer(mul(speechPositions + pad + 1 + 2, h)); // pos_sinusoidal_embed.weights
        } else {
            t.embedding(ModuleTally.EMBEDDING, 1, v, h); // encoder prenet embed_tokens
            scaledPositions(t, textPositions, h);
        }
        // encoder: layer_norm, layers, relative positions pe_k
        t.norm(LAYER_NORM, 1 + mul(enc, 2), h, true);
        t.linear(LayerKind.ATTENTION, mul(enc, 4), h, h, true);
        t.linear(LayerKind.MLP, enc, h, encFfn, true).linear(LayerKind.MLP, enc, encFfn, h, true);
        t.embedding(ModuleTally.EMBEDDING, 1, mul(2, c.size(160, "encoder_max_relative_position")), h / heads);
        // decoder layers: self_attn and encoder_attn, three LayerNorms, feed-forward
        t.linear(LayerKind.ATTENTION, mul(dec, 8), h, h, true);
        t.norm(LAYER_NORM, mul(dec, 3), h, true);
        t.linear(LayerKind.MLP, dec, h, decFfn, true).linear(LayerKind.MLP, dec, decFfn, h, true);
        if (task.speechOut) {
            long units = c.size(256, "speech_decoder_prenet_units");
            long prenet = c.size(2, "speech_decoder_prenet_layers");
            if (prenet > 0) {
                t.linear(LayerKind.EMBEDDING, 1, mels, units, true)
                        .linear(LayerKind.EMBEDDING, prenet - 1, units, units, true);
            }
            t.linear(LayerKind.EMBEDDING, 1, units, h, true); // final_layer
            scaledPositions(t, speechPositions, h);
            t.linear(LayerKind.EMBEDDING, 1, c.size(512, "speaker_embedding_dim") + h, h, true); // speaker_embeds_layer
            long reduction = c.size(2, "reduction_factor");
            t.linear(LayerKind.HEAD, 1, h, mul(mels, reduction), true).linear(LayerKind.HEAD, 1, h, reduction, true);
            long postnet = c.size(5, "speech_decoder_postnet_layers");
            long postUnits = c.size(256, "speech_decoder_postnet_units");
            long kernel = c.size(5, "speech_decoder_postnet_kernel");
            for (long i = 0; i < postnet; i++) {
                long in = i == 0 ? mels : postUnits;
                long out = i == postnet - 1 ? mels : postUnits;
                t.conv("Conv1d", 1, mul(out, mul(in, kernel)), 0, 0);
                t.norm("BatchNorm1d", 1, out, true);
                t.buffer(2 * out + 1); // running_mean, running_var, num_batches_tracked
            }
        } else {
            t.embedding(ModuleTally.EMBEDDING, 1, v, h); // decoder prenet embed_tokens
            t.buffer(mul(textPositions + pad + 1 + 2, h)); // embed_positions.weights
            if (c.flag(true, "tie_word_embeddings")) {
                t.tiedHead(v, h);
                t.note("text_decoder_postnet.lm_head is tied to the decoder prenet's embed_tokens: counted once");
            } else {
                t.linear(LayerKind.HEAD, 1, h, v, false);
            }
        }
        TransformerShape shape = new TransformerShape(
                dec,
                h,
                heads,
                heads,
                h / heads,
                h / heads,
                v,
                decFfn,
                textPositions,
                DecoderFamilies.full(dec),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.of(new TransformerShape.EncoderDecoder(enc, dec, true)),
                t.matmulPerToken());
        return new HfArchitecture("speecht5", task.modelClass, t.build(), shape, 0);
    }

    /** SpeechT5ScaledPositionalEncoding: a (1, max_len, H) sine table buffer and its alpha parameter. */
    private static void scaledPositions(ModuleTally t, long positions, long h) {
        t.buffer(mul(positions, h));
        t.parameter(LayerKind.EMBEDDING, "SpeechT5ScaledPositionalEncoding", 1);
    }

    /** The heads {@code architectures} can name: the base model, CTC, utterance classification. */
    private enum Head {
        BASE("Model"),
        CTC("ForCTC"),
        SEQUENCE_CLASSIFICATION("ForSequenceClassification"),
        /** Pre-training, audio-frame classification, x-vector...: the base model is counted, with a note. */
        UNMODELLED("Model");

        final String suffix;

        Head(String suffix) {
            this.suffix = suffix;
        }

        static Head of(HfConfig c, Family f) {
            List<String> archs = c.strings("architectures");
            if (archs.isEmpty() || archs.getFirst().equals(f.prefix + "Model")) {
                return BASE;
            }
            String a = archs.getFirst();
            return a.endsWith("ForCTC")
                    ? CTC
                    : a.endsWith("ForSequenceClassification") ? SEQUENCE_CLASSIFICATION : UNMODELLED;
        }
    }

    /**
     * conv_layers: Conv1d(conv_dim[i-1] (1 for the first), conv_dim[i], conv_kernel[i]) with conv_bias; a GroupNorm
     * over the first layer's channels (feat_extract_norm "group") or a LayerNorm after every layer ("layer").
     */
    private static void featureEncoder(ModuleTally t, HfConfig c, List<Long> convDim, List<Long> kernels) {
        boolean bias = c.flag(false, "conv_bias");
        String norm = c.text("group", "feat_extract_norm");
        long in = 1;
        for (int i = 0; i < convDim.size(); i++) {
            long outCh = convDim.get(i);
            t.conv("Conv1d", 1, mul(outCh, mul(in, kernels.get(i))), bias ? outCh : 0, 0);
            in = outCh;
        }
        switch (norm) {
            case "group" -> t.norm("GroupNorm", 1, convDim.getFirst(), true);
            case "layer" ->
                t.norm(
                        LAYER_NORM,
                        1,
                        convDim.stream().mapToLong(Long::longValue).sum(),
                        true);
            default -> throw c.invalid("feat_extract_norm", "must be 'group' or 'layer', found '" + norm + "'");
        }
    }

    /**
     * encoder.pos_conv_embed: Conv1d(H, H, num_conv_pos_embeddings, groups) under torch's weight-norm
     * parametrization (original0 (1, 1, k) and original1 (H, H / groups, k) owned by the ParametrizationList, the bias
     * by the ParametrizedConv1d), or for HuBERT with conv_pos_batch_norm a plain Conv1d and a BatchNorm1d.
     */
    private static void positionalConv(ModuleTally t, HfConfig c, Family f, long h) {
        long k = c.size(128, "num_conv_pos_embeddings");
        long groups = c.size(16, "num_conv_pos_embedding_groups");
        DecoderFamilies.requirePositive(c, "num_conv_pos_embedding_groups", groups);
        long weight = mul(h, mul(h / groups, k));
        if (f == Family.HUBERT && c.flag(false, "conv_pos_batch_norm")) {
            t.conv("Conv1d", 1, weight, h, 0);
            t.norm("BatchNorm1d", 1, h, true);
            t.buffer(2 * h + 1); // running_mean, running_var, num_batches_tracked
            return;
        }
        t.parameter(LayerKind.CONV, "ParametrizationList", Math.addExact(weight, k));
        t.biasParameter(LayerKind.CONV, "ParametrizedConv1d", h);
    }

    private static List<Long> orDefault(List<Long> given, List<Long> fallback) {
        return given.isEmpty() ? fallback : given;
    }
}
