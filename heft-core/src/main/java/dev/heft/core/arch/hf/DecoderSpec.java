package dev.heft.core.arch.hf;

import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import java.util.List;

/**
 * The normalised description of a Llama-style decoder (pre-norm, RoPE, gated MLP or MoE): every family from llama to
 * gpt_oss is one of these once its config class's defaults and key names are applied ({@link DecoderFamilies}). Filled
 * once by a family reader, then only read by {@link LlamaStyleDecoder}.
 */
final class DecoderSpec {
    /** The transformers class built for the causal LM (LlamaForCausalLM...). */
    String modelClass;
    /** Class-name prefix of the family's own modules: {@code prefix + "RMSNorm"} (LlamaRMSNorm, Qwen2MoeRMSNorm). */
    String prefix;

    String embeddingClass = ModuleTally.EMBEDDING;
    /** Gemma's scaled embedding registers {@code embed_scale} as a one-element buffer. */
    boolean embedScaleBuffer;

    long vocab;
    long hidden;
    long layers;
    long heads;
    long kvHeads;
    long headDim;
    long intermediate;
    long maxPositions;

    /** Bias on q/k/v (Qwen2 always; Llama's attention_bias) and on o_proj. */
    boolean qkvBias;

    boolean oBias;
    boolean mlpBias;
    /** Phi-3 fuses q/k/v into qkv_proj and gate/up into gate_up_proj. */
    boolean fusedQkv;

    boolean fusedGateUp;
    /** Qwen3 and Gemma 3 normalise q and k per head (RMSNorm of head_dim). */
    boolean qkNorm;
    /** OLMo 2, OLMoE, Cohere, StableLM: the q/k norms span the whole projection (heads x head_dim, kv_heads x head_dim). */
    boolean qkNormFull;
    /** Module names of the q/k norms (q_norm/k_norm; HunYuan query_layernorm/key_layernorm). */
    List<String> qkNormNames = List.of("q_norm", "k_norm");
    /** Class of the q/k norms when it is not the layer norm class (StableLM's per-head nn.LayerNorm). */
    String qkNormClass;
    /**
     * The norms of one layer, by module name: input + post-attention (Llama), Gemma 2/3's sandwich of four, OLMo 2's
     * post-attention + post-feed-forward, Cohere's single input norm of a parallel block.
     */
    List<String> layerNorms = List.of("input_layernorm", "post_attention_layernorm");
    /** Norm module class; null means {@code prefix + "RMSNorm"}. */
    String normClass;
    /** LayerNorm with a bias (StarCoder2, StableLM, PhiMoE). */
    boolean normBias;
    /** OLMo's LayerNorm has no weight or bias at all. */
    boolean normWeights = true;
    /** gate/up/down (true) or up/down with no gate (Arcee, StarCoder2's c_fc/c_proj). */
    boolean gated = true;
    /** Module names of a non-gated MLP's two projections. */
    String upName = "up_proj";

    String downName = "down_proj";
    /** PhiMoE's lm_head_bias. */
    boolean lmHeadBias;
    /** gpt-oss: one learned attention-sink logit per head, owned by the attention module. */
    boolean attentionSinks;
    /** Qwen3-Next: q_proj also yields a per-head output gate (2 x heads x head_dim outputs). */
    boolean gatedQuery;

    /**
     * Hybrids: one flag per layer, true where the layer attends and false where it runs {@link #mixer} instead
     * (a linear-attention or state-space block); null when every layer attends.
     */
    boolean[] attends;

    TokenMixer mixer;
    /** Falcon-H1: every layer runs attention and {@link #mixer} side by side. */
    boolean parallelMixer;

    /** Multi-head latent attention (DeepSeek); null for standard attention. */
    TransformerShape.Mla mla;
    /**
     * DeepSeek-V3.2's sparse-attention indexer in every layer: wq_b (q_lora_rank -> heads x head_dim), wk (hidden ->
     * head_dim), a biased LayerNorm k_norm and weights_proj (hidden -> heads); 0 heads when the model has none.
     */
    long indexerHeads;

    long indexerHeadDim;
    /** Routed experts; null for a dense model. */
    MoeSpec moe;

    boolean tieWordEmbeddings;
    /**
     * The base model alone, without lm_head: what the Auto classes build for a text config that has no causal-LM
     * class of its own (Qwen2VLTextModel...). A composite counting it as its language model turns the head back on.
     */
    boolean baseModel;
    /** Rotary dimension (head_dim x partial_rotary_factor; MLA: qk_rope_head_dim) and how many rotary modules hold buffers. */
    long rotaryDim;

    int rotaryModules = 1;
    List<AttentionLayer> attention;
    /** DeepSeek-V3's multi-token-prediction layers: stored in checkpoints, not built by transformers. */
    long nextTokenPredictionLayers;
    /** A fact about how the config was read that the user should see (null when none). */
    String moeLayerFreqNote;

    /** Routed-expert block of a sparse layer, as transformers 5 builds it (stacked 3-D expert tensors). */
    String norm() {
        return normClass != null ? normClass : prefix + "RMSNorm";
    }

    int normsPerLayer() {
        return layerNorms.size();
    }

    /** Layers that attend (all of them unless the model is a hybrid). */
    long attentionLayers() {
        if (attends == null) {
            return layers;
        }
        long n = 0;
        for (boolean a : attends) {
            n += a ? 1 : 0;
        }
        return n;
    }

    static final class MoeSpec {
        long experts;
        long topK;
        long expertIntermediate;
        /** Total width of the always-on shared expert MLP (0 when none). */
        long sharedIntermediate;
        /** Number of shared experts the width is made of (for the shape). */
        long sharedExperts;
        /** Qwen2-MoE: a Linear(hidden, 1) gating the shared expert. */
        boolean sharedExpertGate;
        /** gpt-oss: the router has a bias and the experts have gate_up/down biases. */
        boolean routerBias;

        boolean expertBias;
        /** DeepSeek-V3's router registers e_score_correction_bias (n_routed_experts) as a buffer. */
        boolean correctionBiasBuffer;
        /** ERNIE 4.5's router keeps e_score_correction_bias (1, E) as a parameter of this module class (null: none). */
        String correctionBiasParameterClass;

        String expertsClass;
        String routerClass;
        /** One flag per layer: routed (true) or dense MLP. */
        boolean[] sparse;
    }
}
