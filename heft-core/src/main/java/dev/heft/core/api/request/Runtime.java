package dev.heft.core.api.request;

import java.util.List;

/** The inference runtime whose memory overheads are modelled. */
public enum Runtime implements Choice {
    /** PyTorch on NVIDIA/AMD/Intel accelerators, llama.cpp on Apple silicon, llama.cpp's CPU backend elsewhere. */
    AUTO("auto"),
    PYTORCH("pytorch", "torch", "transformers"),
    VLLM("vllm"),
    LLAMA_CPP("llama.cpp", "llamacpp", "gguf"),
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
}
