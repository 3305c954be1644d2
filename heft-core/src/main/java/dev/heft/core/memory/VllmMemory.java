package dev.heft.core.memory;

import dev.heft.core.api.request.Attention;
import dev.heft.core.api.request.Logits;
import dev.heft.core.api.request.Phase;
import dev.heft.core.api.request.Runtime;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.hardware.Device;
import dev.heft.core.memory.MemoryPart.Component;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inference memory as vLLM's V1 engine budgets it. vLLM cannot run here (it needs a GPU), so this follows its source
 * and documented formulas rather than measurements:
 *
 * <ul>
 *   <li>{@code Worker.determine_available_memory} (vllm/v1/worker/gpu_worker.py): after loading the weights it runs
 *       one profile forward pass ({@code GPUModelRunner.profile_run}, vllm/v1/worker/gpu_model_runner.py) over
 *       {@code max_num_batched_tokens} tokens (chunked prefill never schedules more per step) and a sampler warm-up
 *       over {@code max_num_seqs} rows; the KV-cache pool is {@code total_memory x gpu_memory_utilization - peak},
 *       where the peak counts weights, the profile pass and non-torch memory (the CUDA context).</li>
 *   <li>Pages ({@code AttentionSpec.page_size_bytes}, vllm/v1/kv_cache_interface.py): {@code block_size x kv_heads x
 *       (head_size + head_size_v) x dtype} per layer; MLA {@code block_size x (kv_lora_rank + rope_dim) x dtype};
 *       a sliding-window layer needs {@code cdiv(min(window - 1 + max_num_batched_tokens, max_model_len),
 *       block_size) + 1} pages ({@code SlidingWindowSpec.max_memory_usage_bytes}), a full layer
 *       {@code cdiv(max_model_len, block_size)}.</li>
 *   <li>The whole pool is allocated up front; one sequence of {@code max_model_len} tokens must fit in it, else vLLM
 *       refuses to start ({@code check_enough_kv_cache_memory}, vllm/v1/core/kv_cache_utils.py). Maximum concurrency
 *       = pool / per-sequence KV ({@code get_max_concurrency_for_kv_cache_config}, same file, logged as "Maximum
 *       concurrency for N tokens per request").</li>
 *   <li>CUDA graphs ({@code GPUModelRunner.capture_model}) take a pool of their own: 512 MiB assumed.</li>
 * </ul>
 */
public final class VllmMemory {
    static final long CUDA_CONTEXT_BYTES = 552_402_944L; // torch 2.11 on an H200, gpu-measurements.json
    static final List<String> SOURCES = List.of(
            "vllm/v1/worker/gpu_worker.py: Worker.determine_available_memory (pool = total x gpu_memory_utilization "
                    + "- profile peak)",
            "vllm/v1/worker/gpu_model_runner.py: profile_run, _dummy_sampler_run, capture_model",
            "vllm/v1/kv_cache_interface.py: AttentionSpec.page_size_bytes, FullAttentionSpec/SlidingWindowSpec/"
                    + "MLAAttentionSpec.max_memory_usage_bytes",
            "vllm/v1/core/kv_cache_utils.py: check_enough_kv_cache_memory, get_max_concurrency_for_kv_cache_config",
            "vllm/engine/arg_utils.py: get_batch_defaults (max_num_batched_tokens, max_num_seqs)");

    private VllmMemory() {}

    /** The pool and what it buys on a device. */
    public record Capacity(long budget, long kvPool, long perSequence, long maxModelLen, double maxConcurrency) {
        public boolean fits() {
            return kvPool >= perSequence;
        }
    }

    /** KV bytes one sequence of {@code maxModelLen} tokens needs, in whole pages. */
    public static long perSequenceKv(
            TransformerShape s, long maxModelLen, long batchedTokens, VllmSettings v, DType dtype) {
        long page = pageBytes(s, v.blockSize(), dtype);
        long total = 0;
        for (AttentionLayer l : s.attention()) {
            long pages = switch (l.kind()) {
                case FULL -> Math.ceilDiv(maxModelLen, v.blockSize());
                case SLIDING -> Math.ceilDiv(Math.min(l.window() - 1 + batchedTokens, maxModelLen), v.blockSize()) + 1;
                case NONE -> 0;
            };
            total = Math.addExact(total, Math.multiplyExact(pages, page));
        }
        return total;
    }

    static long pageBytes(TransformerShape s, long block, DType dtype) {
        long perToken = s.mla().isPresent()
                ? s.mla().get().kvLoraRank() + s.mla().get().qkRopeHeadDim()
                : Math.multiplyExact(s.kvHeads(), s.headDimK() + s.headDimV());
        return Math.multiplyExact(
                Math.multiplyExact(block, perToken),
                Math.max(1, dtype.blockBytes() / Math.max(1, dtype.blockElements())));
    }

    /** The profile pass's working set: {@code batchedTokens} tokens in one forward pass (flash attention). */
    static MemoryEstimate profilePass(TransformerShape s, long batchedTokens, long seqs) {
        InferenceOptions o = new InferenceOptions(
                1,
                batchedTokens,
                Phase.PREFILL,
                Attention.FLASH,
                Logits.LAST,
                DType.BF16,
                2,
                batchedTokens,
                true,
                Runtime.NONE);
        return InferenceMemory.estimate(s, 0, "", o);
    }

    public static RuntimeMemory estimate(
            TransformerShape s, long weightBytes, String weightFormula, InferenceOptions o, Optional<Device> device) {
        VllmSettings v = o.vllm();
        long memory = device.map(Device::memoryBytes).orElse(80L << 30);
        String id = device.map(Device::id).orElse("");
        long batched = v.batchedTokens(memory, id);
        long seqs = v.sequences(memory, id);
        List<MemoryPart> parts = new ArrayList<>();
        List<String> assumptions = new ArrayList<>();
        parts.add(new MemoryPart(Component.WEIGHTS, weightBytes, weightFormula));
        MemoryEstimate profile = profilePass(s, batched, seqs);
        long activations = profile.bytes(Component.ACTIVATIONS);
        long sampler = Math.multiplyExact(Math.multiplyExact(Math.min(seqs, batched), s.vocabSize()), 4);
        long overhead = CUDA_CONTEXT_BYTES + (v.cudaGraphs() ? VllmSettings.CUDA_GRAPH_BYTES : 0);
        long perSeq = perSequenceKv(s, o.context(), batched, v, o.kvDtype());
        long fixed = Math.addExact(Math.addExact(weightBytes, activations), Math.addExact(sampler, overhead));
        String kvFormula;
        long kv;
        if (device.isPresent()) {
            Capacity c = capacity(s, weightBytes, o, device.get());
            kv = Math.max(c.kvPool(), perSeq);
            kvFormula = "pool = " + v.gpuMemoryUtilization() + " x " + memory + " B - weights - profile peak = "
                    + c.kvPool() + " B, all allocated up front; one " + o.context() + "-token sequence needs "
                    + perSeq + " B (" + v.blockSize() + "-token pages); maximum concurrency "
                    + String.format(java.util.Locale.ROOT, "%.2f", c.maxConcurrency()) + "x";
        } else {
            kv = Math.multiplyExact(perSeq, o.batch());
            kvFormula = o.batch() + " sequence(s) x " + perSeq + " B (" + o.context() + " tokens in " + v.blockSize()
                    + "-token pages, " + o.kvDtype().displayName() + "); on a device vLLM takes the whole pool";
        }
        parts.add(new MemoryPart(Component.KV_CACHE, kv, kvFormula));
        parts.add(new MemoryPart(
                Component.ACTIVATIONS,
                activations,
                "profile run over max_num_batched_tokens = "
                        + batched + " tokens (chunked prefill): "
                        + profile.parts().stream()
                                .filter(p -> p.component() == Component.ACTIVATIONS)
                                .findFirst()
                                .map(MemoryPart::formula)
                                .orElse("")));
        parts.add(new MemoryPart(
                Component.LOGITS,
                sampler,
                "sampler warm-up: min(max_num_seqs " + seqs + ", tokens) x vocab " + s.vocabSize()
                        + " x 4 B (fp32 logits)"));
        parts.add(new MemoryPart(
                Component.OVERHEAD,
                overhead,
                "CUDA context " + CUDA_CONTEXT_BYTES + " B"
                        + (v.cudaGraphs()
                                ? " + CUDA graph pool " + VllmSettings.CUDA_GRAPH_BYTES + " B (assumed)"
                                : "")));
        assumptions.add("runtime vLLM (V1 engine), followed from its source, not measured: gpu_memory_utilization "
                + v.gpuMemoryUtilization() + ", block size " + v.blockSize() + ", max_num_batched_tokens " + batched
                + ", max_num_seqs " + seqs + (v.cudaGraphs() ? ", CUDA graphs" : ", --enforce-eager"));
        assumptions.add("sources: " + String.join("; ", SOURCES));
        long total = Math.addExact(fixed, kv);
        return new RuntimeMemory(Runtime.VLLM, new MemoryEstimate(parts, total, assumptions), total, 0, SOURCES);
    }

    /** What a device's budget leaves for the KV pool, and how many sequences of {@code o.context()} it holds. */
    public static Capacity capacity(TransformerShape s, long weightBytes, InferenceOptions o, Device d) {
        VllmSettings v = o.vllm();
        long batched = v.batchedTokens(d.memoryBytes(), d.id());
        long seqs = v.sequences(d.memoryBytes(), d.id());
        long budget = (long) (d.memoryBytes() * v.gpuMemoryUtilization());
        long activations = profilePass(s, batched, seqs).bytes(Component.ACTIVATIONS);
        long sampler = Math.min(seqs, batched) * s.vocabSize() * 4;
        long overhead = CUDA_CONTEXT_BYTES + (v.cudaGraphs() ? VllmSettings.CUDA_GRAPH_BYTES : 0);
        long pool = budget - weightBytes - activations - sampler - overhead;
        long perSeq = perSequenceKv(s, o.context(), batched, v, o.kvDtype());
        double conc = perSeq == 0 ? 0 : Math.max(0, pool) / (double) perSeq;
        return new Capacity(budget, pool, perSeq, o.context(), conc);
    }
}
