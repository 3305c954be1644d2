package dev.heft.core.memory;

import dev.heft.core.api.request.Runtime;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.arch.hf.TransformerShape.AttentionKind;
import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.memory.MemoryPart.Component;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * Inference memory as llama.cpp (v0.4.0, commit 80fb11ac) allocates it: weights, a KV cache of padded cells, one
 * compute buffer sized for one micro-batch, an output buffer for the logits, and a backend context.
 *
 * <ul>
 *   <li><b>Cells.</b> {@code n_ctx} is rounded up to a multiple of 256 ({@code GGML_PAD(n_ctx, 256)} in
 *       {@code llama_context::llama_context}, src/llama-context.cpp); with {@code --parallel N} each sequence gets
 *       {@code GGML_PAD(n_ctx / N, 256)} cells in its own stream.</li>
 *   <li><b>KV cache.</b> One K and one V tensor per layer, {@code [n_embd_k_gqa, cells]} in {@code type_k} and
 *       {@code [n_embd_v_gqa, cells]} in {@code type_v} ({@code llama_kv_cache::llama_kv_cache},
 *       src/llama-kv-cache.cpp), each row {@code ggml_row_size(type, n)} bytes. MLA layers (deepseek2) keep only K,
 *       {@code kv_lora_rank + n_rot} wide. Sliding-window layers get their own cache of
 *       {@code GGML_PAD(min(cells, n_swa + n_ubatch), 256)} cells ({@code llama_kv_cache_iswa},
 *       src/llama-kv-cache-iswa.cpp) unless {@code --swa-full}.</li>
 *   <li><b>Compute buffer.</b> {@code sched_reserve} reserves the worst-case graph for
 *       {@code n_tokens = min(n_ctx, n_ubatch)} tokens with every token an output, over the whole cache
 *       ({@code memory->init_full()}). ggml-alloc reuses a tensor's memory once its last consumer has run, so the
 *       buffer is the largest set of tensors alive at one time. heft models three moments of the graph
 *       (src/llama-graph.cpp {@code build_attn_mha}, {@code build_ffn}, {@code build_moe_ffn}), f32 activations:
 *       <pre>
 *   attention (no flash attention): kq and its in-place softmax  n_head x n_kv x T x 4
 *                                   + KQ mask                    n_kv x T x 4 (f16 with flash attention: x 2)
 *                                   + residual, norm, q, k, v, attention output  (2 x n_embd + 3 x q + 2 x kv) x T x 4
 *   feed-forward:                   KQ mask + 3 x n_embd x T x 4 + gate, up and their product 3 x n_ff x T x 4
 *                                   (MoE: 4 x n_embd rows and the per-expert gathers of the k selected experts
 *                                   3 x n_ff_exp x k x T x 4, and the selected ids k x T x 4)
 *   output:                         logits n_vocab x T x 4 + 2 x n_embd x T x 4 (3 without flash attention or with
 *                                   a quantized V cache)
 *       </pre>
 *       plus per-token inputs (positions, cache indices: 20 B a token). The buffer is the largest of the three. Checked
 *       against llama.cpp's own {@code llama_get_memory_breakdown} on the CPU backend
 *       (heft-core/src/test/resources/dev/heft/llamacpp/llamacpp-memory.json, scripts/llamacpp-memory/).</li>
 *   <li><b>Output buffer.</b> {@code llama_context::output_reserve}: {@code n_vocab x n_seq_max x 4} bytes of logits
 *       in host memory (it grows only when a caller asks for more logits per step).</li>
 *   <li><b>Backend context.</b> CUDA's context and cuBLAS handles, about 300 MiB on a GPU (256 MiB assumed); none on
 *       the CPU backend.</li>
 * </ul>
 */
public final class LlamaCppMemory {
    /** {@code GGML_PAD(n_ctx, 256)}: the KV cache's cell granularity. */
    public static final long CELL_PAD = 256;

    static final long GPU_CONTEXT_BYTES = 256L << 20;
    static final List<String> SOURCES = List.of(
            "llama.cpp src/llama-context.cpp: llama_context::llama_context (n_ctx padding, n_batch/n_ubatch), "
                    + "sched_reserve and graph_reserve (compute buffer), output_reserve (output buffer)",
            "llama.cpp src/llama-kv-cache.cpp: llama_kv_cache::llama_kv_cache (per-layer K/V tensors, row sizes); "
                    + "src/llama-kv-cache-iswa.cpp (sliding-window cache size)",
            "llama.cpp src/llama-graph.cpp: build_attn_mha, build_ffn, build_moe_ffn (live tensors of one ubatch)",
            "llama.cpp src/llama-model.cpp: load_tensors (-ngl: the last layers and the output layer go to the GPU, "
                    + "the token embedding stays in host memory)");

    private LlamaCppMemory() {}

    /** Cells per sequence stream: {@code GGML_PAD(GGML_PAD(n_ctx, 256) / n_seq_max, 256)}. */
    public static long cellsPerSequence(long context, long nSeqMax) {
        long padded = pad(context, CELL_PAD);
        return pad(padded / nSeqMax, CELL_PAD);
    }

    /** Cells of a sliding-window layer's cache per stream (llama_kv_cache_iswa's size_swa, non-unified). */
    public static long slidingCells(long cellsPerSeq, long window, long nUbatch) {
        return Math.min(cellsPerSeq, pad(Math.min(cellsPerSeq, window + nUbatch), CELL_PAD));
    }

    /** KV bytes per layer kind, and the lines that explain them. */
    public record Kv(long bytes, long kBytes, long vBytes, long fullCells, long slidingCells, List<String> lines) {
        public Kv {
            lines = List.copyOf(lines);
        }
    }

    public static Kv kv(TransformerShape s, long context, LlamaCppSettings c) {
        long seqCells = cellsPerSequence(context, c.nSeqMax());
        long kRow;
        long vRow;
        String what;
        if (s.mla().isPresent()) {
            // deepseek2 MLA: K holds the compressed latent plus the rope part; V is a view of it (has_v = !is_mla)
            kRow = s.mla().get().kvLoraRank() + s.mla().get().qkRopeHeadDim();
            vRow = 0;
            what = "MLA latent (kv_lora_rank + n_rot) " + kRow + " values in K, no V";
        } else {
            kRow = Math.multiplyExact(s.kvHeads(), s.headDimK());
            vRow = Math.multiplyExact(s.kvHeads(), s.headDimV());
            what = "K " + kRow + " + V " + vRow + " values";
        }
        long kRowBytes = rowBytes(c.typeK(), kRow);
        long vRowBytes = rowBytes(c.typeV(), vRow);
        long k = 0;
        long v = 0;
        int full = 0;
        int sliding = 0;
        long window = 0;
        long swaCells = 0;
        for (AttentionLayer layer : s.attention()) {
            if (layer.kind() == AttentionKind.NONE) {
                continue;
            }
            long cells = seqCells;
            if (layer.kind() == AttentionKind.SLIDING) {
                swaCells = slidingCells(seqCells, layer.window(), Math.min(c.nUbatch(), c.nBatch()));
                cells = swaCells;
                window = layer.window();
                sliding++;
            } else {
                full++;
            }
            long streams = Math.multiplyExact(cells, c.nSeqMax());
            k = Math.addExact(k, Math.multiplyExact(streams, kRowBytes));
            v = Math.addExact(v, Math.multiplyExact(streams, vRowBytes));
        }
        List<String> lines = new ArrayList<>();
        String seqs = c.nSeqMax() > 1 ? " x " + c.nSeqMax() + " sequences" : "";
        if (full > 0) {
            lines.add(full + " layers x " + seqCells + " cells (context " + context + " padded to 256)" + seqs + " x ("
                    + what + ") in K " + c.typeK().displayName() + " / V "
                    + c.typeV().displayName());
        }
        if (sliding > 0) {
            lines.add(sliding + " sliding-window layers x " + swaCells + " cells (pad(window " + window + " + ubatch "
                    + c.nUbatch() + ", 256))" + seqs);
        }
        return new Kv(Math.addExact(k, v), k, v, seqCells, swaCells, lines);
    }

    /** The compute buffer's three candidate moments, in bytes; the buffer is the largest. */
    public record Compute(
            long bytes, long attention, long feedForward, long output, long tokens, long kvCells, String formula) {}

    public static Compute compute(TransformerShape s, long context, LlamaCppSettings c) {
        long seqCells = cellsPerSequence(context, c.nSeqMax());
        long padded = Math.multiplyExact(seqCells, c.nSeqMax());
        long t = Math.min(padded, Math.min(c.nBatch(), c.nUbatch()));
        boolean anyFull = s.attention().stream().anyMatch(l -> l.kind() == AttentionKind.FULL);
        long window = s.attention().stream()
                .filter(l -> l.kind() == AttentionKind.SLIDING)
                .mapToLong(AttentionLayer::window)
                .max()
                .orElse(0);
        long swaCells = window > 0 ? slidingCells(seqCells, window, t) : 0;
        long nKv = anyFull ? seqCells : swaCells;
        long embd = s.hiddenSize();
        long q = Math.multiplyExact(s.attentionHeads(), s.headDimK());
        long kvw = s.mla().isPresent()
                ? s.mla().get().kvLoraRank() + s.mla().get().qkRopeHeadDim()
                : Math.multiplyExact(s.kvHeads(), s.headDimK());
        long f32 = 4;
        long maskBytes = c.flashAttention() ? 2 : 4;
        // one mask per cache kind alive through the layers (full and sliding-window masks for iSWA models)
        long mask = Math.multiplyExact(Math.multiplyExact(seqCells, t), maskBytes);
        if (anyFull && window > 0) {
            mask = Math.addExact(mask, Math.multiplyExact(Math.multiplyExact(swaCells, t), maskBytes));
        } else if (!anyFull) {
            mask = Math.multiplyExact(Math.multiplyExact(swaCells, t), maskBytes);
        }
        long inputs = Math.multiplyExact(20, t);
        long rows =
                Math.multiplyExact(Math.addExact(Math.addExact(2 * embd, 3 * q), 2 * kvw), Math.multiplyExact(t, f32));
        long scores = c.flashAttention()
                ? 0
                : Math.multiplyExact(Math.multiplyExact(s.attentionHeads(), nKv), Math.multiplyExact(t, f32));
        long attention = Math.addExact(Math.addExact(Math.addExact(scores, mask), rows), inputs);
        // build_ffn / build_moe_ffn: gate, up and their product (swiglu) alive together, beside the residual stream,
        // the FFN input, its norm and the output; MoE adds the selected expert ids (k per token)
        long ffnRows;
        if (s.moe().isPresent()) {
            TransformerShape.Moe m = s.moe().get();
            long routed = 3 * m.expertIntermediate() * m.expertsPerToken() + m.expertsPerToken();
            long shared = 3 * m.sharedExperts() * m.expertIntermediate();
            ffnRows = Math.max(3 * s.intermediateSize(), routed + shared);
        } else {
            ffnRows = 3 * s.intermediateSize() - embd; // dense: one n_embd row fewer alive than around mul_mat_id
        }
        // MoE with flash attention over a quantized V cache: the mask is no longer alive at the expert peak (observed)
        boolean quantizedVWithFa =
                c.flashAttention() && c.typeV().isQuantized() && s.moe().isPresent();
        long feedForward = Math.addExact(
                Math.addExact(quantizedVWithFa ? 0 : mask, inputs),
                Math.multiplyExact(Math.addExact(4 * embd, ffnRows), Math.multiplyExact(t, f32)));
        // the final norm's input and output beside the logits, and one more row unless flash attention reads an
        // unquantized V cache (observed in llama.cpp's allocations)
        long outputRows = c.flashAttention() && !c.typeV().isQuantized() ? 2 * embd : 3 * embd;
        long output = Math.addExact(
                Math.multiplyExact(Math.addExact(s.vocabSize(), outputRows), Math.multiplyExact(t, f32)),
                Math.multiplyExact(4, t));
        long bytes = Math.max(attention, Math.max(feedForward, output));
        String which = bytes == output
                ? "output (logits " + s.vocabSize() + " x " + t + " tokens x 4 B)"
                : bytes == attention
                        ? (c.flashAttention()
                                ? "attention"
                                : "attention scores (" + s.attentionHeads() + " heads x " + nKv + " cells x " + t
                                        + " tokens x 4 B)")
                        : "feed-forward";
        return new Compute(
                bytes,
                attention,
                feedForward,
                output,
                t,
                nKv,
                "one ubatch of " + t + " tokens"
                        + (c.flashAttention() ? ", flash attention" : ", no flash attention")
                        + ": largest of attention "
                        + attention + " B, feed-forward " + feedForward + " B, output " + output + " B -> " + which);
    }

    /** {@code output_reserve}: logits for one output per sequence, f32, in host memory. */
    public static long outputBuffer(TransformerShape s, LlamaCppSettings c) {
        return Math.multiplyExact(Math.multiplyExact(s.vocabSize(), c.nSeqMax()), 4);
    }

    /**
     * The whole estimate. {@code gpu} says whether a GPU backend holds the model (a CUDA/Metal context; the output
     * buffer is then host memory); on the CPU backend everything is one pool.
     */
    public static RuntimeMemory estimate(
            TransformerShape s, long weightBytes, String weightFormula, long context, LlamaCppSettings c, boolean gpu) {
        List<MemoryPart> parts = new ArrayList<>();
        List<String> assumptions = new ArrayList<>();
        parts.add(new MemoryPart(Component.WEIGHTS, weightBytes, weightFormula));
        Kv kv = kv(s, context, c);
        parts.add(new MemoryPart(
                Component.KV_CACHE,
                kv.bytes(),
                "K " + kv.kBytes() + " B + V " + kv.vBytes() + " B: " + String.join("; ", kv.lines())));
        Compute comp = compute(s, context, c);
        parts.add(new MemoryPart(Component.ACTIVATIONS, comp.bytes(), "compute buffer for " + comp.formula()));
        long out = outputBuffer(s, c);
        parts.add(new MemoryPart(
                Component.LOGITS,
                out,
                "output buffer: vocab " + s.vocabSize() + " x " + c.nSeqMax() + " sequence(s) x 4 B (f32 logits)"));
        long ctx = gpu ? GPU_CONTEXT_BYTES : 0;
        parts.add(new MemoryPart(
                Component.OVERHEAD,
                ctx,
                gpu
                        ? "GPU backend context and library handles, 256 MiB " + "assumed"
                        : "CPU backend: no device context"));
        assumptions.add("runtime llama.cpp v0.4.0: context " + context + " -> " + kv.fullCells() * c.nSeqMax()
                + " cells, n_batch " + c.nBatch() + ", n_ubatch " + c.nUbatch() + ", flash attention "
                + (c.flashAttention() ? "on" : "off") + ", cache K " + c.typeK().displayName() + " / V "
                + c.typeV().displayName() + (c.kvOffload() ? "" : ", --no-kv-offload (KV cache in host memory)")
                + (c.nSeqMax() > 1 ? ", " + c.nSeqMax() + " parallel sequences" : ""));
        assumptions.add("the prompt is evaluated " + comp.tokens() + " tokens at a time (n_ubatch), so the compute "
                + "buffer does not grow with the prompt; it is modelled from the graph's live tensors and checked "
                + "within 4% of llama.cpp's own allocation (CPU backend, 5 model shapes)");
        assumptions.add("sources: " + String.join("; ", SOURCES));
        long total = 0;
        for (MemoryPart p : parts) {
            total = Math.addExact(total, p.bytes());
        }
        long host = gpu ? out + (c.kvOffload() ? 0 : kv.bytes()) : 0;
        long device = total - host;
        return new RuntimeMemory(
                gpu ? Runtime.LLAMA_CPP : Runtime.LLAMA_CPP_CPU,
                new MemoryEstimate(parts, total, assumptions),
                device,
                host,
                SOURCES);
    }

    static long rowBytes(DType type, long values) {
        if (values == 0) {
            return 0;
        }
        if (!type.fitsBlocks(values)) {
            throw new dev.heft.core.error.InvalidInputException("a KV row of " + values + " values is not a whole "
                    + "number of " + type.displayName() + " blocks of " + type.blockElements()
                    + " (llama.cpp's ggml_row_size would refuse it)");
        }
        return type.bytesFor(values);
    }

    static long pad(long x, long n) {
        return Math.multiplyExact(Math.ceilDiv(x, n), n);
    }
}
