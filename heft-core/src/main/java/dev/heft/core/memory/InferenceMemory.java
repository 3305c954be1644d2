package dev.heft.core.memory;

import dev.heft.core.api.request.Attention;
import dev.heft.core.api.request.Logits;
import dev.heft.core.api.request.Phase;
import dev.heft.core.api.request.Runtime;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.memory.MemoryPart.Component;
import java.util.ArrayList;
import java.util.List;

/**
 * Inference memory as four printed parts: weights + KV cache + activations (with logits) + runtime overhead.
 *
 * <p>Activations are the peak working set of one forward pass, per token processed ({@code T = batch x context} in
 * prefill, {@code batch} in decode), at {@code a} bytes per value:
 * <pre>
 *   residual stream            T x hidden x a
 *   + max( attention block:    T x (2 x q_heads x d_k + 2 x kv_heads x d_k) x a    (q, k, v, attention output)
 *                              + eager only: batch x q_heads x q_len x keys x (2a + 4)   (scores, fp32 softmax, probs)
 *          MLP block:          T x 4 x intermediate x a  (gated: gate, up, act(gate), product; plain MLP: 2x)
 *                              MoE: shared experts as dense, routed experts one at a time over T x k / E tokens )
 *   + logits                   (T or batch) x vocab x a   (--logits all | last)
 * </pre>
 * Checked against the H200 measurements of Llama-3.2-1B (prefill, sdpa, logits_to_keep=1): KV cache exact, KV plus
 * activations within 5% of the measured peak minus weights at batch 1/8 and 512/2048 tokens.
 *
 * <p>Families whose layers hold more than a dense Llama's, following transformers 5's modeling files (modelled, not
 * measured: the GPU measurements cover Llama-3.2-1B and Qwen2.5-0.5B only):
 * <ul>
 *   <li>MoE ({@code MixtralSparseMoeBlock}/{@code Qwen2MoeSparseMoeBlock}/{@code OlmoeSparseMoeBlock}.forward): router
 *       logits, their fp32 softmax ({@code T x E x 4}), the one-hot expert mask
 *       {@code one_hot(selected_experts, E)} in int64 ({@code E x k x T x 8}), the output accumulator
 *       ({@code T x hidden x a}) and one expert's gathered tokens at a time.</li>
 *   <li>MLA ({@code DeepseekV3Attention.forward}): the latent is decompressed by {@code kv_b_proj} into per-head K
 *       (nope part) and V for every token, K is rebuilt with the shared rope part, so the block holds
 *       {@code q, kv_b output, K, V and the attention output}: {@code T x (heads x (2 x qk_head_dim + 3 x v_head_dim
 *       + qk_nope)) x a} plus the latent itself.</li>
 *   <li>Sliding-window layers ({@code masking_utils.create_sliding_window_causal_mask}): sdpa cannot use its
 *       is_causal shortcut once the sequence is longer than the window, so a boolean mask {@code batch x q x k} is
 *       built; eager attention builds every mask kind in the compute dtype ({@code x a}).</li>
 *   <li>Eager attention with sinks ({@code GptOssAttention}, {@code eager_attention_forward}): scores, the
 *       concatenated logits with the sink column and their softmax are alive together, 3 x a per score, inside the
 *       2a + 4 bytes per score the eager term counts.</li>
 * </ul>
 */
public final class InferenceMemory {
    static final java.util.List<String> SOURCES = java.util.List.of(
            "transformers 5 modeling files: models/llama/modeling_llama.py (LlamaAttention, LlamaMLP), "
                    + "models/mixtral/modeling_mixtral.py (MixtralSparseMoeBlock), models/deepseek_v3/"
                    + "modeling_deepseek_v3.py (DeepseekV3Attention), models/gpt_oss/modeling_gpt_oss.py "
                    + "(eager_attention_forward with sinks), masking_utils.py (sdpa_mask, eager_mask)",
            "PyTorch CUDA caching allocator (c10/cuda/CUDACachingAllocator.cpp): rounding and fragmentation");

    private InferenceMemory() {}

    /**
     * @throws InvalidInputException when the batch and context make a part's byte count overflow 64 bits (a context
     *                               of 2^40 tokens is accepted, and prefill's masks count batch x context x context)
     */
    public static MemoryEstimate estimate(
            TransformerShape s, long weightBytes, String weightFormula, InferenceOptions o) {
        try {
            return estimateExact(s, weightBytes, weightFormula, o);
        } catch (ArithmeticException e) {
            throw new InvalidInputException(
                    "batch " + o.batch() + " x context " + o.context() + " tokens: the memory "
                            + "of such a " + o.phase().name().toLowerCase(java.util.Locale.ROOT)
                            + " does not fit a 64-bit byte count",
                    e);
        }
    }

    private static MemoryEstimate estimateExact(
            TransformerShape s, long weightBytes, String weightFormula, InferenceOptions o) {
        List<MemoryPart> parts = new ArrayList<>();
        List<String> assumptions = new ArrayList<>();
        parts.add(new MemoryPart(Component.WEIGHTS, weightBytes, weightFormula));

        long kv = 0;
        if (o.generative()) {
            KvCache.Size size = KvCache.of(s, o.batch(), o.context(), o.kvDtype(), o.encoderContext());
            kv = size.bytes();
            parts.add(new MemoryPart(Component.KV_CACHE, kv, String.join("; ", size.perLayer())));
            assumptions.add("sliding-window layers hold the whole window (transformers keeps window - 1 tokens)");
        } else {
            parts.add(new MemoryPart(Component.KV_CACHE, 0, "encoder-only model: no KV cache"));
        }

        long a = o.activationBytes();
        long qLen = o.phase() == Phase.PREFILL ? o.context() : 1;
        long tokens = Math.multiplyExact(o.batch(), qLen);
        long hidden = s.hiddenSize();
        long residual = Math.multiplyExact(Math.multiplyExact(tokens, hidden), a);
        long attention = attentionWorkingSet(s, tokens, a);
        long keys = o.context();
        long scores = 0;
        if (o.attention() == Attention.EAGER && s.attentionHeads() > 0) {
            scores = Math.multiplyExact(
                    Math.multiplyExact(
                            Math.multiplyExact(o.batch(), s.attentionHeads()), Math.multiplyExact(qLen, keys)),
                    2 * a + 4);
            attention = Math.addExact(attention, scores);
        }
        long masks = masks(s, o, qLen, a);
        attention = Math.addExact(attention, masks);
        long mlp = mlpWorkingSet(s, tokens, a);
        long logitsRows = o.logits() == Logits.ALL ? tokens : o.batch();
        long logits = Math.multiplyExact(Math.multiplyExact(logitsRows, s.vocabSize()), a);
        long activations = Math.addExact(residual, Math.max(attention, mlp));
        parts.add(new MemoryPart(
                Component.ACTIVATIONS,
                activations,
                "residual " + tokens + " tokens x " + hidden
                        + " x " + a + " B + max(attention " + attention + " B"
                        + (scores > 0
                                ? " incl. eager scores " + scores + " B (" + o.batch() + " x " + s.attentionHeads()
                                        + " heads x " + qLen + " x " + keys + ")"
                                : "")
                        + (masks > 0 ? " incl. attention masks " + masks + " B" : "")
                        + (s.mla().isPresent() ? " incl. MLA's decompressed K/V" : "") + ", MLP " + mlp + " B"
                        + (s.moe().isPresent() ? " incl. routing buffers" : "") + ")"));
        parts.add(new MemoryPart(
                Component.LOGITS,
                logits,
                logitsRows + " rows x vocab " + s.vocabSize() + " x " + a + " B ("
                        + o.logits().name().toLowerCase(java.util.Locale.ROOT) + ")"));
        if (o.attention() != Attention.EAGER) {
            assumptions.add(o.attention().name().toLowerCase(java.util.Locale.ROOT)
                    + " attention: scores are never materialised, so attention memory is linear in context");
        } else {
            assumptions.add("eager attention materialises the score matrix: memory quadratic in context");
        }

        long dynamic = Math.addExact(Math.addExact(kv, activations), logits);
        // Without a device, AUTO means the common case: PyTorch on a CUDA GPU.
        Runtime rt = o.runtime() == Runtime.AUTO ? Runtime.PYTORCH : o.runtime();
        RuntimeOverhead ro = RuntimeOverhead.of(rt);
        long overhead = ro.contextBytes() + (long) (dynamic * ro.allocatorFraction());
        parts.add(new MemoryPart(
                Component.OVERHEAD,
                overhead,
                rt.name().toLowerCase(java.util.Locale.ROOT)
                        + ": context " + ro.contextBytes() + " B + allocator "
                        + Math.round(ro.allocatorFraction() * 100)
                        + "% of KV and activations"));
        assumptions.add("activations in " + (a == 2 ? "16-bit" : a * 8 + "-bit") + " precision; weights stay resident");
        MemoryEstimate e = new MemoryEstimate(parts, 0, assumptions);
        return new MemoryEstimate(parts, e.total(), assumptions);
    }

    /** q, k, v and the attention output of one layer (MLA: the decompressed per-head K and V, see the class doc). */
    static long attentionWorkingSet(TransformerShape s, long tokens, long a) {
        long width;
        if (s.mla().isPresent()) {
            TransformerShape.Mla m = s.mla().get();
            long h = s.attentionHeads();
            long qk = m.qkNopeHeadDim() + m.qkRopeHeadDim();
            width = h * (2 * qk + 3 * m.vHeadDim() + m.qkNopeHeadDim())
                    + m.kvLoraRank()
                    + m.qkRopeHeadDim()
                    + m.qLoraRank();
        } else {
            width = 2 * s.attentionHeads() * s.headDimK() + 2 * s.kvHeads() * s.headDimK();
        }
        return Math.multiplyExact(Math.multiplyExact(tokens, width), a);
    }

    /** Materialised attention masks: sdpa only for sliding layers longer than the window; eager for every kind. */
    static long masks(TransformerShape s, InferenceOptions o, long qLen, long a) {
        if (o.attention() == Attention.FLASH || qLen <= 1) {
            return 0;
        }
        boolean full = s.attention().stream().anyMatch(l -> l.kind() == TransformerShape.AttentionKind.FULL);
        boolean slidingBeyondWindow = s.attention().stream()
                .anyMatch(l -> l.kind() == TransformerShape.AttentionKind.SLIDING && o.context() > l.window());
        long cells = Math.multiplyExact(Math.multiplyExact(o.batch(), qLen), o.context());
        if (o.attention() == Attention.EAGER) {
            long kinds = (full ? 1 : 0) + (slidingBeyondWindow ? 1 : 0);
            return Math.multiplyExact(cells, kinds * a);
        }
        return slidingBeyondWindow ? cells : 0;
    }

    static long mlpWorkingSet(TransformerShape s, long tokens, long a) {
        long dense = Math.multiplyExact(Math.multiplyExact(tokens, 4 * s.intermediateSize()), a);
        if (s.moe().isEmpty()) {
            return dense;
        }
        TransformerShape.Moe m = s.moe().get();
        long routedTokens = Math.max(1, tokens * m.expertsPerToken() / Math.max(1, m.experts()));
        long routed = Math.multiplyExact(Math.multiplyExact(routedTokens, 4 * m.expertIntermediate()), a);
        long shared = Math.multiplyExact(Math.multiplyExact(tokens, 4 * m.sharedExperts() * m.expertIntermediate()), a);
        // router logits (a) and their fp32 softmax, the int64 one-hot expert mask, the output accumulator
        long router = Math.multiplyExact(Math.multiplyExact(tokens, m.experts()), a + 4);
        long oneHot =
                Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(m.experts(), m.expertsPerToken()), tokens), 8);
        long accumulator = Math.multiplyExact(Math.multiplyExact(tokens, s.hiddenSize()), a);
        long moe =
                Math.addExact(Math.addExact(Math.addExact(routed, shared), Math.addExact(router, oneHot)), accumulator);
        return Math.max(dense, moe);
    }

    /** The longest context whose total stays within {@code budget} bytes (binary search; 0 when even 1 token does not fit). */
    public static long maxContext(TransformerShape s, long weightBytes, InferenceOptions o, long budget, long limit) {
        long lo = 0;
        long hi = Math.max(1, limit);
        if (estimate(s, weightBytes, "", o.withContext(1)).peak() > budget) {
            return 0;
        }
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (estimate(s, weightBytes, "", o.withContext(mid)).peak() <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The largest batch whose total stays within {@code budget} (0 when batch 1 does not fit). */
    public static long maxBatch(TransformerShape s, long weightBytes, InferenceOptions o, long budget, long limit) {
        long lo = 0;
        long hi = Math.max(1, limit);
        if (estimate(s, weightBytes, "", o.withBatch(1)).peak() > budget) {
            return 0;
        }
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (estimate(s, weightBytes, "", o.withBatch(mid)).peak() <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
