package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Counts a {@link DecoderSpec} the way transformers 5 builds {@code *ForCausalLM}: {@code model.embed_tokens},
 * {@code model.layers[i]} (self_attn, mlp, norms), {@code model.norm}, {@code lm_head}. Identical layers are added
 * with a multiplier, so the cost does not grow with depth beyond one flag per layer for the MoE split.
 */
final class LlamaStyleDecoder {
    private LlamaStyleDecoder() {}

    static HfArchitecture count(String modelType, DecoderSpec s) {
        ModuleTally t = new ModuleTally();
        long h = s.hidden;
        long layers = s.layers;
        String norm = s.norm();

        t.embedding(s.embeddingClass, 1, s.vocab, h);
        if (s.embedScaleBuffer) {
            t.buffer(1); // Gemma*TextScaledWordEmbedding: register_buffer("embed_scale", tensor(hidden ** 0.5))
        }

        long attentionLayers = s.attentionLayers();
        attention(t, s, norm, attentionLayers);
        long mixerLayers = s.parallelMixer ? layers : layers - attentionLayers;
        if (s.mixer != null && mixerLayers > 0) {
            s.mixer.add(t, mixerLayers);
        }
        norm(t, s, mul(layers, s.normsPerLayer()), h);

        long sparseLayers = 0;
        List<Integer> sparseIdx = new ArrayList<>();
        if (s.moe != null) {
            for (int i = 0; i < s.moe.sparse.length; i++) {
                if (s.moe.sparse[i]) {
                    sparseLayers++;
                    sparseIdx.add(i);
                }
            }
        }
        long denseLayers = layers - sparseLayers;
        gatedMlp(t, s, LayerKind.MLP, denseLayers, s.intermediate);
        if (sparseLayers > 0) {
            moe(t, s, sparseLayers);
        }

        norm(t, s, 1, h); // model.norm
        if (s.baseModel) {
            // no lm_head: the base model's output is the last hidden state
        } else if (s.tieWordEmbeddings) {
            t.tiedHead(s.vocab, h);
            t.note("lm_head is tied to model.embed_tokens (tie_word_embeddings): counted once");
            if (s.lmHeadBias) {
                t.biasParameter(LayerKind.HEAD, ModuleTally.LINEAR, s.vocab); // only the weight is tied
            }
        } else {
            t.linear(LayerKind.HEAD, 1, h, s.vocab, s.lmHeadBias);
        }
        t.buffer(mul(s.rotaryModules, ModuleTally.rotaryBuffers(s.rotaryDim)));

        if (s.moeLayerFreqNote != null) {
            t.note(s.moeLayerFreqNote);
        }
        long checkpointOnly = 0;
        if (s.nextTokenPredictionLayers > 0) {
            checkpointOnly = mtpParameters(s);
            t.note("checkpoint also holds " + s.nextTokenPredictionLayers
                    + " multi-token-prediction layer(s) (num_nextn_predict_layers) that transformers does not build: "
                    + checkpointOnly + " parameters on disk beyond the model's count");
        }

        Optional<TransformerShape.Moe> moeShape = s.moe == null || sparseLayers == 0
                ? Optional.empty()
                : Optional.of(new TransformerShape.Moe(
                        s.moe.experts, s.moe.topK, s.moe.sharedExperts, s.moe.expertIntermediate, sparseIdx));
        long headDimK = s.mla != null ? s.mla.qkNopeHeadDim() + s.mla.qkRopeHeadDim() : s.headDim;
        long headDimV = s.mla != null ? s.mla.vHeadDim() : s.headDim;
        long kvHeads = s.mla != null ? s.heads : s.kvHeads;
        List<TransformerShape.AttentionLayer> attention = s.attention;
        if (s.attends != null) {
            // a layer that runs a linear-attention or state-space mixer keeps no KV cache
            attention = new ArrayList<>(s.attention);
            for (int i = 0; i < s.attends.length && i < attention.size(); i++) {
                if (!s.attends[i]) {
                    attention.set(i, TransformerShape.AttentionLayer.NONE);
                }
            }
        }
        TransformerShape shape = new TransformerShape(
                layers,
                h,
                s.heads,
                kvHeads,
                headDimK,
                headDimV,
                s.vocab,
                s.intermediate,
                s.maxPositions,
                attention,
                moeShape,
                Optional.ofNullable(s.mla),
                Optional.empty(),
                Optional.empty(),
                t.matmulPerToken());
        return new HfArchitecture(modelType, s.modelClass, t.build(), shape, checkpointOnly);
    }

    /** {@code times} norms of {@code size}: RMSNorm weight, LayerNorm weight and bias, or nothing (OLMo). */
    private static void norm(ModuleTally t, DecoderSpec s, long times, long size) {
        if (s.normWeights) {
            t.norm(s.norm(), times, size, s.normBias);
        }
    }

    private static void attention(ModuleTally t, DecoderSpec s, String norm, long l) {
        long h = s.hidden;
        LayerKind a = LayerKind.ATTENTION;
        if (s.mla != null) {
            TransformerShape.Mla m = s.mla;
            long qkHead = m.qkNopeHeadDim() + m.qkRopeHeadDim();
            if (m.qLoraRank() == 0) {
                t.linear(a, l, h, mul(s.heads, qkHead), false); // q_proj
            } else {
                t.linear(a, l, h, m.qLoraRank(), s.oBias); // q_a_proj (bias=attention_bias)
                t.norm(norm, l, m.qLoraRank(), false); // q_a_layernorm
                t.linear(a, l, m.qLoraRank(), mul(s.heads, qkHead), false); // q_b_proj
            }
            t.linear(a, l, h, m.kvLoraRank() + m.qkRopeHeadDim(), s.oBias); // kv_a_proj_with_mqa
            t.norm(norm, l, m.kvLoraRank(), false); // kv_a_layernorm
            t.linear(a, l, m.kvLoraRank(), mul(s.heads, m.qkNopeHeadDim() + m.vHeadDim()), false); // kv_b_proj
            t.linear(a, l, mul(s.heads, m.vHeadDim()), h, s.oBias); // o_proj
            if (s.indexerHeads > 0) {
                long query = m.qLoraRank() > 0 ? m.qLoraRank() : h;
                t.linear(a, l, query, mul(s.indexerHeads, s.indexerHeadDim), false); // indexer.wq_b
                t.linear(a, l, h, s.indexerHeadDim, false); // indexer.wk
                t.norm(ModuleTally.LAYER_NORM, l, s.indexerHeadDim, true); // indexer.k_norm
                t.linear(a, l, h, s.indexerHeads, false); // indexer.weights_proj
            }
            return;
        }
        long q = mul(s.heads, s.headDim);
        long kv = mul(s.kvHeads, s.headDim);
        if (s.fusedQkv) {
            t.linear(a, l, h, q + 2 * kv, s.qkvBias); // Phi3: qkv_proj
        } else {
            t.linear(a, l, h, s.gatedQuery ? mul(2, q) : q, s.qkvBias);
            t.linear(a, l, h, kv, s.qkvBias);
            t.linear(a, l, h, kv, s.qkvBias);
        }
        t.linear(a, l, q, h, s.oBias);
        if (s.qkNorm && s.qkNormFull) {
            // q_norm over heads x head_dim, k_norm over kv_heads x head_dim (OLMo 2; Cohere's (heads, head_dim) weight)
            t.norm(s.qkNormClass != null ? s.qkNormClass : norm, l, q + kv, false);
        } else if (s.qkNorm) {
            t.norm(s.qkNormClass != null ? s.qkNormClass : norm, mul(l, 2), s.headDim, false); // per head_dim
        }
        if (s.attentionSinks) {
            t.parameter(a, s.prefix + "Attention", mul(l, s.heads)); // gpt-oss: self.sinks = Parameter(num_heads)
        }
    }

    /** gate/up/down (or Phi-3's gate_up/down) Linear layers of width {@code inter}, {@code times} over. */
    private static void gatedMlp(ModuleTally t, DecoderSpec s, LayerKind kind, long times, long inter) {
        if (times == 0 || inter == 0) {
            return;
        }
        if (!s.gated) {
            t.linear(kind, times, s.hidden, inter, s.mlpBias); // up_proj / c_fc
        } else if (s.fusedGateUp) {
            t.linear(kind, times, s.hidden, mul(2, inter), s.mlpBias);
        } else {
            t.linear(kind, times, s.hidden, inter, s.mlpBias);
            t.linear(kind, times, s.hidden, inter, s.mlpBias);
        }
        t.linear(kind, times, inter, s.hidden, s.mlpBias);
    }

    private static void moe(ModuleTally t, DecoderSpec s, long sparseLayers) {
        DecoderSpec.MoeSpec m = s.moe;
        long h = s.hidden;
        // router: weight (num_experts, hidden) [+ bias (num_experts) for gpt-oss]
        t.linear(LayerKind.ROUTER, m.routerClass, sparseLayers, h, m.experts, m.routerBias);
        // experts: gate_up_proj (E, 2I, H) + down_proj (E, H, I) = 3·E·I·H; one token runs top-k of them
        long perExpert = mul(3, mul(m.expertIntermediate, h));
        t.experts(
                m.expertsClass,
                mul(sparseLayers, mul(m.experts, perExpert)),
                mul(sparseLayers, mul(m.topK, perExpert)));
        if (m.expertBias) {
            // gpt-oss: gate_up_proj_bias (E, 2I) + down_proj_bias (E, H)
            t.biasParameter(
                    LayerKind.EXPERTS, m.expertsClass, mul(sparseLayers, mul(m.experts, 2 * m.expertIntermediate + h)));
        }
        if (m.sharedIntermediate > 0) {
            gatedMlp(t, s, LayerKind.MLP, sparseLayers, m.sharedIntermediate);
        }
        if (m.sharedExpertGate) {
            t.linear(LayerKind.ROUTER, sparseLayers, h, 1, false); // Qwen2-MoE: shared_expert_gate Linear(hidden, 1)
        }
        if (m.correctionBiasParameterClass != null) {
            t.parameter(LayerKind.ROUTER, m.correctionBiasParameterClass, mul(sparseLayers, m.experts));
        }
        if (m.correctionBiasBuffer) {
            t.buffer(mul(sparseLayers, m.experts));
            t.note("router e_score_correction_bias is a registered buffer in transformers (counted in buffers, "
                    + "n_routed_experts per MoE layer), though checkpoints store it next to the weights");
        }
    }

    /**
     * DeepSeek-V3 MTP module per layer (the checkpoint's {@code model.layers.<num_hidden_layers + i>}): a full MoE
     * decoder layer plus embed_tokens, enorm, hnorm, eh_proj (2H -> H), shared_head.norm and shared_head.head.
     */
    private static long mtpParameters(DecoderSpec s) {
        DecoderSpec one = copyForOneSparseLayer(s);
        ModuleTally t = new ModuleTally();
        attention(t, one, "RMSNorm", 1);
        t.norm("RMSNorm", one.normsPerLayer(), one.hidden, false);
        if (one.moe != null) {
            moe(t, one, 1);
        } else {
            gatedMlp(t, one, LayerKind.MLP, 1, one.intermediate);
        }
        long h = s.hidden;
        long extra = Math.addExact(mul(2, mul(s.vocab, h)), Math.addExact(mul(2, mul(h, h)), mul(3, h)));
        // e_score_correction_bias is a tensor of the checkpoint too
        long correction = one.moe != null && one.moe.correctionBiasBuffer ? one.moe.experts : 0;
        return mul(s.nextTokenPredictionLayers, Math.addExact(Math.addExact(t.parameters(), extra), correction));
    }

    private static DecoderSpec copyForOneSparseLayer(DecoderSpec s) {
        DecoderSpec c = new DecoderSpec();
        c.prefix = s.prefix;
        c.hidden = s.hidden;
        c.layers = 1;
        c.heads = s.heads;
        c.kvHeads = s.kvHeads;
        c.headDim = s.headDim;
        c.intermediate = s.intermediate;
        c.qkvBias = s.qkvBias;
        c.oBias = s.oBias;
        c.mlpBias = s.mlpBias;
        c.fusedQkv = s.fusedQkv;
        c.fusedGateUp = s.fusedGateUp;
        c.qkNorm = s.qkNorm;
        c.layerNorms = s.layerNorms;
        c.qkNormFull = s.qkNormFull;
        c.gated = s.gated;
        c.attentionSinks = s.attentionSinks;
        c.mla = s.mla;
        c.indexerHeads = s.indexerHeads;
        c.indexerHeadDim = s.indexerHeadDim;
        c.moe = s.moe;
        return c;
    }
}
