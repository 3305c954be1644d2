package dev.heft.core.memory;

import dev.heft.core.api.request.Runtime;
import java.util.List;

/**
 * Inference memory as one runtime lays it out: the parts (weights, KV cache, activations or compute buffers, logits or
 * output buffer, fixed overhead), where they live, and which runtime source files the model follows.
 *
 * @param runtime     the runtime assumed (never AUTO: resolved before estimating)
 * @param estimate    the parts with their formulas and assumptions
 * @param deviceBytes bytes that must sit in the accelerator's memory (all of it on a CPU or unified-memory device)
 * @param hostBytes   bytes the runtime keeps in host memory beside the device (llama.cpp's output buffer and, with
 *                    {@code --no-kv-offload}, the KV cache); 0 when there is no separate host
 * @param sources     the runtime's source files and functions this estimate follows
 */
public record RuntimeMemory(
        Runtime runtime, MemoryEstimate estimate, long deviceBytes, long hostBytes, List<String> sources) {
    public RuntimeMemory {
        sources = List.copyOf(sources);
        if (runtime == Runtime.AUTO) {
            throw new IllegalArgumentException("resolve AUTO to a runtime before estimating");
        }
        if (deviceBytes < 0 || hostBytes < 0) {
            throw new IllegalArgumentException("negative bytes");
        }
    }
}
