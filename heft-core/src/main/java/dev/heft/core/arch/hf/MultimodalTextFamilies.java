package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.DecoderFamilies.base;

/**
 * The language models of vision-language composites that have a {@code model_type} of their own, read into a
 * {@link DecoderSpec} from their transformers 5.18 {@code configuration_<family>.py} defaults. Stand-alone, the Auto
 * classes build their base model ({@code Qwen2VLTextModel}: no lm_head); inside the composite
 * ({@link VisionLanguageModels}) the head is added under the composite's tie rule. Tested against transformers' own
 * counts (ExactFamiliesGroundTruthTest, CompositePartsTest).
 */
final class MultimodalTextFamilies {
    private MultimodalTextFamilies() {}

    // configuration_qwen2_vl.py Qwen2VLTextConfig; modeling_qwen2_vl.py Qwen2VLTextModel: Qwen2's decoder (q/k/v
    // biased, o_proj not) with multimodal RoPE, whose inv_freq is an ordinary head_dim / 2 table
    static DecoderSpec qwen2VlText(HfConfig c) {
        return qwen2VlLike(c, "Qwen2VL");
    }

    // configuration_qwen2_5_vl.py Qwen2_5_VLTextConfig: the same modules under Qwen2_5_VL names
    static DecoderSpec qwen25VlText(HfConfig c) {
        return qwen2VlLike(c, "Qwen2_5_VL");
    }

    private static DecoderSpec qwen2VlLike(HfConfig c, String prefix) {
        DecoderSpec s = base(c, prefix, 152064, 8192, 29568, 80, 64, 8L, 32768, false);
        baseModel(s, prefix + "TextModel");
        s.qkvBias = true;
        s.attention = DecoderFamilies.qwenAttention(c, s.layers, 80);
        return s;
    }

    // configuration_qwen3_vl.py Qwen3VLTextConfig; modeling_qwen3_vl.py Qwen3VLTextModel: Qwen3's decoder (per-head
    // q/k norms, head_dim 128)
    static DecoderSpec qwen3VlText(HfConfig c) {
        DecoderSpec s = base(c, "Qwen3VLText", 151936, 4096, 22016, 32, 32, 32L, 128000, false);
        baseModel(s, "Qwen3VLTextModel");
        s.headDim = MoeFamilies.headDim(c, s, 128);
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.qkNorm = true;
        return s;
    }

    // configuration_qwen3_vl_moe.py Qwen3VLMoeTextConfig; modeling_qwen3_vl_moe.py: Qwen3-MoE's decoder, routed
    // experts on every layer not in mlp_only_layers (decoder_sparse_step), no shared expert
    static DecoderSpec qwen3VlMoeText(HfConfig c) {
        DecoderSpec s = base(c, "Qwen3VLMoeText", 151936, 2048, 5632, 24, 16, 16L, 128000, true);
        baseModel(s, "Qwen3VLMoeTextModel");
        s.headDim = MoeFamilies.headDim(c, s, s.hidden / s.heads);
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.qkNorm = true;
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(60, "num_experts", "num_local_experts");
        m.topK = c.size(4, "num_experts_per_tok");
        m.expertIntermediate = c.size(1408, "moe_intermediate_size");
        m.expertsClass = "Qwen3VLMoeTextExperts";
        m.routerClass = "Qwen3VLMoeTextTopKRouter";
        m.sparse = DecoderFamilies.qwenSparse(c, s.layers, m.experts);
        s.moe = m;
        return s;
    }

    private static void baseModel(DecoderSpec s, String modelClass) {
        s.baseModel = true;
        s.modelClass = modelClass;
    }
}
