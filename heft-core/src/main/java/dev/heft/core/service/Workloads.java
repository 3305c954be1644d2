package dev.heft.core.service;

import dev.heft.core.api.request.LlamaCppOptions;
import dev.heft.core.api.request.TrainingRequest;
import dev.heft.core.api.request.VllmOptions;
import dev.heft.core.api.request.Workload;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.LlamaCppSettings;
import dev.heft.core.memory.TrainingOptions;
import dev.heft.core.memory.VllmSettings;
import dev.heft.core.model.ContextLimit;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.report.Units;
import dev.heft.core.tensor.DType;
import java.util.List;

/** The request vocabulary as the memory engine takes it. */
final class Workloads {
    private Workloads() {}

    /**
     * The workload a model is sized at: a default context longer than the model's limit (4096 for GPT-2, built for
     * 1024) becomes the limit, with a note saying so; a context the user asked for stays, and the reports warn.
     */
    static Workload forModel(ModelProfile m, Workload w, List<String> notes) {
        if (!w.contextDefaulted()
                || m.contextLimit().isEmpty()
                || m.contextLimit().get().tokens() >= w.context()) {
            return w;
        }
        ContextLimit l = m.contextLimit().get();
        notes.add("context " + Units.exact(l.tokens()) + ": " + m.label() + "'s limit (" + l.basis() + "), not the "
                + "default " + Units.exact(w.context()));
        Workload capped = w.withContext(l.tokens()).withDefaultContext(true);
        return l.encoderTokens()
                .filter(e -> w.encoderContext().isEmpty() && e < w.context())
                .map(capped::withEncoderContext)
                .orElse(capped);
    }

    static InferenceOptions inference(Workload w) {
        DType kv = kvDtype(w.kvDtype());
        return new InferenceOptions(
                w.batch(),
                w.context(),
                w.phase(),
                w.attention(),
                w.logits(),
                kv,
                2,
                w.encoderContext().orElse(w.context()),
                true,
                w.runtime(),
                llamaCpp(w.llamaCpp(), kv),
                vllm(w.vllm()));
    }

    /**
     * llama.cpp's settings. {@code --kv-dtype} sets both cache types when it names one llama.cpp has (q8_0, q4_0,
     * ...) and neither {@code --cache-type-k} nor {@code -v} says otherwise; bf16, the PyTorch default, leaves
     * llama.cpp at its own f16.
     */
    static LlamaCppSettings llamaCpp(LlamaCppOptions o, DType kv) {
        LlamaCppSettings d = LlamaCppSettings.defaults();
        DType both = kv != DType.BF16 && LlamaCppSettings.CACHE_TYPES.contains(kv) ? kv : d.typeK();
        return new LlamaCppSettings(
                o.nBatch(),
                o.ubatch(),
                o.flashAttention(),
                o.cacheTypeK().map(LlamaCppSettings::parseCacheType).orElse(both),
                o.cacheTypeV().map(LlamaCppSettings::parseCacheType).orElse(both),
                o.kvOffload(),
                d.nSeqMax());
    }

    static VllmSettings vllm(VllmOptions o) {
        VllmSettings d = VllmSettings.defaults();
        return new VllmSettings(
                o.gpuMemoryUtilization(),
                d.blockSize(),
                o.maxNumBatchedTokens().orElse(0L),
                d.maxNumSeqs(),
                o.cudaGraphs());
    }

    static DType kvDtype(String name) {
        try {
            return KvCache.parseDtype(name);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("kv-dtype: " + e.getMessage(), e);
        }
    }

    static TrainingOptions training(TrainingRequest t) {
        return new TrainingOptions(
                t.batch(),
                t.context(),
                t.optimizer(),
                t.recipe(),
                t.checkpointing(),
                t.zero(),
                t.gpus(),
                t.offload(),
                t.loraRank(),
                t.qlora());
    }
}
