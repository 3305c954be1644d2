package dev.heft.core.arch.hf;

import java.util.List;
import java.util.Optional;

/**
 * The family-independent shape of a network that the memory and speed estimates need: what a KV cache holds per
 * token, how many weights one token multiplies, which layers are sparse or windowed. Built from a config by
 * {@link HfArchitectures}; every field is in elements (not bytes).
 *
 * @param layers              decoder layers (for an encoder-only model, its encoder layers; Mamba: its mixer layers)
 * @param hiddenSize          width of the residual stream (d_model)
 * @param attentionHeads      query heads (0 for Mamba)
 * @param kvHeads             key/value heads (GQA/MQA; for MLA the heads that the latent is expanded to)
 * @param headDimK            query/key head size (MLA: qk_nope_head_dim + qk_rope_head_dim)
 * @param headDimV            value head size (MLA: v_head_dim)
 * @param vocabSize           vocabulary (0 for ViT)
 * @param intermediateSize    dense MLP width
 * @param maxPositions        longest sequence the config declares (max_position_embeddings / n_positions)
 * @param attention           one entry per decoder layer (self-attention kind and window)
 * @param moe                 routed experts, when the model has them
 * @param mla                 multi-head latent attention sizes (DeepSeek-V2/V3)
 * @param ssm                 Mamba state sizes
 * @param encoderDecoder      encoder/decoder split of a seq2seq model
 * @param matmulParametersPerToken weights one token multiplies in one forward pass: every Linear/Conv1D weight
 *                            including the lm_head, for MoE only the top-k routed experts (the ACTIVE parameters);
 *                            biases, norms and embedding lookups are not matmuls
 */
public record TransformerShape(
        long layers,
        long hiddenSize,
        long attentionHeads,
        long kvHeads,
        long headDimK,
        long headDimV,
        long vocabSize,
        long intermediateSize,
        long maxPositions,
        List<AttentionLayer> attention,
        Optional<Moe> moe,
        Optional<Mla> mla,
        Optional<Ssm> ssm,
        Optional<EncoderDecoder> encoderDecoder,
        long matmulParametersPerToken) {
    public TransformerShape {
        attention = List.copyOf(attention);
    }

    /** How one layer attends. */
    public enum AttentionKind {
        /** Every earlier position (causal) or every position (encoder). */
        FULL,
        /** Only the last {@code window} positions (Mistral, Gemma 2/3 local layers, gpt-oss). */
        SLIDING,
        /** No attention (a Mamba mixer). */
        NONE
    }

    /** @param window sliding window in tokens; 0 for FULL and NONE */
    public record AttentionLayer(AttentionKind kind, long window) {
        public static final AttentionLayer FULL = new AttentionLayer(AttentionKind.FULL, 0);
        public static final AttentionLayer NONE = new AttentionLayer(AttentionKind.NONE, 0);

        public static AttentionLayer sliding(long window) {
            return new AttentionLayer(AttentionKind.SLIDING, window);
        }

        /** Keys one query of a sequence of {@code context} tokens attends to (the last query's view). */
        public long keysAttended(long context) {
            return switch (kind) {
                case FULL -> context;
                case SLIDING -> Math.min(context, window);
                case NONE -> 0;
            };
        }
    }

    /**
     * @param experts            routed experts per sparse layer
     * @param expertsPerToken    top-k
     * @param sharedExperts      always-on shared experts (DeepSeek: n_shared_experts; Qwen2-MoE: 1 of shared width)
     * @param expertIntermediate width of one routed expert
     * @param sparseLayers       indices of the layers whose MLP is routed
     */
    public record Moe(
            long experts,
            long expertsPerToken,
            long sharedExperts,
            long expertIntermediate,
            List<Integer> sparseLayers) {
        public Moe {
            sparseLayers = List.copyOf(sparseLayers);
        }
    }

    /** DeepSeek multi-head latent attention; {@code qLoraRank} 0 when queries are projected directly. */
    public record Mla(long kvLoraRank, long qLoraRank, long qkRopeHeadDim, long qkNopeHeadDim, long vHeadDim) {}

    /** Mamba: state size (d_state), conv kernel (d_conv), inner width (d_inner = expand x hidden), dt rank. */
    public record Ssm(long stateSize, long convKernel, long innerSize, long dtRank) {}

    /** @param crossAttention whether decoder layers attend to the encoder output */
    public record EncoderDecoder(long encoderLayers, long decoderLayers, boolean crossAttention) {}

    /**
     * FLOPs of one forward pass per token at a given context, in {@code torch.utils.flop_counter.FlopCounterMode}'s
     * convention: 2 FLOPs per multiply-accumulate, matrix products only (no norms, activations, softmax, bias adds).
     * The weight term is {@code 2 x matmulParametersPerToken}; the attention term is QK^T plus AV for the newest token
     * against {@code context} keys (sliding layers against at most their window): {@code 2 x heads x (dK + dV) x keys}
     * per layer. For a seq2seq model the cross-attention of each decoder layer is counted against the same context.
     */
    public FlopsPerToken flopsPerToken(long context) {
        if (context < 0) {
            throw new IllegalArgumentException("context must be >= 0, got " + context);
        }
        long weight = Math.multiplyExact(2, matmulParametersPerToken);
        long perKey = Math.multiplyExact(2, Math.multiplyExact(attentionHeads, Math.addExact(headDimK, headDimV)));
        long attn = 0;
        for (AttentionLayer layer : attention) {
            attn = Math.addExact(attn, Math.multiplyExact(perKey, layer.keysAttended(context)));
        }
        if (encoderDecoder.isPresent() && encoderDecoder.get().crossAttention()) {
            attn = Math.addExact(
                    attn,
                    Math.multiplyExact(
                            Math.multiplyExact(perKey, context),
                            encoderDecoder.get().decoderLayers()));
        }
        return new FlopsPerToken(weight, attn);
    }

    /** @param weightFlops 2 x matmul weights; @param attentionFlops score and value products against the context */
    public record FlopsPerToken(long weightFlops, long attentionFlops) {
        public long total() {
            return Math.addExact(weightFlops, attentionFlops);
        }
    }
}
