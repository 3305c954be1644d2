package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.DecoderFamilies.base;

import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNumber;
import java.util.ArrayList;
import java.util.List;

/**
 * Mixture-of-experts decoders in the Llama layout whose routing differs from Mixtral's, each read into a
 * {@link DecoderSpec} from its transformers 5.18 {@code configuration_<family>.py} defaults and the module tree of its
 * {@code modeling_<family>.py}: which layers are routed, what the router and the always-on experts are, and how wide
 * each expert is. Every reader here is tested against transformers' own counts (ExactFamiliesGroundTruthTest).
 */
final class MoeFamilies {
    private MoeFamilies() {}

    // configuration_llama4.py Llama4TextConfig; modeling_llama4.py: Llama4TextMoe (Llama4TextExperts of
    // intermediate_size, a Llama4Router Linear, a shared expert of intermediate_size) on moe_layers, dense MLPs of
    // intermediate_size_mlp elsewhere; the L2 q/k norm has no weight
    static DecoderSpec llama4Text(HfConfig c) {
        DecoderSpec s = base(c, "Llama4Text", 202048, 5120, 8192, 48, 40, 8L, 131072, false);
        s.modelClass = "Llama4ForCausalLM";
        s.headDim = headDim(c, s, 128);
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        long expertWidth = s.intermediate;
        s.intermediate = c.size(16384, "intermediate_size_mlp");
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(16, "num_local_experts");
        m.topK = c.size(1, "num_experts_per_tok");
        m.expertIntermediate = expertWidth;
        m.sharedIntermediate = expertWidth;
        m.sharedExperts = 1;
        m.expertsClass = "Llama4TextExperts";
        m.routerClass = "Llama4Router";
        // Llama4TextConfig.__post_init__: moe_layers, else every interleave_moe_layer_step-th layer from step - 1
        int layers = DecoderFamilies.checkedLayers(c, s.layers);
        m.sparse = new boolean[layers];
        if (c.json().members().get("moe_layers") instanceof JsonArray) { // an empty list means no routed layer
            for (long i : c.sizes("moe_layers")) {
                if (i < layers) {
                    m.sparse[(int) i] = true;
                }
            }
        } else {
            long step = c.size(1, "interleave_moe_layer_step");
            DecoderFamilies.requirePositive(c, "interleave_moe_layer_step", step);
            for (long i = step - 1; i < layers; i += step) {
                m.sparse[(int) i] = true;
            }
        }
        s.moe = m;
        s.attention = llama4Attention(c, layers);
        return s;
    }

    /**
     * Llama 4's layer_types: RoPE layers attend within chunks of attention_chunk_size ("chunked_attention"), every
     * no_rope_layer_interval-th layer attends fully. A chunked layer never looks further back than one chunk, so the
     * shape records it as a window of that size.
     */
    private static List<AttentionLayer> llama4Attention(HfConfig c, int layers) {
        long chunk = c.mentions("attention_chunk_size")
                ? c.optionalSize("attention_chunk_size").orElse(0L)
                : 8192;
        AttentionLayer chunked = chunk > 0 ? AttentionLayer.sliding(chunk) : AttentionLayer.FULL;
        List<String> types = c.strings("layer_types");
        List<AttentionLayer> out = new ArrayList<>(layers);
        if (!types.isEmpty()) {
            if (types.size() != layers) {
                throw c.invalid("layer_types", "must have one entry per layer (" + layers + "), found " + types.size());
            }
            for (String t : types) {
                out.add(
                        switch (t) {
                            case "chunked_attention" -> chunked;
                            case "full_attention" -> AttentionLayer.FULL;
                            default ->
                                throw c.invalid(
                                        "layer_types",
                                        "entries must be 'chunked_attention' or 'full_attention'," + " found '" + t
                                                + "'");
                        });
            }
            return out;
        }
        List<Long> noRope = c.sizes("no_rope_layers");
        long interval = c.size(4, "no_rope_layer_interval");
        for (int i = 0; i < layers; i++) {
            boolean rope = !noRope.isEmpty()
                    ? i < noRope.size() && noRope.get(i) != 0
                    : interval == 0 || (i + 1) % interval != 0;
            out.add(rope ? chunked : AttentionLayer.FULL);
        }
        return out;
    }

    // configuration_ernie4_5_moe.py Ernie4_5_MoeConfig; modeling_ernie4_5_moe.py: routed layers where (i + 1) is a
    // multiple of moe_layer_interval between moe_layer_start_index and moe_layer_end_index; the router owns its weight
    // and an Ernie4_5_MoeStatics whose e_score_correction_bias (1, E) is a parameter; moe_num_shared_experts experts
    // of moe_intermediate_size always on; use_bias on every projection and lm_head
    static DecoderSpec ernie45Moe(HfConfig c) {
        DecoderSpec s = base(c, "Ernie4_5_Moe", 103424, 2560, 12288, 28, 20, 4L, 131072, true);
        s.qkvBias = s.oBias = s.mlpBias = s.lmHeadBias = c.flag(false, "use_bias");
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(64, "moe_num_experts", "num_experts");
        m.topK = c.size(6, "moe_k", "num_experts_per_tok");
        m.expertIntermediate = c.size(1536, "moe_intermediate_size");
        m.sharedExperts = c.size(2, "moe_num_shared_experts");
        m.sharedIntermediate = ModuleTally.mul(m.expertIntermediate, m.sharedExperts);
        m.expertsClass = "Ernie4_5_MoeExperts";
        m.routerClass = "Ernie4_5_MoeTopKRouter";
        m.correctionBiasParameterClass = "Ernie4_5_MoeStatics";
        long start = c.size(1, "moe_layer_start_index");
        long end = c.mentions("moe_layer_end_index")
                        && c.json().members().get("moe_layer_end_index") instanceof JsonNumber n
                        && n.value().signum() < 0
                ? s.layers - 1
                : c.size(s.layers - 1, "moe_layer_end_index");
        long interval = c.size(1, "moe_layer_interval");
        DecoderFamilies.requirePositive(c, "moe_layer_interval", interval);
        m.sparse = new boolean[DecoderFamilies.checkedLayers(c, s.layers)];
        for (int i = 0; i < m.sparse.length; i++) {
            m.sparse[i] = (i + 1) % interval == 0 && i >= start && i <= end;
        }
        s.moe = m;
        return s;
    }

    // configuration_hunyuan_v1_moe.py HunYuanMoEV1Config; modeling_hunyuan_v1_moe.py: per-head query_layernorm and
    // key_layernorm, and on every layer HunYuanMoEV1Moe: a gate holding an nn.Linear wg (hidden -> num_experts),
    // experts
    // of intermediate_size and a shared_mlp of intermediate_size
    static DecoderSpec hunyuanMoe(HfConfig c) {
        DecoderSpec s = base(c, "HunYuanMoEV1", 290943, 4096, 11008, 32, 32, null, 2048, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.qkNorm = true;
        s.qkNormNames = List.of("query_layernorm", "key_layernorm");
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(1, "num_experts", "num_local_experts");
        // moe_topk may be one value per layer: the active share takes the largest
        List<Long> topKs = c.json().members().get("moe_topk") instanceof JsonArray
                ? c.sizes("moe_topk")
                : List.of(c.size(1, "moe_topk", "num_experts_per_tok"));
        m.topK = topKs.stream().mapToLong(Long::longValue).max().orElse(1);
        m.expertIntermediate = s.intermediate;
        m.sharedIntermediate = s.intermediate;
        m.sharedExperts = 1;
        m.expertsClass = "HunYuanMoEV1Experts";
        m.routerClass = ModuleTally.LINEAR;
        m.sparse = new boolean[DecoderFamilies.checkedLayers(c, s.layers)];
        java.util.Arrays.fill(m.sparse, m.experts > 0);
        s.moe = m;
        return s;
    }

    // configuration_dbrx.py DbrxConfig (attn_config, ffn_config sub-dicts); modeling_dbrx.py: a fused Wqkv
    // (d_model + 2 x kv_n_heads x head_dim), bias-free LayerNorms norm_1/norm_2, a router Linear (d_model -> experts)
    // and DbrxExpertGLU holding w1, v1, w2 (experts x ffn_hidden_size, d_model) on every layer
    static DecoderSpec dbrx(HfConfig c) {
        HfConfig attn = sub(c, "attn_config");
        HfConfig ffn = sub(c, "ffn_config");
        DecoderSpec s = new DecoderSpec();
        s.prefix = "Dbrx";
        s.modelClass = "DbrxForCausalLM";
        s.vocab = c.size(32000, "vocab_size");
        s.hidden = c.size(2048, "d_model", "hidden_size");
        s.layers = c.layers(24, "n_layers", "num_hidden_layers");
        s.heads = c.size(16, "n_heads", "num_attention_heads");
        DecoderFamilies.requirePositive(c, "n_heads", s.heads);
        s.kvHeads = attn.size(1, "kv_n_heads");
        s.headDim = s.hidden / s.heads;
        s.rotaryDim = s.headDim;
        s.maxPositions = c.size(2048, "max_seq_len", "max_position_embeddings");
        s.tieWordEmbeddings = false; // DbrxConfig.validate_architecture refuses tied embeddings
        s.fusedQkv = true;
        s.normClass = ModuleTally.LAYER_NORM;
        s.layerNorms = List.of("norm_1", "norm_2");
        s.attention = DecoderFamilies.full(s.layers);
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = ffn.size(4, "moe_num_experts");
        m.topK = ffn.size(1, "moe_top_k");
        m.expertIntermediate = ffn.size(3584, "ffn_hidden_size");
        s.intermediate = m.expertIntermediate;
        m.expertsClass = "DbrxExpertGLU";
        m.routerClass = ModuleTally.LINEAR;
        m.sparse = new boolean[DecoderFamilies.checkedLayers(c, s.layers)];
        java.util.Arrays.fill(m.sparse, true);
        s.moe = m;
        return s;
    }

    // configuration_deepseek_v32.py DeepseekV32Config; modeling_deepseek_v32.py: DeepSeek-V3's MLA and MoE
    // (mlp_layer_types, else dense below first_k_dense_replace) with a DSA indexer in every attention module
    static DecoderSpec deepseekV32(HfConfig c) {
        DecoderSpec s = base(c, "DeepseekV32", 129280, 7168, 18432, 61, 128, 128L, 163840, false);
        DecoderFamilies.deepseek(c, s, 1536, 256, 1, 2048, 8L, "DeepseekV32Experts", "DeepseekV32TopkRouter", 3, true);
        s.indexerHeads = c.size(64, "index_n_heads");
        s.indexerHeadDim = c.size(128, "index_head_dim");
        List<String> mlpTypes = c.strings("mlp_layer_types");
        if (!mlpTypes.isEmpty() && s.moe != null) {
            if (mlpTypes.size() != s.moe.sparse.length) {
                throw c.invalid(
                        "mlp_layer_types",
                        "must have one entry per layer (" + s.moe.sparse.length + "), found " + mlpTypes.size());
            }
            for (int i = 0; i < mlpTypes.size(); i++) {
                s.moe.sparse[i] = switch (mlpTypes.get(i)) {
                    case "sparse" -> true;
                    case "dense" -> false;
                    default ->
                        throw c.invalid(
                                "mlp_layer_types",
                                "entries must be 'dense' or 'sparse', found '" + mlpTypes.get(i) + "'");
                };
            }
        }
        s.nextTokenPredictionLayers = c.size(0, "num_nextn_predict_layers");
        return s;
    }

    /** A nested config dict (DBRX's attn_config): its keys, or none when absent so the class defaults apply. */
    static HfConfig sub(HfConfig c, String key) {
        return new HfConfig(
                c.object(key).orElse(new dev.heft.core.json.JsonValue.JsonObject(java.util.Map.of())),
                c.modelType() + "." + key);
    }

    /** Routed experts of {@code width} on every layer, no shared expert. */
    static DecoderSpec.MoeSpec everyLayer(
            HfConfig c, DecoderSpec s, long experts, long topK, long width, String expertsClass, String routerClass) {
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = experts;
        m.topK = topK;
        m.expertIntermediate = width;
        m.expertsClass = expertsClass;
        m.routerClass = routerClass;
        m.sparse = new boolean[DecoderFamilies.checkedLayers(c, s.layers)];
        java.util.Arrays.fill(m.sparse, experts > 0);
        return m;
    }

    /** head_dim: absent means the class default, an explicit null means hidden_size / num_attention_heads. */
    static long headDim(HfConfig c, DecoderSpec s, long classDefault) {
        if (c.mentions("head_dim") && c.optionalSize("head_dim").isEmpty()) {
            return s.hidden / s.heads;
        }
        return c.size(classDefault, "head_dim");
    }
}
