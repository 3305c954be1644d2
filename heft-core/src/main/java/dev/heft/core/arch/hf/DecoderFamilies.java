package dev.heft.core.arch.hf;

import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads each Llama-style family's config into a {@link DecoderSpec}, applying that family's transformers 5
 * {@code *Config} defaults (src/transformers/models/&lt;family&gt;/configuration_&lt;family&gt;.py) so the full dict
 * and the minimal {@code save_pretrained} dict give the same spec.
 */
final class DecoderFamilies {
    private DecoderFamilies() {}

    /** Gemma 2/3: a norm before and after both the attention and the feed-forward block. */
    static final List<String> SANDWICH = List.of(
            "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm");

    /** Keys every Llama-like config shares; defaults differ per family. */
    static DecoderSpec base(
            HfConfig c,
            String prefix,
            long vocab,
            long hidden,
            long inter,
            long layers,
            long heads,
            Long kvHeadsDefault,
            long maxPos,
            boolean tie) {
        DecoderSpec s = new DecoderSpec();
        s.prefix = prefix;
        s.modelClass = prefix + "ForCausalLM";
        s.vocab = c.size(vocab, "vocab_size");
        s.hidden = c.size(hidden, "hidden_size");
        s.intermediate = c.size(inter, "intermediate_size");
        s.layers = c.layers(layers, "num_hidden_layers");
        s.heads = c.size(heads, "num_attention_heads");
        requirePositive(c, "num_attention_heads", s.heads);
        // num_key_value_heads missing (or None) means multi-head attention in every family that has the key
        // an explicit null is Python None, which every family's __post_init__ turns into num_attention_heads
        boolean kvNull = c.mentions("num_key_value_heads")
                && c.optionalSize("num_key_value_heads").isEmpty();
        s.kvHeads = kvNull ? s.heads : c.size(kvHeadsDefault == null ? s.heads : kvHeadsDefault, "num_key_value_heads");
        s.headDim = c.size(s.hidden / s.heads, "head_dim");
        s.maxPositions = c.size(maxPos, "max_position_embeddings");
        s.tieWordEmbeddings = c.flag(tie, "tie_word_embeddings");
        s.rotaryDim = s.headDim;
        s.attention = full(s.layers);
        return s;
    }

    static void requirePositive(HfConfig c, String key, long v) {
        if (v <= 0) {
            throw c.invalid(key, "must be positive, found " + v);
        }
    }

    static List<AttentionLayer> full(long layers) {
        return Collections.nCopies(Math.toIntExact(layers), AttentionLayer.FULL);
    }

    static List<AttentionLayer> allSliding(long layers, long window) {
        return Collections.nCopies(Math.toIntExact(layers), AttentionLayer.sliding(window));
    }

    /** {@code layer_types} as written, else the family's pattern: layer i slides when {@code (i + 1) % period != 0}. */
    static List<AttentionLayer> layerTypes(HfConfig c, long layers, long window, int period) {
        List<String> types = c.strings("layer_types");
        if (!types.isEmpty()) {
            return fromLayerTypes(c, types, layers, window);
        }
        List<AttentionLayer> out = new ArrayList<>();
        for (long i = 0; i < layers; i++) {
            out.add((i + 1) % period != 0 ? AttentionLayer.sliding(window) : AttentionLayer.FULL);
        }
        return out;
    }

    static List<AttentionLayer> fromLayerTypes(HfConfig c, List<String> types, long layers, long window) {
        if (types.size() != layers) {
            throw c.invalid("layer_types", "must have one entry per layer (" + layers + "), found " + types.size());
        }
        List<AttentionLayer> out = new ArrayList<>();
        for (String t : types) {
            out.add(
                    switch (t) {
                        case "sliding_attention" -> AttentionLayer.sliding(window);
                        case "full_attention" -> AttentionLayer.FULL;
                        default ->
                            throw c.invalid(
                                    "layer_types",
                                    "entries must be 'full_attention' or 'sliding_attention', found '" + t + "'");
                    });
        }
        return out;
    }

    /** Qwen2/Qwen3: sliding only with use_sliding_window, and only from layer max_window_layers on. */
    private static List<AttentionLayer> qwenAttention(HfConfig c, long layers) {
        return qwenAttention(c, layers, 28);
    }

    /** Qwen2/Qwen3 sliding layers with the family's max_window_layers default. */
    static List<AttentionLayer> qwenAttention(HfConfig c, long layers, long maxWindowLayersDefault) {
        boolean use = c.flag(false, "use_sliding_window");
        long window = c.size(4096, "sliding_window");
        List<String> types = c.strings("layer_types");
        if (!types.isEmpty()) {
            return fromLayerTypes(c, types, layers, window);
        }
        if (!use
                || (c.mentions("sliding_window")
                        && c.optionalSize("sliding_window").isEmpty())) {
            return full(layers);
        }
        long maxWindowLayers = c.size(maxWindowLayersDefault, "max_window_layers");
        List<AttentionLayer> out = new ArrayList<>();
        for (long i = 0; i < layers; i++) {
            out.add(i >= maxWindowLayers ? AttentionLayer.sliding(window) : AttentionLayer.FULL);
        }
        return out;
    }

    /** Qwen2MoeConfig.__post_init__: odd-numbered (i + 1) layers below max_window_layers slide, when enabled. */
    private static List<AttentionLayer> qwen2MoeAttention(HfConfig c, long layers) {
        long window = c.size(4096, "sliding_window");
        List<String> types = c.strings("layer_types");
        if (!types.isEmpty()) {
            return fromLayerTypes(c, types, layers, window);
        }
        boolean use = c.flag(false, "use_sliding_window");
        long maxWindowLayers = c.size(28, "max_window_layers");
        List<AttentionLayer> out = new ArrayList<>();
        for (long i = 0; i < layers; i++) {
            out.add(
                    use && (i + 1) % 2 != 0 && i < maxWindowLayers
                            ? AttentionLayer.sliding(window)
                            : AttentionLayer.FULL);
        }
        return out;
    }

    // configuration_llama.py: LlamaConfig
    static DecoderSpec llama(HfConfig c) {
        DecoderSpec s = base(c, "Llama", 32000, 4096, 11008, 32, 32, null, 2048, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.mlpBias = c.flag(false, "mlp_bias");
        s.rotaryDim = rotaryDim(c, s.headDim);
        return s;
    }

    // configuration_mistral.py: MistralConfig (no attention/mlp bias options; all layers slide when sliding_window is
    // set)
    static DecoderSpec mistral(HfConfig c) {
        DecoderSpec s = base(c, "Mistral", 32000, 4096, 14336, 32, 32, 8L, 4096 * 32, false);
        slidingIfSet(c, s, 4096);
        return s;
    }

    // configuration_mixtral.py: MixtralConfig
    static DecoderSpec mixtral(HfConfig c) {
        DecoderSpec s = base(c, "Mixtral", 32000, 4096, 14336, 32, 32, 8L, 4096 * 32, false);
        slidingIfSet(c, s, -1);
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(8, "num_local_experts");
        m.topK = c.size(2, "num_experts_per_tok");
        m.expertIntermediate = s.intermediate;
        m.expertsClass = "MixtralExperts";
        m.routerClass = "MixtralTopKRouter";
        m.sparse = everyLayer(s.layers);
        s.moe = m;
        return s;
    }

    private static void slidingIfSet(HfConfig c, DecoderSpec s, long defaultWindow) {
        long window =
                c.mentions("sliding_window") ? c.optionalSize("sliding_window").orElse(-1L) : defaultWindow;
        s.attention = window > 0 ? allSliding(s.layers, window) : full(s.layers);
    }

    // configuration_qwen2.py: Qwen2Config; modeling: q/k/v always with bias, o_proj without
    static DecoderSpec qwen2(HfConfig c) {
        DecoderSpec s = base(c, "Qwen2", 151936, 4096, 22016, 32, 32, 32L, 32768, false);
        s.qkvBias = true;
        s.attention = qwenAttention(c, s.layers);
        return s;
    }

    // configuration_qwen2_moe.py: Qwen2MoeConfig; qkv_bias (default True), shared expert + sigmoid shared_expert_gate
    static DecoderSpec qwen2Moe(HfConfig c) {
        DecoderSpec s = base(c, "Qwen2Moe", 151936, 2048, 5632, 24, 16, 16L, 32768, false);
        s.qkvBias = c.flag(true, "qkv_bias");
        s.attention = qwen2MoeAttention(c, s.layers);
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(60, "num_experts");
        m.topK = c.size(4, "num_experts_per_tok");
        m.expertIntermediate = c.size(1408, "moe_intermediate_size");
        m.sharedIntermediate = c.size(5632, "shared_expert_intermediate_size");
        m.sharedExperts = m.sharedIntermediate > 0 ? 1 : 0;
        m.sharedExpertGate = m.sharedIntermediate > 0;
        m.expertsClass = "Qwen2MoeExperts";
        m.routerClass = "Qwen2MoeTopKRouter";
        m.sparse = qwenSparse(c, s.layers, m.experts);
        s.moe = m;
        return s;
    }

    /** Qwen MoE: layer i is sparse when not in mlp_only_layers, num_experts > 0 and (i + 1) % decoder_sparse_step == 0. */
    static boolean[] qwenSparse(HfConfig c, long layers, long experts) {
        Set<Long> mlpOnly = new HashSet<>(c.sizes("mlp_only_layers"));
        long step = c.size(1, "decoder_sparse_step");
        boolean[] sparse = new boolean[checkedLayers(c, layers)];
        for (int i = 0; i < sparse.length; i++) {
            sparse[i] = !mlpOnly.contains((long) i) && experts > 0 && step > 0 && (i + 1) % step == 0;
        }
        return sparse;
    }

    static int checkedLayers(HfConfig c, long layers) {
        if (layers > 1_000_000) {
            throw c.invalid("num_hidden_layers", "must be at most 1,000,000, found " + layers);
        }
        return (int) layers;
    }

    private static boolean[] everyLayer(long layers) {
        boolean[] b = new boolean[(int) Math.min(layers, 1_000_000)];
        java.util.Arrays.fill(b, true);
        return b;
    }

    // configuration_qwen3.py: Qwen3Config (head_dim 128 by default, q_norm/k_norm)
    static DecoderSpec qwen3(HfConfig c) {
        DecoderSpec s = base(c, "Qwen3", 151936, 4096, 22016, 32, 32, 32L, 32768, false);
        s.headDim = c.size(128, "head_dim");
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.qkNorm = true;
        s.attention = qwenAttention(c, s.layers);
        return s;
    }

    // configuration_qwen3_moe.py: Qwen3MoeConfig (no head_dim field: the attribute if written, else hidden/heads)
    static DecoderSpec qwen3Moe(HfConfig c) {
        DecoderSpec s = base(c, "Qwen3Moe", 151936, 2048, 6144, 24, 32, 4L, 32768, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.qkNorm = true;
        s.attention = qwenAttention(c, s.layers);
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(128, "num_experts");
        m.topK = c.size(8, "num_experts_per_tok");
        m.expertIntermediate = c.size(768, "moe_intermediate_size");
        m.expertsClass = "Qwen3MoeExperts";
        m.routerClass = "Qwen3MoeTopKRouter";
        m.sparse = qwenSparse(c, s.layers, m.experts);
        s.moe = m;
        return s;
    }

    // configuration_gemma.py: GemmaConfig (head_dim 256, tied, scaled embedding with an embed_scale buffer)
    static DecoderSpec gemma(HfConfig c) {
        DecoderSpec s = base(c, "Gemma", 256000, 3072, 24576, 28, 16, 16L, 8192, true);
        s.headDim = c.size(256, "head_dim");
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.embeddingClass = "GemmaTextScaledWordEmbedding";
        s.embedScaleBuffer = true;
        return s;
    }

    // configuration_gemma2.py: Gemma2Config (sandwich norms, alternating sliding/full from layer 0)
    static DecoderSpec gemma2(HfConfig c) {
        DecoderSpec s = base(c, "Gemma2", 256000, 2304, 9216, 26, 8, 4L, 8192, true);
        s.headDim = c.size(256, "head_dim");
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.embeddingClass = "Gemma2TextScaledWordEmbedding";
        s.embedScaleBuffer = true;
        s.layerNorms = SANDWICH;
        s.attention = layerTypes(c, s.layers, c.size(4096, "sliding_window"), 2);
        return s;
    }

    // configuration_gemma3.py: Gemma3TextConfig (5 local : 1 global, q/k norms, one rotary table per layer type)
    static DecoderSpec gemma3Text(HfConfig c) {
        DecoderSpec s = base(c, "Gemma3", 262208, 2304, 9216, 26, 8, 4L, 131072, true);
        s.modelClass = "Gemma3ForCausalLM";
        s.headDim = c.size(256, "head_dim");
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.embeddingClass = "Gemma3TextScaledWordEmbedding";
        s.embedScaleBuffer = true;
        s.layerNorms = SANDWICH;
        s.qkNorm = true;
        int period = (int) Math.max(1, Math.min(c.size(6, "sliding_window_pattern"), 1 << 20));
        s.attention = layerTypes(c, s.layers, c.size(4096, "sliding_window"), period);
        // Gemma3RotaryEmbedding registers {layer_type}_inv_freq and {layer_type}_original_inv_freq per distinct type
        s.rotaryModules =
                (int) s.attention.stream().map(AttentionLayer::kind).distinct().count();
        return s;
    }

    // configuration_phi3.py: Phi3Config (fused qkv_proj and gate_up_proj, partial rotary)
    static DecoderSpec phi3(HfConfig c) {
        DecoderSpec s = base(c, "Phi3", 32064, 3072, 8192, 32, 32, null, 4096, false);
        s.headDim = s.hidden / s.heads;
        s.fusedQkv = true;
        s.fusedGateUp = true;
        s.rotaryDim = rotaryDim(c, s.headDim);
        slidingIfSet(c, s, -1);
        return s;
    }

    /** head_dim x partial_rotary_factor (rope_parameters in transformers 5, top level before). */
    static long rotaryDim(HfConfig c, long headDim) {
        return rotaryDim(c, headDim, 1.0);
    }

    /** head_dim x partial_rotary_factor, with the family's default factor. */
    static long rotaryDim(HfConfig c, long headDim, double defaultFactor) {
        double factor = c.ropeNumber(defaultFactor, "partial_rotary_factor");
        if (!(factor > 0 && factor <= 1)) {
            throw c.invalid("partial_rotary_factor", "must be in (0, 1], found " + factor);
        }
        return (long) (headDim * factor);
    }

    // configuration_deepseek_v2.py: DeepseekV2Config (MLA; MoE from first_k_dense_replace on)
    static DecoderSpec deepseekV2(HfConfig c) {
        DecoderSpec s = base(c, "DeepseekV2", 32000, 4096, 11008, 32, 32, null, 2048, false);
        deepseek(c, s, 1536, 64, 2, 1407, null, "DeepseekV2Experts", "DeepseekV2TopkRouter", 0, false);
        return s;
    }

    // configuration_deepseek_v3.py: DeepseekV3Config
    static DecoderSpec deepseekV3(HfConfig c) {
        DecoderSpec s = base(c, "DeepseekV3", 129280, 7168, 18432, 61, 128, 128L, 4096, false);
        deepseek(c, s, 1536, 256, 1, 2048, 8L, "DeepseekV3Experts", "DeepseekV3TopkRouter", 3, true);
        s.nextTokenPredictionLayers = c.size(0, "num_nextn_predict_layers");
        return s;
    }

    /** num_experts_per_tok of the published DeepSeek-V2 and DeepSeek-V2-Lite config.json files. */
    private static final long DEEPSEEK_V2_PUBLISHED_TOP_K = 6;

    static void deepseek(
            HfConfig c,
            DecoderSpec s,
            long qLoraDefault,
            long routedDefault,
            long sharedDefault,
            long moeInterDefault,
            Long topKDefault,
            String expertsClass,
            String routerClass,
            long firstDenseDefault,
            boolean correctionBuffer) {
        boolean bias = c.flag(false, "attention_bias");
        s.oBias = bias;
        s.mlpBias = false;
        long qLora = c.mentions("q_lora_rank") ? c.optionalSize("q_lora_rank").orElse(0L) : qLoraDefault;
        long rope = c.size(64, "qk_rope_head_dim");
        s.mla = new TransformerShape.Mla(
                c.size(512, "kv_lora_rank"), qLora, rope, c.size(128, "qk_nope_head_dim"), c.size(128, "v_head_dim"));
        s.headDim = rope;
        s.rotaryDim = rope;
        long routed = c.size(routedDefault, "n_routed_experts");
        long firstDense = c.size(firstDenseDefault, "first_k_dense_replace");
        if (routed > 0) {
            DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
            m.experts = routed;
            Long topK = c.optionalSize("num_experts_per_tok").orElse(topKDefault);
            if (topK == null) {
                // DeepseekV2Config defaults num_experts_per_tok to None: the parameters do not depend on it, only
                // the active share does
                topK = DEEPSEEK_V2_PUBLISHED_TOP_K;
                s.moeLayerFreqNote = "num_experts_per_tok is null in this config: active parameters and FLOPs assume "
                        + topK + " experts per token, as the published DeepSeek-V2 and V2-Lite configs set";
            }
            m.topK = topK;
            m.expertIntermediate = c.size(moeInterDefault, "moe_intermediate_size");
            m.sharedExperts = c.size(sharedDefault, "n_shared_experts");
            m.sharedIntermediate = ModuleTally.mul(m.expertIntermediate, m.sharedExperts);
            m.expertsClass = expertsClass;
            m.routerClass = routerClass;
            m.correctionBiasBuffer = correctionBuffer;
            boolean[] sparse = new boolean[checkedLayers(c, s.layers)];
            for (int i = 0; i < sparse.length; i++) {
                sparse[i] = i >= firstDense;
            }
            m.sparse = sparse;
            s.moe = m;
            long freq = c.size(1, "moe_layer_freq");
            if (freq != 1) {
                s.moeLayerFreqNote = (s.moeLayerFreqNote == null ? "" : s.moeLayerFreqNote + "; ") + "moe_layer_freq="
                        + freq + " is ignored: transformers routes every layer from " + "first_k_dense_replace on";
            }
        }
    }

    // configuration_gpt_oss.py: GptOssConfig (biased attention, sinks, biased router and experts, alternating window)
    static DecoderSpec gptOss(HfConfig c) {
        DecoderSpec s = base(c, "GptOss", 201088, 2880, 2880, 36, 64, 8L, 131072, false);
        s.headDim = c.size(64, "head_dim");
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(true, "attention_bias");
        s.attentionSinks = true;
        s.attention = layerTypes(c, s.layers, c.size(128, "sliding_window"), 2);
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(128, "num_local_experts");
        m.topK = c.size(4, "num_experts_per_tok", "experts_per_token");
        m.expertIntermediate = s.intermediate;
        m.routerBias = true;
        m.expertBias = true;
        m.expertsClass = "GptOssExperts";
        m.routerClass = "GptOssTopKRouter";
        m.sparse = everyLayer(s.layers);
        s.moe = m;
        return s;
    }
}
