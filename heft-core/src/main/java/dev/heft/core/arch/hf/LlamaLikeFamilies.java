package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.DecoderFamilies.base;

import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import java.util.List;

/**
 * Decoders that are the Llama layout with a twist, each read into a {@link DecoderSpec} from its transformers 5.18
 * {@code configuration_<family>.py} defaults, with the module differences of its {@code modeling_<family>.py}: where
 * the norms sit (OLMo 2's post-norms, GLM-4's four, Cohere's one), what they are (OLMo's parameter-free LayerNorm,
 * StarCoder2's biased LayerNorm), q/k norms per head or over the whole projection, fused or ungated MLPs, MoE blocks.
 * Every reader here is tested against transformers' own counts (ExactFamiliesGroundTruthTest).
 */
final class LlamaLikeFamilies {
    private LlamaLikeFamilies() {}

    private static final List<String> POST_NORMS = List.of("post_attention_layernorm", "post_feedforward_layernorm");

    // configuration_olmo.py OlmoConfig; modeling_olmo.py: OlmoLayerNorm has no parameters (F.layer_norm without affine)
    static DecoderSpec olmo(HfConfig c) {
        DecoderSpec s = base(c, "Olmo", 50304, 4096, 11008, 32, 32, null, 2048, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.normWeights = false;
        s.normClass = "OlmoLayerNorm";
        return s;
    }

    // configuration_olmo2.py Olmo2Config; modeling_olmo2.py: post-attention and post-feed-forward RMSNorms only, q/k
    // norms over the whole projection
    static DecoderSpec olmo2(HfConfig c) {
        DecoderSpec s = base(c, "Olmo2", 50304, 4096, 11008, 32, 32, null, 2048, false);
        olmo2Layout(c, s);
        return s;
    }

    private static void olmo2Layout(HfConfig c, DecoderSpec s) {
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.layerNorms = POST_NORMS;
        s.qkNorm = true;
        s.qkNormFull = true;
    }

    // configuration_olmo3.py Olmo3Config: OLMo 2 with 3 sliding : 1 full layers and one rotary table per layer type
    static DecoderSpec olmo3(HfConfig c) {
        DecoderSpec s = base(c, "Olmo3", 50304, 4096, 11008, 32, 32, null, 2048, false);
        olmo2Layout(c, s);
        s.attention = DecoderFamilies.layerTypes(c, s.layers, c.size(4096, "sliding_window"), 4);
        s.rotaryModules = distinctKinds(s.attention);
        return s;
    }

    // configuration_olmoe.py OlmoeConfig; modeling_olmoe.py: q_norm RMSNorm(hidden), k_norm RMSNorm(hidden / heads x
    // kv_heads), 64 experts of intermediate_size on every layer
    static DecoderSpec olmoe(HfConfig c) {
        DecoderSpec s = base(c, "Olmoe", 50304, 2048, 2048, 16, 16, null, 4096, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.qkNorm = true;
        s.qkNormFull = true;
        s.moe = experts(
                s, c.size(64, "num_experts"), c.size(8, "num_experts_per_tok"), s.intermediate, "Olmoe", "TopKRouter");
        return s;
    }

    // configuration_granite.py GraniteConfig (Llama modules; the multipliers hold no parameters)
    static DecoderSpec granite(HfConfig c) {
        DecoderSpec s = base(c, "Granite", 32000, 4096, 11008, 32, 32, null, 2048, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.mlpBias = c.flag(false, "mlp_bias");
        return s;
    }

    // configuration_granitemoe.py GraniteMoeConfig: every layer routed to num_local_experts of intermediate_size
    static DecoderSpec granitemoe(HfConfig c) {
        DecoderSpec s = base(c, "GraniteMoe", 32000, 4096, 11008, 32, 32, null, 2048, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.moe = experts(
                s,
                c.size(8, "num_local_experts"),
                c.size(2, "num_experts_per_tok"),
                s.intermediate,
                "GraniteMoe",
                "TopKRouter");
        return s;
    }

    // configuration_granitemoeshared.py: GraniteMoe plus an always-on shared_mlp (input_linear H -> 2S, output_linear
    // S -> H) when shared_intermediate_size > 0
    static DecoderSpec granitemoeshared(HfConfig c) {
        DecoderSpec s = base(c, "GraniteMoeShared", 32000, 4096, 11008, 32, 32, null, 2048, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.moe = experts(
                s,
                c.size(8, "num_local_experts"),
                c.size(2, "num_experts_per_tok"),
                s.intermediate,
                "GraniteMoeShared",
                "TopKRouter");
        s.moe.sharedIntermediate = c.size(0, "shared_intermediate_size");
        // shared_mlp.input_linear (H -> 2S) and output_linear (S -> H): the parameters of a gated MLP of width S
        s.moe.sharedExperts = s.moe.sharedIntermediate > 0 ? 1 : 0;
        return s;
    }

    // configuration_helium.py HeliumConfig (o_proj never has a bias)
    static DecoderSpec helium(HfConfig c) {
        DecoderSpec s = base(c, "Helium", 48000, 2560, 7040, 24, 20, 20L, 4096, false);
        s.headDim = c.size(128, "head_dim");
        s.rotaryDim = s.headDim;
        s.qkvBias = c.flag(false, "attention_bias");
        s.mlpBias = c.flag(false, "mlp_bias");
        return s;
    }

    // configuration_smollm3.py SmolLM3Config (no_rope_layers change positions, not parameters)
    static DecoderSpec smollm3(HfConfig c) {
        DecoderSpec s = base(c, "SmolLM3", 128256, 2048, 11008, 36, 16, 4L, 32768, true);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.mlpBias = c.flag(false, "mlp_bias");
        s.modelClass = "SmolLM3ForCausalLM";
        return s;
    }

    // configuration_starcoder2.py Starcoder2Config; modeling_starcoder2.py: biased LayerNorms, c_fc/c_proj MLP
    static DecoderSpec starcoder2(HfConfig c) {
        DecoderSpec s = base(c, "Starcoder2", 49152, 3072, 12288, 30, 24, 2L, 4096, true);
        boolean bias = c.flag(true, "use_bias");
        s.qkvBias = s.oBias = s.mlpBias = bias;
        s.gated = false;
        s.upName = "c_fc";
        s.downName = "c_proj";
        s.normClass = ModuleTally.LAYER_NORM;
        s.normBias = true;
        slidingIfSet(c, s);
        return s;
    }

    // configuration_glm.py GlmConfig; modeling_glm.py: fused gate_up_proj, q/k/v biased, o_proj not, half rotary
    static DecoderSpec glm(HfConfig c) {
        DecoderSpec s = base(c, "Glm", 151552, 4096, 13696, 40, 32, 2L, 131072, false);
        glmLayout(c, s);
        return s;
    }

    // configuration_glm4.py Glm4Config: GLM plus post_self_attn_layernorm and post_mlp_layernorm
    static DecoderSpec glm4(HfConfig c) {
        DecoderSpec s = base(c, "Glm4", 151552, 4096, 13696, 40, 32, 2L, 131072, false);
        glmLayout(c, s);
        s.layerNorms = List.of(
                "input_layernorm", "post_attention_layernorm", "post_self_attn_layernorm", "post_mlp_layernorm");
        return s;
    }

    private static void glmLayout(HfConfig c, DecoderSpec s) {
        s.headDim = c.size(128, "head_dim");
        s.qkvBias = c.flag(true, "attention_bias");
        s.fusedGateUp = true;
        s.rotaryDim = rotaryDim(c, s.headDim, 0.5);
    }

    // configuration_cohere.py CohereConfig; modeling_cohere.py: parallel block with one weight-only CohereLayerNorm,
    // optional q/k norms of shape (heads, head_dim), tied embeddings
    static DecoderSpec cohere(HfConfig c) {
        DecoderSpec s = base(c, "Cohere", 256000, 8192, 22528, 40, 64, null, 8192, true);
        cohereLayout(c, s, "CohereLayerNorm");
        s.qkNorm = c.flag(false, "use_qk_norm");
        s.qkNormFull = true;
        return s;
    }

    // configuration_cohere2.py Cohere2Config: Cohere with 3 sliding : 1 full layers
    static DecoderSpec cohere2(HfConfig c) {
        DecoderSpec s = base(c, "Cohere2", 256000, 8192, 22528, 40, 64, null, 8192, true);
        s.headDim = c.size(128, "head_dim");
        s.rotaryDim = s.headDim;
        cohereLayout(c, s, "Cohere2LayerNorm");
        int period = (int) Math.max(1, Math.min(c.size(4, "sliding_window_pattern"), 1 << 20));
        s.attention = DecoderFamilies.layerTypes(c, s.layers, c.size(4096, "sliding_window"), period);
        return s;
    }

    private static void cohereLayout(HfConfig c, DecoderSpec s, String norm) {
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.normClass = norm;
        s.layerNorms = List.of("input_layernorm");
    }

    // configuration_exaone4.py Exaone4Config; modeling_exaone4.py: post-norms, q/k RMSNorm per head, 3 sliding : 1 full
    static DecoderSpec exaone4(HfConfig c) {
        DecoderSpec s = base(c, "Exaone4", 102400, 4096, 16384, 32, 32, 32L, 2048, false);
        s.layerNorms = POST_NORMS;
        s.qkNorm = true;
        boolean sliding = !(c.mentions("sliding_window")
                && c.optionalSize("sliding_window").isEmpty());
        s.attention = sliding
                ? DecoderFamilies.layerTypes(c, s.layers, c.size(4096, "sliding_window"), (int)
                        Math.max(1, Math.min(c.size(4, "sliding_window_pattern"), 1 << 20)))
                : DecoderFamilies.full(s.layers);
        return s;
    }

    // configuration_seed_oss.py SeedOssConfig: q/k/v biased (attention_bias), o_proj by attention_out_bias
    static DecoderSpec seedOss(HfConfig c) {
        DecoderSpec s = base(c, "SeedOss", 155136, 4096, 27648, 64, 80, 8L, 524288, false);
        s.headDim = c.size(128, "head_dim");
        s.rotaryDim = s.headDim;
        s.qkvBias = c.flag(true, "attention_bias");
        s.oBias = c.flag(false, "attention_out_bias");
        s.mlpBias = c.flag(false, "mlp_bias");
        return s;
    }

    // configuration_ministral.py MinistralConfig (Mistral modules, every layer sliding by default)
    static DecoderSpec ministral(HfConfig c) {
        DecoderSpec s = base(c, "Ministral", 32000, 4096, 14336, 32, 32, 8L, 131072, false);
        s.headDim = c.size(128, "head_dim");
        s.rotaryDim = s.headDim;
        long window =
                c.mentions("sliding_window") ? c.optionalSize("sliding_window").orElse(0L) : 4096;
        List<String> types = c.strings("layer_types");
        s.attention = !types.isEmpty()
                ? DecoderFamilies.fromLayerTypes(c, types, s.layers, window)
                : window > 0 ? DecoderFamilies.allSliding(s.layers, window) : DecoderFamilies.full(s.layers);
        return s;
    }

    // configuration_stablelm.py StableLmConfig; modeling_stablelm.py: biased LayerNorms, quarter rotary, optional
    // qkv bias and per-head q/k LayerNorms, one norm per layer with use_parallel_residual
    static DecoderSpec stablelm(HfConfig c) {
        DecoderSpec s = base(c, "StableLm", 50304, 2560, 6912, 32, 32, 32L, 4096, false);
        s.headDim = s.hidden / s.heads;
        s.qkvBias = c.flag(false, "use_qkv_bias");
        s.normClass = ModuleTally.LAYER_NORM;
        s.normBias = true;
        s.qkNorm = c.flag(false, "qk_layernorm");
        s.qkNormFull = true; // StableLmLayerNormPerHead: one LayerNorm(head_dim, bias=False) per head
        s.qkNormClass = ModuleTally.LAYER_NORM;
        if (c.flag(false, "use_parallel_residual")) {
            s.layerNorms = List.of("input_layernorm");
        }
        s.rotaryDim = rotaryDim(c, s.headDim, 0.25);
        return s;
    }

    // configuration_hunyuan_v1_dense.py; modeling: q/k RMSNorm per head named query_layernorm / key_layernorm
    static DecoderSpec hunyuanDense(HfConfig c) {
        DecoderSpec s = base(c, "HunYuanDenseV1", 290943, 4096, 11008, 32, 32, null, 2048, false);
        s.modelClass = "HunYuanDenseV1ForCausalLM";
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.qkNorm = true;
        s.qkNormNames = List.of("query_layernorm", "key_layernorm");
        return s;
    }

    // configuration_phimoe.py PhimoeConfig; modeling_phimoe.py: biased LayerNorms, 16 experts on every layer
    static DecoderSpec phimoe(HfConfig c) {
        DecoderSpec s = base(c, "Phimoe", 32064, 4096, 6400, 32, 32, 8L, 131072, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.normClass = ModuleTally.LAYER_NORM;
        s.normBias = true;
        s.lmHeadBias = c.flag(false, "lm_head_bias");
        slidingIfSet(c, s);
        s.moe = experts(
                s,
                c.size(16, "num_local_experts"),
                c.size(2, "num_experts_per_tok"),
                s.intermediate,
                "Phimoe",
                "TopKRouter");
        return s;
    }

    // configuration_arcee.py ArceeConfig; modeling_arcee.py: up_proj/down_proj with ReLU^2, no gate
    static DecoderSpec arcee(HfConfig c) {
        DecoderSpec s = base(c, "Arcee", 32000, 2560, 18432, 32, 32, null, 4096, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.mlpBias = c.flag(false, "mlp_bias");
        s.gated = false;
        s.rotaryDim = DecoderFamilies.rotaryDim(c, s.headDim);
        return s;
    }

    // configuration_ernie4_5.py Ernie4_5Config: use_bias on every projection, tied embeddings, head_dim 128
    static DecoderSpec ernie45(HfConfig c) {
        DecoderSpec s = base(c, "Ernie4_5", 103424, 1024, 3072, 18, 16, 2L, 131072, true);
        s.headDim = c.size(128, "head_dim");
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = s.mlpBias = c.flag(false, "use_bias");
        return s;
    }

    // configuration_glm4_moe.py Glm4MoeConfig; modeling_glm4_moe.py: GLM attention (q/k/v bias by attention_bias,
    // optional per-head q/k norms, half rotary) with DeepSeek-V3's MoE from first_k_dense_replace on: a router with an
    // e_score_correction_bias buffer, stacked experts and n_shared_experts x moe_intermediate_size shared experts
    static DecoderSpec glm4Moe(HfConfig c) {
        DecoderSpec s = base(c, "Glm4Moe", 151552, 4096, 10944, 46, 96, 8L, 131072, false);
        s.qkvBias = c.flag(false, "attention_bias");
        s.qkNorm = c.flag(false, "use_qk_norm");
        s.rotaryDim = rotaryDim(c, s.headDim, 0.5);
        long routed = c.size(128, "n_routed_experts");
        DecoderSpec.MoeSpec m = experts(
                s,
                routed,
                c.size(8, "num_experts_per_tok"),
                c.size(1408, "moe_intermediate_size"),
                "Glm4Moe",
                "TopkRouter");
        long firstDense = c.size(1, "first_k_dense_replace");
        for (int i = 0; i < m.sparse.length; i++) {
            m.sparse[i] = routed > 0 && i >= firstDense;
        }
        m.sharedExperts = c.size(1, "n_shared_experts");
        m.sharedIntermediate = ModuleTally.mul(m.expertIntermediate, m.sharedExperts);
        m.correctionBiasBuffer = true;
        s.moe = m;
        return s;
    }

    // configuration_nemotron.py NemotronConfig; modeling_nemotron.py: NemotronLayerNorm1P (a biased nn.LayerNorm),
    // ungated up/down MLP (relu2), half rotary by default, head_dim from hidden_size / heads when unset
    static DecoderSpec nemotron(HfConfig c) {
        DecoderSpec s = base(c, "Nemotron", 256000, 6144, 24576, 32, 48, null, 4096, false);
        s.headDim = MoeFamilies.headDim(c, s, s.hidden / s.heads);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.mlpBias = c.flag(false, "mlp_bias");
        s.gated = false;
        s.normClass = "NemotronLayerNorm1P";
        s.normBias = true;
        s.rotaryDim = rotaryDim(c, s.headDim, 0.5);
        return s;
    }

    /** Routed experts on every layer (no shared expert): {@code <prefix>Experts} and {@code <prefix><router>}. */
    private static DecoderSpec.MoeSpec experts(
            DecoderSpec s, long experts, long topK, long width, String prefix, String router) {
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = experts;
        m.topK = topK;
        m.expertIntermediate = width;
        m.expertsClass = prefix + "Experts";
        m.routerClass = prefix + router;
        boolean[] sparse = new boolean[(int) Math.min(s.layers, HfConfig.MAX_LAYERS)];
        java.util.Arrays.fill(sparse, experts > 0);
        m.sparse = sparse;
        return m;
    }

    private static void slidingIfSet(HfConfig c, DecoderSpec s) {
        long window = c.optionalSize("sliding_window").orElse(0L);
        s.attention = window > 0 ? DecoderFamilies.allSliding(s.layers, window) : DecoderFamilies.full(s.layers);
    }

    /** head_dim x partial_rotary_factor, with the family's default factor. */
    private static long rotaryDim(HfConfig c, long headDim, double defaultFactor) {
        double factor = c.ropeNumber(defaultFactor, "partial_rotary_factor");
        if (!(factor > 0 && factor <= 1)) {
            throw c.invalid("partial_rotary_factor", "must be in (0, 1], found " + factor);
        }
        return (long) (headDim * factor);
    }

    private static int distinctKinds(List<AttentionLayer> attention) {
        return (int) Math.max(
                1, attention.stream().map(AttentionLayer::kind).distinct().count());
    }
}
