package dev.heft.core.memory;

import dev.heft.core.arch.hf.TransformerShape;
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
 */
public final class InferenceMemory {
    private InferenceMemory() {
    }

    public static MemoryEstimate estimate(TransformerShape s, long weightBytes, String weightFormula,
                                          InferenceOptions o) {
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
        long qLen = o.phase() == InferenceOptions.Phase.PREFILL ? o.context() : 1;
        long tokens = Math.multiplyExact(o.batch(), qLen);
        long hidden = s.hiddenSize();
        long residual = Math.multiplyExact(Math.multiplyExact(tokens, hidden), a);
        long qWidth = Math.multiplyExact(s.attentionHeads(), s.headDimK());
        long kvWidth = Math.multiplyExact(s.kvHeads(), s.headDimK());
        long attention = Math.multiplyExact(Math.multiplyExact(tokens, 2 * qWidth + 2 * kvWidth), a);
        long keys = o.context();
        long scores = 0;
        if (o.attention() == InferenceOptions.Attention.EAGER && s.attentionHeads() > 0) {
            scores = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(o.batch(), s.attentionHeads()),
                    Math.multiplyExact(qLen, keys)), 2 * a + 4);
            attention = Math.addExact(attention, scores);
        }
        long mlp = mlpWorkingSet(s, tokens, a);
        long logitsRows = o.logits() == InferenceOptions.Logits.ALL ? tokens : o.batch();
        long logits = Math.multiplyExact(Math.multiplyExact(logitsRows, s.vocabSize()), a);
        long activations = Math.addExact(residual, Math.max(attention, mlp));
        parts.add(new MemoryPart(Component.ACTIVATIONS, activations, "residual " + tokens + " tokens x " + hidden
                + " x " + a + " B + max(attention " + attention + " B" + (scores > 0 ? " incl. eager scores " + scores
                + " B (" + o.batch() + " x " + s.attentionHeads() + " heads x " + qLen + " x " + keys + ")" : "")
                + ", MLP " + mlp + " B)"));
        parts.add(new MemoryPart(Component.LOGITS, logits, logitsRows + " rows x vocab " + s.vocabSize() + " x " + a
                + " B (" + o.logits().name().toLowerCase(java.util.Locale.ROOT) + ")"));
        if (o.attention() != InferenceOptions.Attention.EAGER) {
            assumptions.add(o.attention().name().toLowerCase(java.util.Locale.ROOT)
                    + " attention: scores are never materialised, so attention memory is linear in context");
        } else {
            assumptions.add("eager attention materialises the score matrix: memory quadratic in context");
        }

        long dynamic = Math.addExact(Math.addExact(kv, activations), logits);
        // Without a device, AUTO means the common case: PyTorch on a CUDA GPU.
        Runtime rt = o.runtime() == Runtime.AUTO ? Runtime.PYTORCH : o.runtime();
        long overhead = rt.contextBytes() + (long) (dynamic * rt.allocatorFraction());
        parts.add(new MemoryPart(Component.OVERHEAD, overhead, rt.name().toLowerCase(java.util.Locale.ROOT)
                + ": context " + rt.contextBytes() + " B + allocator " + Math.round(rt.allocatorFraction() * 100)
                + "% of KV and activations"));
        assumptions.add("activations in " + (a == 2 ? "16-bit" : a * 8 + "-bit") + " precision; weights stay resident");
        MemoryEstimate e = new MemoryEstimate(parts, 0, assumptions);
        return new MemoryEstimate(parts, e.total(), assumptions);
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
        long router = Math.multiplyExact(Math.multiplyExact(tokens, m.experts()), 4);
        return Math.max(dense, Math.addExact(Math.addExact(routed, shared), router));
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
