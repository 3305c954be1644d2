package dev.heft.core.api.request;

import java.util.List;

/**
 * The inference runtime whose memory overheads are modelled, each the way it really allocates. The engine keeps its
 * numbers for each (context bytes, allocator share) and what AUTO stands for on a device keyed by these constants.
 */
public enum Runtime implements Choice {
    /** PyTorch on NVIDIA/AMD/Intel accelerators, llama.cpp on Apple silicon, llama.cpp's CPU backend elsewhere. */
    AUTO("auto"),
    /** PyTorch/transformers with the CUDA caching allocator. */
    PYTORCH("pytorch", "torch", "transformers"),
    /** vLLM, which pre-allocates its KV cache up to {@code gpu_memory_utilization}. */
    VLLM("vllm"),
    /** llama.cpp on a GPU backend (CUDA/Metal/Vulkan). */
    LLAMA_CPP("llama.cpp", "llamacpp", "gguf"),
    /** llama.cpp on its CPU backend. */
    LLAMA_CPP_CPU("llama.cpp-cpu"),
    /** No overhead at all: a bare lower bound. */
    NONE("none");

    private final String id;
    private final List<String> aliases;

    Runtime(String id, String... aliases) {
        this.id = id;
        this.aliases = List.of(aliases);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<String> aliases() {
        return aliases;
    }

    /** llama.cpp on either backend. */
    public boolean isLlamaCpp() {
        return this == LLAMA_CPP || this == LLAMA_CPP_CPU;
    }
}
