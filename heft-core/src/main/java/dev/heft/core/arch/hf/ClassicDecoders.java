package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import java.util.Optional;

/**
 * Decoders that predate the Llama layout, each with its own module names, LayerNorms with biases and fused or
 * parallel blocks: GPT-2, GPT-NeoX (Pythia), GPT-J, OPT, Falcon, BLOOM, Phi (1/1.5/2). Each method mirrors the
 * family's {@code modeling_*.py} constructor and {@code configuration_*.py} defaults in transformers 5.
 */
final class ClassicDecoders {
    private ClassicDecoders() {}

    private static final LayerKind ATT = LayerKind.ATTENTION;
    private static final LayerKind MLP = LayerKind.MLP;

    static TransformerShape denseShape(
            long layers,
            long hidden,
            long heads,
            long kvHeads,
            long headDim,
            long vocab,
            long inter,
            long maxPos,
            long matmul) {
        return new TransformerShape(
                layers,
                hidden,
                heads,
                kvHeads,
                headDim,
                headDim,
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

    private static void head(ModuleTally t, boolean tied, long vocab, long hidden, boolean bias) {
        if (tied) {
            t.tiedHead(vocab, hidden);
            t.note("lm_head is tied to the token embedding (tie_word_embeddings): counted once");
            if (bias) {
                // only the weight is tied: GPT-J's and Phi's lm_head.bias stays a parameter of its own
                t.biasParameter(LayerKind.HEAD, ModuleTally.LINEAR, vocab);
            }
        } else {
            t.linear(LayerKind.HEAD, 1, hidden, vocab, bias);
        }
    }

    // configuration_gpt2.py GPT2Config; modeling_gpt2.py GPT2LMHeadModel (Conv1D weights are (in, out))
    static HfArchitecture gpt2(HfConfig c) {
        long v = c.size(50257, "vocab_size");
        long pos = c.size(1024, "n_positions", "max_position_embeddings");
        long h = c.size(768, "n_embd", "hidden_size");
        long l = c.layers(12, "n_layer", "num_hidden_layers");
        long heads = c.size(12, "n_head", "num_attention_heads");
        DecoderFamilies.requirePositive(c, "n_head", heads);
        long inner = c.size(4 * h, "n_inner");
        boolean cross = c.flag(false, "add_cross_attention");
        boolean tie = c.flag(true, "tie_word_embeddings");
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h).embedding(ModuleTally.EMBEDDING, 1, pos, h);
        t.norm(LAYER_NORM, mul(l, 2), h, true);
        t.linear(ATT, "Conv1D", l, h, 3 * h, true).linear(ATT, "Conv1D", l, h, h, true);
        if (cross) {
            // crossattention: c_attn Conv1D(2H) over the encoder states, q_attn Conv1D(H), c_proj; ln_cross_attn
            t.linear(ATT, "Conv1D", l, h, 2 * h, true)
                    .linear(ATT, "Conv1D", l, h, h, true)
                    .linear(ATT, "Conv1D", l, h, h, true);
            t.norm(LAYER_NORM, l, h, true);
        }
        t.linear(MLP, "Conv1D", l, h, inner, true).linear(MLP, "Conv1D", l, inner, h, true);
        t.norm(LAYER_NORM, 1, h, true);
        head(t, tie, v, h, false);
        return new HfArchitecture(
                "gpt2",
                "GPT2LMHeadModel",
                t.build(),
                denseShape(l, h, heads, heads, h / heads, v, inner, pos, t.matmulPerToken()),
                0);
    }

    // configuration_gpt_neox.py GPTNeoXConfig; modeling_gpt_neox.py GPTNeoXForCausalLM
    static HfArchitecture gptNeox(HfConfig c) {
        long v = c.size(50432, "vocab_size");
        long h = c.size(6144, "hidden_size");
        long l = c.layers(44, "num_hidden_layers");
        long heads = c.size(64, "num_attention_heads");
        DecoderFamilies.requirePositive(c, "num_attention_heads", heads);
        long inter = c.size(24576, "intermediate_size");
        long pos = c.size(2048, "max_position_embeddings");
        boolean bias = c.flag(true, "attention_bias");
        boolean tie = c.flag(false, "tie_word_embeddings");
        double pct = c.ropeNumber(c.number(0.25, "rotary_pct"), "partial_rotary_factor");
        long hd = h / heads;
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.norm(LAYER_NORM, mul(l, 2), h, true);
        t.linear(ATT, l, h, 3 * h, bias).linear(ATT, l, h, h, bias);
        t.linear(MLP, l, h, inter, true).linear(MLP, l, inter, h, true);
        t.norm(LAYER_NORM, 1, h, true);
        head(t, tie, v, h, false);
        t.buffer(ModuleTally.rotaryBuffers((long) (hd * pct)));
        return new HfArchitecture(
                "gpt_neox",
                "GPTNeoXForCausalLM",
                t.build(),
                denseShape(l, h, heads, heads, hd, v, inter, pos, t.matmulPerToken()),
                0);
    }

    // configuration_gptj.py GPTJConfig; modeling_gptj.py GPTJForCausalLM (lm_head has a bias; each attention registers
    // its sinusoidal table embed_positions (n_positions, rotary_dim or n_embd) as a non-persistent buffer)
    static HfArchitecture gptj(HfConfig c) {
        long v = c.size(50400, "vocab_size");
        long pos = c.size(2048, "n_positions", "max_position_embeddings");
        long h = c.size(4096, "n_embd", "hidden_size");
        long l = c.layers(28, "n_layer", "num_hidden_layers");
        long heads = c.size(16, "n_head", "num_attention_heads");
        DecoderFamilies.requirePositive(c, "n_head", heads);
        long inner = c.size(4 * h, "n_inner");
        boolean tie = c.flag(false, "tie_word_embeddings");
        long rotary = c.optionalSize("rotary_dim").orElse(c.mentions("rotary_dim") ? h : 64L);
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.buffer(mul(l, mul(pos, rotary)));
        t.norm(LAYER_NORM, l, h, true); // ln_1 only: attention and MLP run in parallel
        t.linear(ATT, mul(l, 4), h, h, false); // q/k/v/out_proj
        t.linear(MLP, l, h, inner, true).linear(MLP, l, inner, h, true);
        t.norm(LAYER_NORM, 1, h, true);
        head(t, tie, v, h, true);
        return new HfArchitecture(
                "gptj",
                "GPTJForCausalLM",
                t.build(),
                denseShape(l, h, heads, heads, h / heads, v, inner, pos, t.matmulPerToken()),
                0);
    }

    // configuration_opt.py OPTConfig; modeling_opt.py OPTForCausalLM (learned positions offset by 2, optional
    // projections)
    static HfArchitecture opt(HfConfig c) {
        long v = c.size(50272, "vocab_size");
        long h = c.size(768, "hidden_size");
        long l = c.layers(12, "num_hidden_layers");
        long ffn = c.size(3072, "ffn_dim");
        long heads = c.size(12, "num_attention_heads");
        DecoderFamilies.requirePositive(c, "num_attention_heads", heads);
        long pos = c.size(2048, "max_position_embeddings");
        long wep = c.size(h, "word_embed_proj_dim");
        boolean bias = c.flag(true, "enable_bias");
        boolean affine = c.flag(true, "layer_norm_elementwise_affine");
        boolean finalNorm = c.flag(true, "do_layer_norm_before") && !c.flag(false, "_remove_final_layer_norm");
        boolean tie = c.flag(true, "tie_word_embeddings");
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, wep);
        t.embedding("OPTLearnedPositionalEmbedding", 1, pos + 2, h); // OPT offsets positions by 2
        if (wep != h) {
            t.linear(MLP, 1, h, wep, false); // project_out
            t.linear(MLP, 1, wep, h, false); // project_in
        }
        if (finalNorm) {
            t.norm(LAYER_NORM, 1, h, affine);
            if (!affine) {
                t.note("layer_norm_elementwise_affine=false: OPT's LayerNorms hold no parameters");
            }
        }
        t.linear(ATT, mul(l, 4), h, h, bias);
        if (affine) {
            t.norm(LAYER_NORM, mul(l, 2), h, true);
        }
        t.linear(MLP, l, h, ffn, bias).linear(MLP, l, ffn, h, bias);
        head(t, tie, v, wep, false);
        return new HfArchitecture(
                "opt",
                "OPTForCausalLM",
                t.build(),
                denseShape(l, h, heads, heads, h / heads, v, ffn, pos, t.matmulPerToken()),
                0);
    }

    // configuration_falcon.py FalconConfig; modeling_falcon.py FalconForCausalLM
    static HfArchitecture falcon(HfConfig c) {
        long v = c.size(65024, "vocab_size");
        long h = c.size(4544, "hidden_size", "n_embed");
        long l = c.layers(32, "num_hidden_layers", "n_layer");
        long heads = c.size(71, "num_attention_heads", "n_head");
        DecoderFamilies.requirePositive(c, "num_attention_heads", heads);
        boolean newArch = c.flag(false, "new_decoder_architecture");
        boolean multiQuery = c.flag(true, "multi_query");
        boolean parallel = c.flag(true, "parallel_attn");
        boolean bias = c.flag(false, "bias");
        boolean alibi = c.flag(false, "alibi");
        boolean tie = c.flag(true, "tie_word_embeddings");
        long kvConfigured = c.size(heads, "num_kv_heads", "n_head_kv");
        long hd = h / heads;
        long ffn = c.size(4 * h, "ffn_hidden_size");
        long pos = c.size(2048, "max_position_embeddings");
        // FalconAttention: new architecture uses num_kv_heads; otherwise multi_query means one kv head
        long kv = newArch ? kvConfigured : (multiQuery ? 1 : heads);
        long qkvOut = newArch ? mul(2 * kv + heads, hd) : (multiQuery ? h + 2 * hd : 3 * h);
        long normsPerLayer;
        if (!parallel) {
            normsPerLayer = 2; // input_layernorm + post_attention_layernorm
        } else {
            long lnInParallel = c.optionalSize("num_ln_in_parallel_attn").orElse(newArch ? 2L : 1L);
            normsPerLayer = lnInParallel == 2 ? 2 : 1; // ln_attn + ln_mlp, or input_layernorm
        }
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.norm(LAYER_NORM, mul(l, normsPerLayer), h, true);
        // modeling_falcon.py: FalconLinear(nn.Linear) for query_key_value, dense, dense_h_to_4h, dense_4h_to_h
        t.linear(ATT, "FalconLinear", l, h, qkvOut, bias).linear(ATT, "FalconLinear", l, h, h, bias);
        t.linear(MLP, "FalconLinear", l, h, ffn, bias).linear(MLP, "FalconLinear", l, ffn, h, bias);
        t.norm(LAYER_NORM, 1, h, true);
        head(t, tie, v, h, false);
        // FalconModel builds rotary_emb unconditionally, so its buffers exist even when ALiBi positions are used
        t.buffer(ModuleTally.rotaryBuffers(hd));
        if (alibi) {
            t.note("ALiBi positions: no position table (the rotary buffers are built but unused)");
        }
        return new HfArchitecture(
                "falcon",
                "FalconForCausalLM",
                t.build(),
                denseShape(l, h, heads, kv, hd, v, ffn, pos, t.matmulPerToken()),
                0);
    }

    // configuration_bloom.py BloomConfig; modeling_bloom.py BloomForCausalLM (ALiBi, embedding LayerNorm)
    static HfArchitecture bloom(HfConfig c) {
        long v = c.size(250880, "vocab_size");
        long h = c.size(64, "hidden_size", "n_embed");
        long l = c.layers(2, "n_layer", "num_hidden_layers");
        long heads = c.size(8, "n_head", "num_attention_heads");
        DecoderFamilies.requirePositive(c, "n_head", heads);
        boolean tie = c.flag(true, "tie_word_embeddings");
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.norm(LAYER_NORM, 1, h, true); // word_embeddings_layernorm
        t.norm(LAYER_NORM, mul(l, 2), h, true);
        t.linear(ATT, l, h, 3 * h, true).linear(ATT, l, h, h, true);
        t.linear(MLP, l, h, 4 * h, true).linear(MLP, l, 4 * h, h, true);
        t.norm(LAYER_NORM, 1, h, true);
        head(t, tie, v, h, false);
        t.note("ALiBi positions: no position table");
        long pos = c.size(0, "seq_length", "max_position_embeddings");
        return new HfArchitecture(
                "bloom",
                "BloomForCausalLM",
                t.build(),
                denseShape(l, h, heads, heads, h / heads, v, 4 * h, pos, t.matmulPerToken()),
                0);
    }

    // configuration_phi.py PhiConfig; modeling_phi.py PhiForCausalLM (parallel block, partial rotary, biased lm_head)
    static HfArchitecture phi(HfConfig c) {
        long v = c.size(51200, "vocab_size");
        long h = c.size(2048, "hidden_size");
        long inter = c.size(8192, "intermediate_size");
        long l = c.layers(24, "num_hidden_layers");
        long heads = c.size(32, "num_attention_heads");
        DecoderFamilies.requirePositive(c, "num_attention_heads", heads);
        long kv = c.size(heads, "num_key_value_heads");
        long pos = c.size(2048, "max_position_embeddings");
        boolean qkNorm = c.flag(false, "qk_layernorm");
        boolean tie = c.flag(false, "tie_word_embeddings");
        double factor = c.ropeNumber(0.5, "partial_rotary_factor");
        long hd = h / heads;
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.norm(LAYER_NORM, l, h, true); // input_layernorm only
        t.linear(ATT, l, h, mul(heads, hd), true)
                .linear(ATT, mul(l, 2), h, mul(kv, hd), true)
                .linear(ATT, l, mul(heads, hd), h, true);
        if (qkNorm) {
            t.norm(LAYER_NORM, mul(l, 2), hd, true);
        }
        t.linear(MLP, l, h, inter, true).linear(MLP, l, inter, h, true);
        t.norm(LAYER_NORM, 1, h, true); // final_layernorm
        head(t, tie, v, h, true);
        t.buffer(ModuleTally.rotaryBuffers((long) (hd * factor)));
        return new HfArchitecture(
                "phi",
                "PhiForCausalLM",
                t.build(),
                denseShape(l, h, heads, kv, hd, v, inter, pos, t.matmulPerToken()),
                0);
    }

    // configuration_codegen.py CodeGenConfig; modeling_codegen.py CodeGenForCausalLM: GPT-J's parallel block with a
    // fused qkv_proj, biased lm_head, per-layer sinusoidal embed_positions buffers (n_positions, rotary_dim or n_embd)
    static HfArchitecture codegen(HfConfig c) {
        long v = c.size(50400, "vocab_size");
        long pos = c.size(2048, "n_positions", "max_position_embeddings");
        long h = c.size(4096, "n_embd", "hidden_size");
        long l = c.layers(28, "n_layer", "num_hidden_layers");
        long heads = c.size(16, "n_head", "num_attention_heads");
        DecoderFamilies.requirePositive(c, "n_head", heads);
        long inner = c.size(4 * h, "n_inner");
        boolean tie = c.flag(false, "tie_word_embeddings");
        long rotary = c.optionalSize("rotary_dim").orElse(c.mentions("rotary_dim") ? h : 64L);
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.buffer(mul(l, mul(pos, rotary)));
        t.norm(LAYER_NORM, l, h, true); // ln_1 only
        t.linear(ATT, l, h, 3 * h, false).linear(ATT, l, h, h, false); // qkv_proj, out_proj
        t.linear(MLP, l, h, inner, true).linear(MLP, l, inner, h, true); // fc_in, fc_out
        t.norm(LAYER_NORM, 1, h, true);
        head(t, tie, v, h, true);
        return new HfArchitecture(
                "codegen",
                "CodeGenForCausalLM",
                t.build(),
                denseShape(l, h, heads, heads, h / heads, v, inner, pos, t.matmulPerToken()),
                0);
    }

    // configuration_gpt_bigcode.py GPTBigCodeConfig; modeling_gpt_bigcode.py GPTBigCodeForCausalLM: GPT-2 with
    // nn.Linear layers and multi-query attention (c_attn H -> H + 2 x head_dim), a causal-mask buffer
    // (n_positions x n_positions) on the model
    static HfArchitecture gptBigcode(HfConfig c) {
        long v = c.size(50257, "vocab_size");
        long pos = c.size(1024, "n_positions", "max_position_embeddings");
        long h = c.size(768, "n_embd", "hidden_size");
        long l = c.layers(12, "n_layer", "num_hidden_layers");
        long heads = c.size(12, "n_head", "num_attention_heads");
        DecoderFamilies.requirePositive(c, "n_head", heads);
        long inner = c.size(4 * h, "n_inner");
        boolean multiQuery = c.flag(true, "multi_query");
        boolean tie = c.flag(true, "tie_word_embeddings");
        long hd = h / heads;
        long kv = multiQuery ? 1 : heads;
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h).embedding(ModuleTally.EMBEDDING, 1, pos, h);
        t.buffer(mul(pos, pos));
        t.norm(LAYER_NORM, mul(l, 2), h, true);
        t.linear(ATT, l, h, h + mul(2, mul(kv, hd)), true).linear(ATT, l, h, h, true);
        t.linear(MLP, l, h, inner, true).linear(MLP, l, inner, h, true);
        t.norm(LAYER_NORM, 1, h, true);
        head(t, tie, v, h, false);
        return new HfArchitecture(
                "gpt_bigcode",
                "GPTBigCodeForCausalLM",
                t.build(),
                denseShape(l, h, heads, kv, hd, v, inner, pos, t.matmulPerToken()),
                0);
    }

    // configuration_mpt.py MptConfig; modeling_mpt.py MptForCausalLM: ALiBi, bias-free LayerNorms (bias set to None),
    // Wqkv and out_proj without bias, up_proj to 4 x d_model (expansion_ratio is not read by the module), tied head
    static HfArchitecture mpt(HfConfig c) {
        long v = c.size(50368, "vocab_size");
        long h = c.size(2048, "d_model", "hidden_size");
        long l = c.layers(24, "n_layers", "num_hidden_layers");
        long heads = c.size(16, "n_heads", "num_attention_heads");
        DecoderFamilies.requirePositive(c, "n_heads", heads);
        long pos = c.size(2048, "max_seq_len", "max_position_embeddings");
        boolean tie = c.flag(true, "tie_word_embeddings");
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.norm(LAYER_NORM, mul(l, 2) + 1, h, false);
        t.linear(ATT, l, h, 3 * h, false).linear(ATT, l, h, h, false);
        t.linear(MLP, l, h, 4 * h, false).linear(MLP, l, 4 * h, h, false);
        head(t, tie, v, h, false);
        t.note("ALiBi positions: no position table");
        return new HfArchitecture(
                "mpt",
                "MptForCausalLM",
                t.build(),
                denseShape(l, h, heads, heads, h / heads, v, 4 * h, pos, t.matmulPerToken()),
                0);
    }
}
