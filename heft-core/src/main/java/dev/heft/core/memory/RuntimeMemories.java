package dev.heft.core.memory;

import dev.heft.core.api.request.Runtime;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.hardware.Device;
import java.util.Optional;

/** One entry point for inference memory under a runtime: picks the runtime's own model. */
public final class RuntimeMemories {
    private RuntimeMemories() {}

    /**
     * @param runtime resolved runtime (see {@link RuntimeResolution#resolve})
     * @param device  the device, when the estimate is for one (vLLM sizes its pool from it)
     */
    public static RuntimeMemory estimate(
            Runtime runtime,
            TransformerShape s,
            long weightBytes,
            String weightFormula,
            InferenceOptions o,
            Optional<Device> device) {
        return switch (runtime) {
            case LLAMA_CPP, LLAMA_CPP_CPU -> {
                // heft's --batch is llama.cpp's --parallel: each sequence gets its own context-long share of the cells
                LlamaCppSettings c = o.llamaCpp();
                long seqs = Math.max(c.nSeqMax(), o.batch());
                LlamaCppSettings withSeqs = new LlamaCppSettings(
                        c.nBatch(), c.nUbatch(), c.flashAttention(), c.typeK(), c.typeV(), c.kvOffload(), seqs);
                yield LlamaCppMemory.estimate(
                        s,
                        weightBytes,
                        weightFormula,
                        Math.multiplyExact(o.context(), seqs),
                        withSeqs,
                        runtime == Runtime.LLAMA_CPP);
            }
            case VLLM -> VllmMemory.estimate(s, weightBytes, weightFormula, o, device);
            case PYTORCH, NONE -> {
                MemoryEstimate e = InferenceMemory.estimate(s, weightBytes, weightFormula, o.withRuntime(runtime));
                yield new RuntimeMemory(runtime, e, e.peak(), 0, InferenceMemory.SOURCES);
            }
            case AUTO -> throw new IllegalArgumentException("resolve AUTO first");
        };
    }
}
