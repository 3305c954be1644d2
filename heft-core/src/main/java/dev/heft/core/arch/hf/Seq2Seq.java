package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import java.util.List;
import java.util.Optional;

/**
 * Encoder-decoder families: T5, BART and Whisper. Without {@code architectures} the Auto class is the generation
 * model (AutoModelForSeq2SeqLM / AutoModelForSpeechSeq2Seq: {@code *ForConditionalGeneration}); a config naming the
 * bare {@code *Model} gets no lm_head. The shared token embedding is reachable under several names
 * ({@code shared}, {@code encoder.embed_tokens}, {@code decoder.embed_tokens}, a tied {@code lm_head}): counted once
 * in parameters, once per name in parameters-counting-tied-twice.
 */
final class Seq2Seq {
    private Seq2Seq() {}

    private static final LayerKind ATT = LayerKind.ATTENTION;
    private static final LayerKind MLP = LayerKind.MLP;

    /** Which model {@code architectures} asks for. */
    enum Head {
        /** {@code *ForConditionalGeneration}: encoder, decoder and lm_head (also the Auto class without architectures). */
        GENERATION,
        /** The bare {@code *Model}: encoder and decoder. */
        BASE,
        /** {@code *ForCausalLM}: the decoder alone (with its cross-attention blocks) and an lm_head. */
        CAUSAL_LM;

        /** Other heads (sequence classification, the encoder alone) are not modelled: the bare model is counted, with a note. */
        static Head of(HfConfig c, String prefix, ModuleTally t) {
            List<String> archs = c.strings("architectures");
            if (archs.isEmpty()) {
                return GENERATION;
            }
            String a = archs.get(0);
            if (a.endsWith("ForConditionalGeneration") || a.endsWith("WithLMHeadModel") || a.equals("MarianMTModel")) {
                return GENERATION;
            }
            if (a.equals(prefix + "ForCausalLM")) {
                return CAUSAL_LM;
            }
            if (!a.equals(prefix + "Model")) {
                t.note("architectures names " + a + ", a head heft does not model: counting " + prefix + "Model");
            }
            return BASE;
        }
    }

    private static void lmHead(ModuleTally t, boolean tie, long v, long d, String tiedTo) {
        if (tie) {
            t.tiedHead(v, d);
            t.note(tiedTo + " (tie_word_embeddings): counted once");
        } else {
            t.linear(LayerKind.HEAD, 1, d, v, false);
        }
    }

    private static TransformerShape shape(
            long enc, long dec, long d, long heads, long headDim, long vocab, long ffn, long maxPos, long matmul) {
        // a *ForCausalLM (enc 0) runs its decoder alone: its cross-attention blocks see no encoder states
        return new TransformerShape(
                dec,
                d,
                heads,
                heads,
                headDim,
                headDim,
                vocab,
                ffn,
                maxPos,
                DecoderFamilies.full(dec),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                enc == 0 ? Optional.empty() : Optional.of(new TransformerShape.EncoderDecoder(enc, dec, true)),
                matmul);
    }

    // configuration_t5.py T5Config; modeling_t5.py T5ForConditionalGeneration
    static HfArchitecture t5(HfConfig c) {
        return t5Like(c, "t5", "T5", 32128, 2048, 6, 8, "relu", false);
    }

    // configuration_mt5.py MT5Config: T5 v1.1 layout (gated-gelu) with a 250k vocabulary, MT5* classes
    static HfArchitecture mt5(HfConfig c) {
        return t5Like(c, "mt5", "MT5", 250112, 1024, 8, 6, "gated-gelu", false);
    }

    // configuration_umt5.py UMT5Config; modeling_umt5.py: every block owns its relative_attention_bias
    static HfArchitecture umt5(HfConfig c) {
        return t5Like(c, "umt5", "UMT5", 250112, 1024, 8, 6, "gated-gelu", true);
    }

    private static HfArchitecture t5Like(
            HfConfig c,
            String type,
            String prefix,
            long vocab,
            long ffDefault,
            long layersDefault,
            long headsDefault,
            String projDefault,
            boolean biasEveryLayer) {
        long v = c.size(vocab, "vocab_size");
        long d = c.size(512, "d_model", "hidden_size");
        long dkv = c.size(64, "d_kv");
        long ff = c.size(ffDefault, "d_ff");
        long enc = c.layers(layersDefault, "num_layers", "num_hidden_layers");
        long dec = c.layers(enc, "num_decoder_layers");
        long heads = c.size(headsDefault, "num_heads", "num_attention_heads");
        long buckets = c.size(32, "relative_attention_num_buckets");
        String proj = c.text(projDefault, "feed_forward_proj");
        boolean gated = proj.startsWith("gated-");
        boolean tie = c.flag(true, "tie_word_embeddings");
        long inner = mul(heads, dkv);
        ModuleTally t = new ModuleTally();
        boolean lmHead = Head.of(c, prefix, t) != Head.BASE; // the T5 family has no ForCausalLM
        t.embedding(ModuleTally.EMBEDDING, 1, v, d); // shared
        t.alias(mul(2, mul(v, d))); // encoder.embed_tokens and decoder.embed_tokens are `shared`
        // self-attention q/k/v (d -> heads*d_kv) and o (heads*d_kv -> d), no biases, in every block of both stacks
        long selfAttn = enc + dec;
        t.linear(ATT, mul(selfAttn, 3), d, inner, false).linear(ATT, selfAttn, inner, d, false);
        t.linear(ATT, mul(dec, 3), d, inner, false).linear(ATT, dec, inner, d, false); // decoder EncDecAttention
        // relative_attention_bias: Embedding(num_buckets, heads) in the first block of each stack (UMT5: every block)
        t.parameter(ATT, ModuleTally.EMBEDDING, mul(biasEveryLayer ? enc + dec : 2, mul(buckets, heads)));
        long ffLayers = enc + dec;
        if (gated) {
            t.linear(MLP, mul(ffLayers, 2), d, ff, false); // wi_0, wi_1
        } else {
            t.linear(MLP, ffLayers, d, ff, false); // wi
        }
        t.linear(MLP, ffLayers, ff, d, false); // wo
        // T5LayerNorm: 2 per encoder block, 3 per decoder block, one final per stack
        t.norm(prefix + "LayerNorm", mul(enc, 2) + mul(dec, 3) + 2, d, false);
        String cls = prefix + "Model";
        if (lmHead) {
            cls = prefix + "ForConditionalGeneration";
            lmHead(t, tie, v, d, "lm_head is tied to the shared embedding");
        }
        return new HfArchitecture(
                type,
                cls,
                t.build(),
                shape(enc, dec, d, heads, dkv, v, ff, c.size(512, "n_positions"), t.matmulPerToken()),
                0);
    }

    /** Four d x d projections with biases (BART: k/v/q/out) {@code times} over. */
    private static void biasedAttention(ModuleTally t, long times, long d) {
        t.linear(ATT, mul(times, 4), d, d, true);
    }

    /** How a position is embedded in a BART-family stack (modeling_*.py *PositionalEmbedding). */
    enum Positions {
        /** nn.Embedding(max_position_embeddings + 2, d): BART and mBART offset positions by 2. */
        LEARNED_OFFSET_2,
        /** A frozen sinusoidal nn.Embedding(max_position_embeddings, d): still a parameter (Pegasus, Marian). */
        SINUSOIDAL_PARAMETER,
        /** A sinusoidal table (max_position_embeddings + 2, d) registered as a buffer (M2M-100, NLLB). */
        SINUSOIDAL_BUFFER
    }

    /**
     * The BART family: one module layout (biased q/k/v/out attention, fc1/fc2, post- or pre-LayerNorms, a shared
     * token table tied to the encoder, the decoder and the lm_head), differing only in these facts. Defaults are each
     * family's configuration_*.py.
     */
    enum BartStyle {
        BART(
                "bart",
                "Bart",
                50265,
                "BartScaledWordEmbedding",
                Positions.LEARNED_OFFSET_2,
                "BartLearnedPositionalEmbedding",
                true,
                false,
                true),
        MBART(
                "mbart",
                "MBart",
                50265,
                "MBartScaledWordEmbedding",
                Positions.LEARNED_OFFSET_2,
                "MBartLearnedPositionalEmbedding",
                true,
                true,
                true),
        PEGASUS(
                "pegasus",
                "Pegasus",
                50265,
                ModuleTally.EMBEDDING,
                Positions.SINUSOIDAL_PARAMETER,
                "PegasusSinusoidalPositionalEmbedding",
                false,
                true,
                true),
        MARIAN(
                "marian",
                "Marian",
                58101,
                ModuleTally.EMBEDDING,
                Positions.SINUSOIDAL_PARAMETER,
                "MarianSinusoidalPositionalEmbedding",
                false,
                false,
                true),
        M2M_100(
                "m2m_100",
                "M2M100",
                128112,
                "M2M100ScaledWordEmbedding",
                Positions.SINUSOIDAL_BUFFER,
                null,
                false,
                true,
                false),
        // configuration_nllb_moe.py NllbMoeConfig; modeling_nllb_moe.py: M2M-100's layout in which every
        // encoder_sparse_step-th encoder layer and decoder_sparse_step-th decoder layer routes to num_experts
        // NllbMoeDenseActDense experts (fc1/fc2 Linears with biases) through a top-2 router Linear
        NLLB_MOE(
                "nllb-moe",
                "NllbMoe",
                128112,
                "NllbMoeScaledWordEmbedding",
                Positions.SINUSOIDAL_BUFFER,
                null,
                false,
                true,
                false);

        final String type;
        final String prefix;
        final long vocab;
        final String embeddingClass;
        final Positions positions;
        final String positionClass;
        /** layernorm_embedding after the embeddings of each stack. */
        final boolean layernormEmbedding;
        /** a final layer_norm closing each stack (pre-norm families). */
        final boolean finalNorm;
        /** the generation model's final_logits_bias buffer (1, vocab). */
        final boolean finalLogitsBias;

        BartStyle(
                String type,
                String prefix,
                long vocab,
                String embeddingClass,
                Positions positions,
                String positionClass,
                boolean layernormEmbedding,
                boolean finalNorm,
                boolean finalLogitsBias) {
            this.type = type;
            this.prefix = prefix;
            this.vocab = vocab;
            this.embeddingClass = embeddingClass;
            this.positions = positions;
            this.positionClass = positionClass;
            this.layernormEmbedding = layernormEmbedding;
            this.finalNorm = finalNorm;
            this.finalLogitsBias = finalLogitsBias;
        }

        String generationClass() {
            return this == MARIAN ? "MarianMTModel" : prefix + "ForConditionalGeneration";
        }
    }

    // configuration_bart.py BartConfig; modeling_bart.py BartForConditionalGeneration / BartModel / BartForCausalLM
    static HfArchitecture bart(HfConfig c) {
        return bartLike(c, BartStyle.BART);
    }

    static HfArchitecture mbart(HfConfig c) {
        return bartLike(c, BartStyle.MBART);
    }

    static HfArchitecture pegasus(HfConfig c) {
        return bartLike(c, BartStyle.PEGASUS);
    }

    // modeling_marian.py: with share_encoder_decoder_embeddings=false or a decoder_vocab_size of its own the encoder
    // and decoder keep separate tables; that layout is not modelled, so such a config is approximated
    static HfArchitecture marian(HfConfig c) {
        long v = c.size(58101, "vocab_size");
        boolean shared = c.flag(true, "share_encoder_decoder_embeddings");
        if (!shared || c.size(v, "decoder_vocab_size") != v) {
            return GenericTransformer.count(c);
        }
        return bartLike(c, BartStyle.MARIAN);
    }

    static HfArchitecture m2m100(HfConfig c) {
        return bartLike(c, BartStyle.M2M_100);
    }

    static HfArchitecture nllbMoe(HfConfig c) {
        return bartLike(c, BartStyle.NLLB_MOE);
    }

    /** NLLB-MoE's sparse layers: layer i is sparse when (i + 1) is a multiple of the step (none for a step of 0). */
    private static long sparseLayers(HfConfig c, BartStyle style, long layers, String stepKey) {
        if (style != BartStyle.NLLB_MOE) {
            return 0;
        }
        long step = c.size(4, stepKey);
        return step == 0 ? 0 : layers / step;
    }

    /** A routed feed-forward block, {@code layers} over: router Linear and num_experts biased fc1/fc2 experts (top-2). */
    private static void experts(ModuleTally t, HfConfig c, long layers, long d, long ffn) {
        if (layers == 0) {
            return;
        }
        long experts = c.size(128, "num_experts");
        t.linear(LayerKind.ROUTER, layers, d, experts, c.flag(false, "router_bias"));
        long perExpert = mul(2, mul(d, ffn));
        t.experts(
                ModuleTally.LINEAR,
                mul(layers, mul(experts, perExpert)),
                mul(layers, mul(Math.min(2, experts), perExpert)));
        t.biasParameter(LayerKind.EXPERTS, ModuleTally.LINEAR, mul(layers, mul(experts, ffn + d)));
    }

    private static HfArchitecture bartLike(HfConfig c, BartStyle style) {
        long v = c.size(style.vocab, "vocab_size");
        long d = c.size(1024, "d_model", "hidden_size");
        long enc = c.layers(12, "encoder_layers", "num_hidden_layers");
        long dec = c.layers(12, "decoder_layers");
        long encFfn = c.size(4096, "encoder_ffn_dim");
        long decFfn = c.size(4096, "decoder_ffn_dim");
        long heads = c.size(16, "encoder_attention_heads", "num_attention_heads");
        long pos = c.size(1024, "max_position_embeddings");
        boolean tie = c.flag(true, "tie_word_embeddings");
        ModuleTally t = new ModuleTally();
        Head head = Head.of(c, style.prefix, t);
        long extraNormsPerStack = (style.layernormEmbedding ? 1 : 0) + (style.finalNorm ? 1 : 0);
        if (head == Head.CAUSAL_LM) {
            // *ForCausalLM: model.decoder (embed_tokens, embed_positions, layers with encoder_attn, norms) and lm_head
            t.embedding(style.embeddingClass, 1, v, d);
            positions(t, style, 1, pos, d);
            biasedAttention(t, mul(dec, 2), d);
            t.linear(MLP, dec, d, decFfn, true).linear(MLP, dec, decFfn, d, true);
            t.norm(LAYER_NORM, mul(dec, 3) + extraNormsPerStack, d, true);
            lmHead(t, tie, v, d, "lm_head is tied to model.decoder.embed_tokens");
            return new HfArchitecture(
                    style.type,
                    style.prefix + "ForCausalLM",
                    t.build(),
                    shape(0, dec, d, heads, d / Math.max(1, heads), v, decFfn, pos, t.matmulPerToken()),
                    0);
        }
        // shared (embed_scale is a float, not a buffer); encoder.embed_tokens and decoder.embed_tokens are `shared`
        // when tie_word_embeddings, separate tables of the same size otherwise
        t.embedding(style.embeddingClass, tie ? 1 : 3, v, d);
        if (tie) {
            t.alias(mul(2, mul(v, d)));
        } else {
            t.note("tie_word_embeddings=false: shared, encoder.embed_tokens and decoder.embed_tokens are three "
                    + "separate tables");
        }
        positions(t, style, 2, pos, d);
        long encSparse = sparseLayers(c, style, enc, "encoder_sparse_step");
        long decSparse = sparseLayers(c, style, dec, "decoder_sparse_step");
        biasedAttention(t, enc, d);
        t.linear(MLP, enc - encSparse, d, encFfn, true).linear(MLP, enc - encSparse, encFfn, d, true);
        experts(t, c, encSparse, d, encFfn);
        biasedAttention(t, mul(dec, 2), d); // self_attn and encoder_attn
        t.linear(MLP, dec - decSparse, d, decFfn, true).linear(MLP, dec - decSparse, decFfn, d, true);
        experts(t, c, decSparse, d, decFfn);
        // LayerNorms: 2 per encoder layer, 3 per decoder layer, and the stack-level ones in each stack
        t.norm(LAYER_NORM, mul(enc, 2) + mul(dec, 3) + mul(2, extraNormsPerStack), d, true);
        String cls = style.prefix + "Model";
        if (head == Head.GENERATION) {
            cls = style.generationClass();
            lmHead(t, tie, v, d, "lm_head is tied to the shared embedding");
            if (style.finalLogitsBias) {
                t.buffer(v); // final_logits_bias (1, vocab_size)
            }
        }
        return new HfArchitecture(
                style.type,
                cls,
                t.build(),
                shape(enc, dec, d, heads, d / Math.max(1, heads), v, decFfn, pos, t.matmulPerToken()),
                0);
    }

    private static void positions(ModuleTally t, BartStyle style, long stacks, long pos, long d) {
        switch (style.positions) {
            case LEARNED_OFFSET_2 -> t.embedding(style.positionClass, stacks, pos + 2, d);
            case SINUSOIDAL_PARAMETER -> {
                t.embedding(style.positionClass, stacks, pos, d);
                t.note(
                        "embed_positions are frozen sinusoidal tables stored as parameters (requires_grad=False): counted");
            }
            case SINUSOIDAL_BUFFER -> t.buffer(mul(stacks, mul(pos + 2, d))); // the `weights` buffer, offset 2
        }
    }

    // configuration_whisper.py WhisperConfig; modeling_whisper.py WhisperForConditionalGeneration
    static HfArchitecture whisper(HfConfig c) {
        long v = c.size(51865, "vocab_size");
        long mels = c.size(80, "num_mel_bins");
        long d = c.size(384, "d_model");
        long enc = c.layers(4, "encoder_layers");
        long dec = c.layers(4, "decoder_layers");
        long encFfn = c.size(1536, "encoder_ffn_dim");
        long decFfn = c.size(1536, "decoder_ffn_dim");
        long heads = c.size(6, "decoder_attention_heads");
        long src = c.size(1500, "max_source_positions");
        long tgt = c.size(448, "max_target_positions");
        boolean tie = c.flag(true, "tie_word_embeddings");
        ModuleTally t = new ModuleTally();
        Head head = Head.of(c, "Whisper", t);
        if (head == Head.CAUSAL_LM) {
            // WhisperForCausalLM: model.decoder (embed_tokens, embed_positions, layers with encoder_attn, layer_norm)
            t.embedding(ModuleTally.EMBEDDING, 1, v, d);
            t.embedding("WhisperPositionalEmbedding", 1, tgt, d);
            long blocks = mul(dec, 2);
            t.linear(ATT, mul(blocks, 3), d, d, true).linear(ATT, blocks, d, d, false);
            t.linear(MLP, dec, d, decFfn, true).linear(MLP, dec, decFfn, d, true);
            t.norm(LAYER_NORM, mul(dec, 3) + 1, d, true);
            lmHead(t, tie, v, d, "proj_out is tied to model.decoder.embed_tokens");
            return new HfArchitecture(
                    "whisper",
                    "WhisperForCausalLM",
                    t.build(),
                    shape(0, dec, d, heads, d / Math.max(1, heads), v, decFfn, tgt, t.matmulPerToken()),
                    0);
        }
        boolean lmHead = head == Head.GENERATION;
        // conv1 Conv1d(mels, d, 3) and conv2 Conv1d(d, d, 3, stride 2), both with bias; they run per audio frame
        t.conv("Conv1d", 1, mul(mels, mul(d, 3)), d, 0).conv("Conv1d", 1, mul(d, mul(d, 3)), d, 0);
        // encoder.embed_positions is an nn.Embedding (sinusoidal, requires_grad=False): still a parameter
        t.embedding(ModuleTally.EMBEDDING, 1, src, d);
        t.note(
                "encoder.embed_positions is a frozen sinusoidal nn.Embedding: a parameter (requires_grad=False), counted");
        t.embedding(ModuleTally.EMBEDDING, 1, v, d); // decoder.embed_tokens
        t.embedding("WhisperPositionalEmbedding", 1, tgt, d);
        // attention: q/v/out with bias, k_proj without
        long attnBlocks = enc + mul(dec, 2);
        t.linear(ATT, mul(attnBlocks, 3), d, d, true).linear(ATT, attnBlocks, d, d, false);
        t.linear(MLP, enc, d, encFfn, true).linear(MLP, enc, encFfn, d, true);
        t.linear(MLP, dec, d, decFfn, true).linear(MLP, dec, decFfn, d, true);
        t.norm(LAYER_NORM, mul(enc, 2) + mul(dec, 3) + 2, d, true);
        String cls = "WhisperModel";
        if (lmHead) {
            cls = "WhisperForConditionalGeneration";
            lmHead(t, tie, v, d, "proj_out is tied to decoder.embed_tokens");
        }
        return new HfArchitecture(
                "whisper",
                cls,
                t.build(),
                shape(enc, dec, d, heads, d / Math.max(1, heads), v, decFfn, tgt, t.matmulPerToken()),
                0);
    }
}
