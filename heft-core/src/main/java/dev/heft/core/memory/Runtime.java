package dev.heft.core.memory;

/**
 * The runtimes heft models, each the way it really allocates ({@link LlamaCppMemory}, {@link VllmMemory},
 * {@link InferenceMemory} for PyTorch/transformers), and the memory each takes beyond the model's own tensors.
 *
 * <ul>
 *   <li>PYTORCH: the CUDA context and library handles as measured on an H200 with torch 2.11 (552,402,944 bytes
 *       used before the first allocation, ../shared/ground-truth/gpu-measurements.json), plus the caching
 *       allocator's rounding and fragmentation, assumed 5% of the dynamic tensors (KV cache and activations).</li>
 *   <li>VLLM: the same context; vLLM pre-allocates its KV cache up to {@code gpu_memory_utilization} (0.9), so the
 *       other 10% of the device is never available to the model: counted as overhead when a device is known.</li>
 *   <li>LLAMA_CPP: llama.cpp on a GPU backend (CUDA/Metal/Vulkan): one compute buffer for one micro-batch, an
 *       output buffer in host memory, and a context of 256 MiB.</li>
 *   <li>LLAMA_CPP_CPU: llama.cpp on CPU backends: no device context.</li>
 *   <li>NONE: no overhead (a bare lower bound).</li>
 *   <li>AUTO: llama.cpp for GGUF files and llama.cpp quantization types (what runs them); otherwise PYTORCH on
 *       NVIDIA/AMD/Intel accelerators, LLAMA_CPP on Apple silicon, LLAMA_CPP_CPU on CPUs, edge boards, phones and
 *       browsers: what people run on each; resolved by {@link #resolve}.</li>
 * </ul>
 */
public enum Runtime {
    PYTORCH(552_402_944L, 0.05),
    VLLM(552_402_944L, 0.0),
    LLAMA_CPP(256L << 20, 0.0),
    LLAMA_CPP_CPU(0, 0.0),
    NONE(0, 0.0),
    AUTO(552_402_944L, 0.05);

    private final long contextBytes;
    private final double allocatorFraction;

    Runtime(long contextBytes, double allocatorFraction) {
        this.contextBytes = contextBytes;
        this.allocatorFraction = allocatorFraction;
    }

    public long contextBytes() {
        return contextBytes;
    }

    public double allocatorFraction() {
        return allocatorFraction;
    }

    /** The runtime AUTO stands for on a device of this category; other runtimes stand for themselves. */
    public Runtime forDevice(dev.heft.core.hardware.DeviceCategory c) {
        if (this != AUTO) {
            return this;
        }
        return switch (c) {
            case DATACENTER_GPU, CONSUMER_GPU, CUSTOM -> PYTORCH;
            case APPLE_SILICON -> LLAMA_CPP;
            default -> LLAMA_CPP_CPU;
        };
    }

    /**
     * The runtime this stands for, given whether the weights are llama.cpp's (a GGUF file or a llama.cpp type) and the
     * device, when there is one. llama.cpp on a device without a GPU backend is its CPU backend.
     */
    public Runtime resolve(boolean llamaCppWeights, java.util.Optional<dev.heft.core.hardware.DeviceCategory> device) {
        Runtime r = this;
        if (r == AUTO) {
            if (llamaCppWeights) {
                r = LLAMA_CPP;
            } else {
                r = device.map(this::forDevice).orElse(PYTORCH);
            }
        }
        if (r == LLAMA_CPP && device.isPresent() && !hasGpuBackend(device.get())) {
            return LLAMA_CPP_CPU;
        }
        return r;
    }

    static boolean hasGpuBackend(dev.heft.core.hardware.DeviceCategory c) {
        return c.isGpu()
                || c == dev.heft.core.hardware.DeviceCategory.APPLE_SILICON
                || c == dev.heft.core.hardware.DeviceCategory.CUSTOM;
    }

    public boolean isLlamaCpp() {
        return this == LLAMA_CPP || this == LLAMA_CPP_CPU;
    }

    /** The name users type ({@code --runtime}) and JSON carries. */
    public String id() {
        return switch (this) {
            case LLAMA_CPP -> "llama.cpp";
            case LLAMA_CPP_CPU -> "llama.cpp-cpu";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    public static Runtime parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT).replace('-', '_').replace(".", "_")) {
            case "pytorch", "torch", "transformers" -> PYTORCH;
            case "vllm" -> VLLM;
            case "llama_cpp", "llamacpp", "gguf" -> LLAMA_CPP;
            case "llama_cpp_cpu" -> LLAMA_CPP_CPU;
            case "none" -> NONE;
            case "auto" -> AUTO;
            default ->
                throw new dev.heft.core.error.InvalidInputException(
                        "unknown runtime '" + s + "' (known: auto, pytorch, vllm, llama.cpp, llama.cpp-cpu, none)");
        };
    }
}
