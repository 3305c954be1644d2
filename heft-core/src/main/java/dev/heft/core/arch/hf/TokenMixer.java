package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;

/**
 * What the layers of a hybrid decoder that do not attend mix tokens with: a linear-attention or state-space block whose
 * state does not grow with the context. Each adds its modules, {@code times} over, as the family's modeling file
 * builds them; the rest of the layer (norms, MLP or experts) is the decoder's.
 */
sealed interface TokenMixer {
    void add(ModuleTally t, long times);

    /**
     * Gated DeltaNet (modeling_qwen3_next.py Qwen3NextGatedDeltaNet): a bias-free depthwise conv over q, k and v,
     * in_proj_qkvz (hidden -> 2 x key + 2 x value), in_proj_ba (hidden -> 2 x value heads), the mixer's own dt_bias and
     * A_log (one per value head), a gated RMSNorm over one value head and out_proj (value -> hidden).
     */
    record GatedDeltaNet(
            String prefix, long hidden, long keyHeads, long valueHeads, long keyHeadDim, long valueHeadDim, long kernel)
            implements TokenMixer {
        @Override
        public void add(ModuleTally t, long times) {
            long key = mul(keyHeads, keyHeadDim);
            long value = mul(valueHeads, valueHeadDim);
            long conv = 2 * key + value;
            t.conv("Conv1d", times, mul(conv, kernel), 0, 0);
            t.linear(LayerKind.SSM, times, hidden, 2 * key + 2 * value, false); // in_proj_qkvz
            t.linear(LayerKind.SSM, times, hidden, 2 * valueHeads, false); // in_proj_ba
            t.parameter(LayerKind.SSM, prefix + "GatedDeltaNet", mul(times, 2 * valueHeads)); // dt_bias, A_log
            t.norm(prefix + "RMSNormGated", times, valueHeadDim, false);
            t.linear(LayerKind.SSM, times, value, hidden, false); // out_proj
        }
    }

    /**
     * Mamba-2 (modeling_mamba2.py Mamba2Mixer and its copies in the hybrids): a depthwise conv over x, B and C
     * (inner + 2 x groups x state channels), in_proj (hidden -> inner + conv channels + heads), the mixer's own
     * dt_bias, A_log and D (one per head), a gated RMSNorm over the inner width (none for Falcon-H1 without
     * mamba_rms_norm) and out_proj (inner -> hidden).
     *
     * @param mixerClass       class that owns dt_bias, A_log and D
     * @param normClass        class of the gated norm; null when the mixer has none
     * @param inBias           in_proj bias
     * @param outBias          out_proj bias
     * @param buffersPerMixer  buffers each mixer registers (Falcon-H1's mup_vector over the in_proj width)
     */
    record Mamba2(
            String mixerClass,
            String normClass,
            long hidden,
            long inner,
            long heads,
            long groups,
            long state,
            long kernel,
            boolean convBias,
            boolean inBias,
            boolean outBias,
            long buffersPerMixer)
            implements TokenMixer {
        Mamba2(
                String mixerClass,
                String normClass,
                long hidden,
                long inner,
                long heads,
                long groups,
                long state,
                long kernel,
                boolean convBias,
                boolean projBias) {
            this(mixerClass, normClass, hidden, inner, heads, groups, state, kernel, convBias, projBias, projBias, 0);
        }

        /** in_proj's output width: z and x (inner each), B and C (groups x state each), dt (heads). */
        long inProjection() {
            return Math.addExact(Math.addExact(inner, conv()), heads);
        }

        private long conv() {
            return inner + mul(2, mul(groups, state));
        }

        @Override
        public void add(ModuleTally t, long times) {
            long conv = conv();
            t.conv("Conv1d", times, mul(conv, kernel), convBias ? conv : 0, 0);
            t.linear(LayerKind.SSM, times, hidden, inProjection(), inBias); // in_proj
            t.parameter(LayerKind.SSM, mixerClass, mul(times, 3 * heads)); // dt_bias, A_log, D
            if (normClass != null) {
                t.norm(normClass, times, inner, false);
            }
            t.linear(LayerKind.SSM, times, inner, hidden, outBias); // out_proj
            t.buffer(mul(times, buffersPerMixer));
        }
    }

    /**
     * Mamba-1 as Jamba builds it (modeling_jamba.py JambaMambaMixer): in_proj (hidden -> 2 x inner), a depthwise conv,
     * x_proj (inner -> dt_rank + 2 x state), dt_proj (dt_rank -> inner, biased), A_log (inner, state) and D (inner)
     * owned by the mixer, out_proj, and RMSNorms over dt, B and C.
     */
    record Mamba1(
            String mixerClass,
            String normClass,
            long hidden,
            long inner,
            long state,
            long kernel,
            long dtRank,
            boolean convBias,
            boolean projBias,
            boolean innerNorms)
            implements TokenMixer {
        @Override
        public void add(ModuleTally t, long times) {
            t.linear(LayerKind.SSM, times, hidden, mul(2, inner), projBias); // in_proj
            t.conv("Conv1d", times, mul(inner, kernel), convBias ? inner : 0, 0);
            t.linear(LayerKind.SSM, times, inner, dtRank + mul(2, state), false); // x_proj
            t.linear(LayerKind.SSM, times, dtRank, inner, true); // dt_proj
            t.parameter(LayerKind.SSM, mixerClass, mul(times, mul(inner, state) + inner)); // A_log, D
            t.linear(LayerKind.SSM, times, inner, hidden, projBias); // out_proj
            if (innerNorms) {
                t.norm(normClass, times, dtRank + 2 * state, false); // dt_layernorm, b_layernorm, c_layernorm
            }
        }
    }

    /**
     * MiniMax's lightning attention (modeling_minimax.py MiniMaxLightningAttention): a fused bias-free qkv_proj, an
     * output_gate and out_proj, an RMSNorm over heads x head_dim, and four persistent decay buffers: slope_rate (heads),
     * query_decay and key_decay (heads x block) and diagonal_decay (heads x block x block).
     */
    record LightningAttention(String prefix, long hidden, long heads, long headDim, long block) implements TokenMixer {
        @Override
        public void add(ModuleTally t, long times) {
            long width = mul(heads, headDim);
            t.linear(LayerKind.ATTENTION, times, hidden, mul(3, width), false); // qkv_proj
            t.linear(LayerKind.ATTENTION, times, width, hidden, false); // out_proj
            t.linear(LayerKind.ATTENTION, times, hidden, width, false); // output_gate
            t.norm(prefix + "RMSNorm", times, width, false);
            t.buffer(mul(times, mul(heads, mul(block + 1, block + 1))));
        }
    }
}
