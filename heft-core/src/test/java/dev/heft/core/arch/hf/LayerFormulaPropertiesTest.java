package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.classify.LayerKind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random configurations against closed forms written out independently here, one per family layout (never against
 * numbers heft printed). Each formula is the module list of the family's modeling_*.py added by hand.
 */
class LayerFormulaPropertiesTest {

    @Property(tries = 300)
    void llamaLayerClosedForm(
            @ForAll @IntRange(min = 1, max = 64) int heads,
            @ForAll @IntRange(min = 1, max = 8) int kvDivisorIndex,
            @ForAll @IntRange(min = 4, max = 128) int halfHeadDim,
            @ForAll @IntRange(min = 8, max = 8192) int hidden,
            @ForAll @IntRange(min = 1, max = 30000) int inter,
            @ForAll @IntRange(min = 1, max = 128) int layers,
            @ForAll @IntRange(min = 1, max = 300000) int vocab,
            @ForAll boolean tie,
            @ForAll boolean attentionBias,
            @ForAll boolean mlpBias,
            @ForAll @IntRange(min = 1, max = 100000) int context) {
        long kvHeads = Math.max(1, heads / kvDivisorIndex);
        while (heads % kvHeads != 0) {
            kvHeads--;
        }
        long hd = 2L * halfHeadDim;
        long h = hidden;
        long q = heads * hd;
        long kv = kvHeads * hd;
        long matmulLayer = h * q + 2 * h * kv + q * h + 3 * h * inter;
        long layer = 2 * h + matmulLayer + (attentionBias ? q + 2 * kv + h : 0) + (mlpBias ? 2L * inter + h : 0);
        long params = (long) vocab * h + layers * layer + h + (tie ? 0 : (long) vocab * h);

        HfArchitecture a = Configs.of("llama")
                .put("hidden_size", hidden)
                .put("num_attention_heads", heads)
                .put("num_key_value_heads", kvHeads)
                .put("head_dim", hd)
                .put("intermediate_size", inter)
                .put("num_hidden_layers", layers)
                .put("vocab_size", vocab)
                .put("tie_word_embeddings", tie)
                .put("attention_bias", attentionBias)
                .put("mlp_bias", mlpBias)
                .count();
        ArchitectureCounts c = a.counts();
        assertThat(c.parameters()).isEqualTo(params);
        assertThat(c.parametersCountingTiedTwice()).isEqualTo(params + (tie ? (long) vocab * h : 0));
        assertThat(c.buffers()).isEqualTo(hd); // inv_freq + original_inv_freq, hd/2 each
        assertThat(c.byKind().get(LayerKind.EMBEDDING)).isEqualTo((long) vocab * h);
        assertThat(c.byKind().get(LayerKind.NORM)).isEqualTo(layers * 2 * h + h);

        long matmul = layers * matmulLayer + (long) vocab * h; // lm_head multiplies even when tied
        TransformerShape.FlopsPerToken f = a.shape().flopsPerToken(context);
        assertThat(f.weightFlops()).isEqualTo(2 * matmul);
        assertThat(f.attentionFlops()).isEqualTo(layers * 2L * heads * (2 * hd) * context);
    }

    @Property(tries = 200)
    void fullAndMinimalLlamaConfigsAgree(
            @ForAll @IntRange(min = 1, max = 4) int pick,
            @ForAll @IntRange(min = 1, max = 40) int layers,
            @ForAll boolean tie) {
        // LlamaConfig defaults written out: a config listing them explicitly equals one that omits them
        long hidden = pick == 1 ? 4096 : 1024L * pick;
        Configs full = Configs.of("llama")
                .put("vocab_size", 32000)
                .put("hidden_size", hidden)
                .put("intermediate_size", 11008)
                .put("num_hidden_layers", layers)
                .put("num_attention_heads", 32)
                .put("num_key_value_heads", 32)
                .put("head_dim", hidden / 32)
                .put("attention_bias", false)
                .put("mlp_bias", false)
                .put("tie_word_embeddings", tie)
                .put("max_position_embeddings", 2048);
        Configs minimal = Configs.of("llama").put("num_hidden_layers", layers);
        if (hidden != 4096) {
            minimal.put("hidden_size", hidden);
        }
        if (tie) {
            minimal.put("tie_word_embeddings", true);
        }
        assertThat(minimal.count().counts()).isEqualTo(full.count().counts());
    }

    @Property(tries = 200)
    void mixtralSparseLayerClosedForm(
            @ForAll @IntRange(min = 1, max = 64) int experts,
            @ForAll @IntRange(min = 1, max = 8) int topKRaw,
            @ForAll @IntRange(min = 16, max = 4096) int hidden,
            @ForAll @IntRange(min = 1, max = 20000) int inter,
            @ForAll @IntRange(min = 1, max = 64) int layers) {
        int topK = Math.min(topKRaw, experts);
        long h = hidden;
        long heads = 8;
        long hd = h / heads;
        long kv = 2 * hd; // 2 kv heads
        long attn = h * heads * hd + 2 * h * kv + heads * hd * h;
        long expertWeights = 3L * experts * inter * h;
        long layer = attn + 2 * h + experts * h + expertWeights;
        long vocab = 1000;
        long params = 2 * vocab * h + layers * layer + h;
        HfArchitecture a = Configs.of("mixtral")
                .put("hidden_size", hidden)
                .put("num_attention_heads", heads)
                .put("num_key_value_heads", 2)
                .put("intermediate_size", inter)
                .put("num_hidden_layers", layers)
                .put("vocab_size", vocab)
                .put("num_local_experts", experts)
                .put("num_experts_per_tok", topK)
                .count();
        assertThat(a.counts().parameters()).isEqualTo(params);
        assertThat(a.counts().byClass().get("MixtralExperts")).isEqualTo(layers * expertWeights);
        assertThat(a.counts().byClass().get("MixtralTopKRouter")).isEqualTo(layers * experts * h);
        long active = layers * (attn + experts * h + 3L * topK * inter * h) + vocab * h;
        assertThat(a.shape().matmulParametersPerToken()).isEqualTo(active);
    }

    @Property(tries = 200)
    void gpt2BlockClosedForm(
            @ForAll @IntRange(min = 1, max = 32) int heads,
            @ForAll @IntRange(min = 1, max = 128) int headDim,
            @ForAll @IntRange(min = 1, max = 48) int layers,
            @ForAll @IntRange(min = 1, max = 8192) int positions,
            @ForAll @IntRange(min = 1, max = 60000) int vocab) {
        long h = (long) heads * headDim;
        // ln_1, ln_2 (w+b); c_attn (h,3h)+3h; c_proj (h,h)+h; c_fc (h,4h)+4h; mlp c_proj (4h,h)+h
        long block = 4 * h + 3 * h * h + 3 * h + h * h + h + 4 * h * h + 4 * h + 4 * h * h + h;
        long params = (long) vocab * h + (long) positions * h + layers * block + 2 * h;
        HfArchitecture a = Configs.of("gpt2")
                .put("n_embd", h)
                .put("n_head", heads)
                .put("n_layer", layers)
                .put("n_positions", positions)
                .put("vocab_size", vocab)
                .count();
        assertThat(a.counts().parameters()).isEqualTo(params);
        assertThat(a.counts().parametersCountingTiedTwice()).isEqualTo(params + (long) vocab * h);
        assertThat(a.counts().buffers()).isZero();
    }

    @Property(tries = 200)
    void t5ClosedForm(
            @ForAll @IntRange(min = 1, max = 16) int heads,
            @ForAll @IntRange(min = 1, max = 128) int dkv,
            @ForAll @IntRange(min = 8, max = 2048) int dModel,
            @ForAll @IntRange(min = 1, max = 8192) int dff,
            @ForAll @IntRange(min = 1, max = 24) int enc,
            @ForAll @IntRange(min = 1, max = 24) int dec,
            @ForAll boolean gated,
            @ForAll boolean tie) {
        long d = dModel;
        long inner = (long) heads * dkv;
        long attn = 4 * d * inner;
        long ff = (gated ? 3 : 2) * d * dff;
        long vocab = 32128;
        long params = vocab * d
                + enc * (attn + ff + 2 * d)
                + d
                + dec * (2 * attn + ff + 3 * d)
                + d
                + 2L * 32 * heads
                + (tie ? 0 : vocab * d);
        HfArchitecture a = Configs.of("t5")
                .put("d_model", d)
                .put("d_kv", dkv)
                .put("num_heads", heads)
                .put("d_ff", dff)
                .put("num_layers", enc)
                .put("num_decoder_layers", dec)
                .put("feed_forward_proj", gated ? "gated-gelu" : "relu")
                .put("tie_word_embeddings", tie)
                .count();
        assertThat(a.counts().parameters()).isEqualTo(params);
        // shared + encoder.embed_tokens + decoder.embed_tokens (+ tied lm_head)
        assertThat(a.counts().parametersCountingTiedTwice()).isEqualTo(params + (tie ? 3 : 2) * vocab * d);
    }

    @Property(tries = 200)
    void deepseekMlaClosedForm(
            @ForAll @IntRange(min = 1, max = 32) int heads,
            @ForAll @IntRange(min = 0, max = 512) int qLora,
            @ForAll @IntRange(min = 1, max = 512) int kvLora,
            @ForAll @IntRange(min = 1, max = 64) int halfRope,
            @ForAll @IntRange(min = 1, max = 128) int nope,
            @ForAll @IntRange(min = 1, max = 128) int vDim,
            @ForAll @IntRange(min = 64, max = 2048) int hidden) {
        long h = hidden;
        long rope = 2L * halfRope;
        long qk = nope + rope;
        long q = qLora == 0 ? h * heads * qk : h * qLora + qLora + (long) qLora * heads * qk;
        long attn = q + h * (kvLora + rope) + kvLora + (long) kvLora * heads * (nope + vDim) + (long) heads * vDim * h;
        long mlp = 3 * h * 512;
        long vocab = 100;
        long params = 2 * vocab * h + 2 * (attn + mlp + 2 * h) + h;
        Configs c = Configs.of("deepseek_v2")
                .put("hidden_size", h)
                .put("num_attention_heads", heads)
                .put("kv_lora_rank", kvLora)
                .put("qk_rope_head_dim", rope)
                .put("qk_nope_head_dim", nope)
                .put("v_head_dim", vDim)
                .put("intermediate_size", 512)
                .put("num_hidden_layers", 2)
                .put("vocab_size", vocab)
                .put("first_k_dense_replace", 2)
                .put("num_experts_per_tok", 2);
        if (qLora == 0) {
            c.putNull("q_lora_rank");
        } else {
            c.put("q_lora_rank", qLora);
        }
        HfArchitecture a = c.count();
        assertThat(a.counts().parameters()).isEqualTo(params);
        assertThat(a.counts().buffers()).isEqualTo(rope);
        assertThat(a.shape().headDimK()).isEqualTo(qk);
        assertThat(a.shape().headDimV()).isEqualTo(vDim);
    }

    @Property(tries = 200)
    void mambaClosedForm(
            @ForAll @IntRange(min = 16, max = 4096) int hidden,
            @ForAll @IntRange(min = 1, max = 64) int state,
            @ForAll @IntRange(min = 1, max = 8) int kernel,
            @ForAll @IntRange(min = 1, max = 64) int layers,
            @ForAll @IntRange(min = 1, max = 4) int expand,
            @ForAll boolean useBias) {
        long h = hidden;
        long inner = expand * h;
        long dt = (h + 15) / 16;
        long layer = h
                + (h * 2 * inner + (useBias ? 2 * inner : 0))
                + (inner * kernel + inner)
                + inner * (dt + 2L * state)
                + (dt * inner + inner)
                + (inner * state + inner)
                + (inner * h + (useBias ? h : 0));
        long vocab = 50280;
        long params = vocab * h + layers * layer + h;
        HfArchitecture a = Configs.of("mamba")
                .put("hidden_size", h)
                .put("state_size", state)
                .put("conv_kernel", kernel)
                .put("num_hidden_layers", layers)
                .put("expand", expand)
                .put("intermediate_size", inner)
                .put("use_bias", useBias)
                .put("time_step_rank", "auto")
                .count();
        assertThat(a.counts().parameters()).isEqualTo(params);
        assertThat(a.counts().byClass().get("MambaMixer")).isEqualTo(layers * (inner * state + inner));
    }

    @Property(tries = 200)
    void bertEncoderClosedForm(
            @ForAll @IntRange(min = 1, max = 16) int heads,
            @ForAll @IntRange(min = 1, max = 96) int headDim,
            @ForAll @IntRange(min = 1, max = 24) int layers,
            @ForAll @IntRange(min = 1, max = 8192) int inter,
            @ForAll @IntRange(min = 1, max = 4096) int positions) {
        long h = (long) heads * headDim;
        long layer = 4 * (h * h + h) + 2 * 2 * h + (h * inter + inter) + ((long) inter * h + h);
        long vocab = 30522;
        long params = vocab * h + positions * h + 2 * h + 2 * h + layers * layer + (h * h + h);
        HfArchitecture a = Configs.of("bert")
                .put("hidden_size", h)
                .put("num_attention_heads", heads)
                .put("num_hidden_layers", layers)
                .put("intermediate_size", inter)
                .put("max_position_embeddings", positions)
                .count();
        assertThat(a.counts().parameters()).isEqualTo(params);
        assertThat(a.counts().buffers()).isEqualTo(2L * positions);
    }
}
