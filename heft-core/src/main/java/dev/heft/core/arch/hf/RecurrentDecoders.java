package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.classify.LayerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decoders whose token mixing is a recurrence rather than (only) attention, each as its transformers 5.18 modeling file
 * builds it: RecurrentGemma (Griffin: RG-LRU recurrent blocks and local attention in a repeating block_types pattern)
 * and RWKV (time-mixing and channel-mixing blocks). Tested against transformers' own counts.
 */
final class RecurrentDecoders {
    private RecurrentDecoders() {}

    // configuration_recurrent_gemma.py RecurrentGemmaConfig (head_dim = hidden / heads, lru_width = hidden by
    // default, layers follow block_types repeated); modeling_recurrent_gemma.py: per layer temporal_pre_norm and
    // channel_pre_norm, a recurrent block (biased linear_y, linear_x, linear_out, a depthwise conv_1d and the RG-LRU's
    // own gates) or local attention (o_proj always biased, its own rotary table), and a biased gated MLP of
    // intermediate_size / 2; the model registers a normalizer buffer
    static HfArchitecture recurrentGemma(HfConfig c) {
        long v = c.size(256000, "vocab_size");
        long h = c.size(2560, "hidden_size");
        long l = c.layers(26, "num_hidden_layers");
        long heads = c.size(10, "num_attention_heads");
        DecoderFamilies.requirePositive(c, "num_attention_heads", heads);
        long kvHeads = c.optionalSize("num_key_value_heads").orElse(heads);
        long lru = c.optionalSize("lru_width").orElse(h);
        long inter = c.size(3 * 2560, "intermediate_size") / 2;
        long kernel = c.size(4, "conv1d_width");
        long window = c.size(2048, "attention_window_size", "sliding_window");
        long headDim = h / heads;
        boolean attentionBias = c.flag(false, "attention_bias");
        boolean tie = c.flag(true, "tie_word_embeddings");
        List<String> pattern = c.strings("block_types");
        if (pattern.isEmpty()) {
            pattern = List.of("recurrent", "recurrent", "attention");
        }
        long attentionLayers = 0;
        List<AttentionLayer> attention = new ArrayList<>();
        for (int i = 0; i < DecoderFamilies.checkedLayers(c, l); i++) {
            String type = pattern.get(i % pattern.size());
            switch (type) {
                case "attention" -> {
                    attentionLayers++;
                    attention.add(AttentionLayer.sliding(window));
                }
                case "recurrent" -> attention.add(AttentionLayer.NONE);
                default ->
                    throw c.invalid("block_types", "entries must be 'recurrent' or 'attention', found '" + type + "'");
            }
        }
        long recurrentLayers = l - attentionLayers;

        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.buffer(1); // normalizer: hidden_size ** 0.5
        t.norm("RecurrentGemmaRMSNorm", mul(l, 2), h, false);
        LayerKind ssm = LayerKind.SSM;
        t.linear(ssm, mul(recurrentLayers, 2), h, lru, true).linear(ssm, recurrentLayers, lru, h, true);
        t.conv("Conv1d", recurrentLayers, mul(lru, kernel), lru, 0);
        long block = lru / heads;
        long rglru = lru + mul(2, mul(heads, mul(block, block) + block));
        t.parameter(ssm, "RecurrentGemmaRglru", mul(recurrentLayers, rglru));
        LayerKind att = LayerKind.ATTENTION;
        t.linear(att, attentionLayers, h, mul(heads, headDim), attentionBias);
        t.linear(att, mul(attentionLayers, 2), h, mul(kvHeads, headDim), attentionBias);
        t.linear(att, attentionLayers, mul(heads, headDim), h, true);
        t.buffer(mul(attentionLayers, ModuleTally.rotaryBuffers(DecoderFamilies.rotaryDim(c, headDim, 0.5))));
        t.linear(LayerKind.MLP, mul(l, 2), h, inter, true).linear(LayerKind.MLP, l, inter, h, true);
        t.norm("RecurrentGemmaRMSNorm", 1, h, false); // final_norm
        head(t, tie, v, h);
        TransformerShape shape = new TransformerShape(
                l,
                h,
                heads,
                kvHeads,
                headDim,
                headDim,
                v,
                inter,
                window,
                attention,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                t.matmulPerToken());
        return new HfArchitecture("recurrent_gemma", "RecurrentGemmaForCausalLM", t.build(), shape, 0);
    }

    // configuration_rwkv.py RwkvConfig (attention_hidden_size = hidden, intermediate_size = 4 x hidden by default);
    // modeling_rwkv.py: pre_ln on the first block, ln1 and ln2 on every block, time mixing (time_decay, time_first of
    // the attention width and three time_mix vectors owned by RwkvSelfAttention, bias-free key/value/receptance/output)
    // and channel mixing (two time_mix vectors, key, receptance, value), ln_out and the head
    static HfArchitecture rwkv(HfConfig c) {
        long v = c.size(50277, "vocab_size");
        long h = c.size(4096, "hidden_size");
        long l = c.layers(32, "num_hidden_layers");
        long a = c.optionalSize("attention_hidden_size").orElse(h);
        long inter = c.optionalSize("intermediate_size").orElse(mul(4, h));
        boolean tie = c.flag(false, "tie_word_embeddings");
        ModuleTally t = new ModuleTally();
        LayerKind ssm = LayerKind.SSM;
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.norm(LAYER_NORM, Math.min(l, 1) + mul(l, 2), h, true); // pre_ln (block 0), ln1, ln2
        t.parameter(ssm, "RwkvSelfAttention", mul(l, mul(2, a) + mul(3, h)));
        t.linear(ssm, mul(l, 3), h, a, false).linear(ssm, l, a, h, false);
        t.parameter(LayerKind.MLP, "RwkvFeedForward", mul(l, mul(2, h)));
        t.linear(LayerKind.MLP, l, h, inter, false)
                .linear(LayerKind.MLP, l, h, h, false)
                .linear(LayerKind.MLP, l, inter, h, false);
        t.norm(LAYER_NORM, 1, h, true); // ln_out
        head(t, tie, v, h);
        List<AttentionLayer> none = new ArrayList<>();
        for (int i = 0; i < DecoderFamilies.checkedLayers(c, l); i++) {
            none.add(AttentionLayer.NONE);
        }
        TransformerShape shape = new TransformerShape(
                l,
                h,
                0,
                0,
                0,
                0,
                v,
                inter,
                c.size(1024, "context_length"),
                none,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                t.matmulPerToken());
        return new HfArchitecture("rwkv", "RwkvForCausalLM", t.build(), shape, 0);
    }

    private static void head(ModuleTally t, boolean tied, long vocab, long hidden) {
        if (tied) {
            t.tiedHead(vocab, hidden);
            t.note("lm_head is tied to the token embedding (tie_word_embeddings): counted once");
        } else {
            t.linear(LayerKind.HEAD, 1, hidden, vocab, false);
        }
    }
}
