package dev.heft.core.memory;

import dev.heft.core.api.request.Runtime;

/**
 * The memory a runtime takes beyond the model's own tensors, in the PyTorch-style estimates ({@link InferenceMemory},
 * {@link TrainingMemory}); llama.cpp's and vLLM's own layouts are {@link LlamaCppMemory} and {@link VllmMemory}.
 *
 * @param contextBytes      fixed bytes taken before the first tensor (CUDA context, library handles)
 * @param allocatorFraction share of the dynamic tensors (KV cache and activations) lost to allocator rounding and
 *                          fragmentation
 */
record RuntimeOverhead(long contextBytes, double allocatorFraction) {
    /**
     * PyTorch's CUDA context and library handles as measured on an H200 with torch 2.11: 552,402,944 bytes used before
     * the first allocation (../shared/ground-truth/gpu-measurements.json).
     */
    static final long CUDA_CONTEXT_BYTES = 552_402_944L;

    static RuntimeOverhead of(Runtime r) {
        return switch (r) {
            // The caching allocator's rounding and fragmentation: assumed 5% of the dynamic tensors. AUTO, unresolved
            // (no device), is the common case: PyTorch on a CUDA GPU.
            case PYTORCH, AUTO -> new RuntimeOverhead(CUDA_CONTEXT_BYTES, 0.05);
            // The same context; vLLM pre-allocates its KV cache up to gpu_memory_utilization (0.9), so the other 10%
            // of the device is never available to the model: counted as overhead when a device is known.
            case VLLM -> new RuntimeOverhead(CUDA_CONTEXT_BYTES, 0.0);
            // A GPU backend's context of 256 MiB; the compute and output buffers are parts of their own.
            case LLAMA_CPP -> new RuntimeOverhead(256L << 20, 0.0);
            // CPU backends have no device context; NONE is a bare lower bound.
            case LLAMA_CPP_CPU, NONE -> new RuntimeOverhead(0, 0.0);
        };
    }
}
