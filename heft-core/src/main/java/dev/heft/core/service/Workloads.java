package dev.heft.core.service;

import dev.heft.core.api.request.TrainingRequest;
import dev.heft.core.api.request.Workload;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.Runtime;
import dev.heft.core.memory.TrainingOptions;

/** The request vocabulary as the memory engine takes it. */
final class Workloads {
    private Workloads() {
    }

    static InferenceOptions inference(Workload w) {
        return new InferenceOptions(w.batch(), w.context(), InferenceOptions.Phase.valueOf(w.phase().name()),
                InferenceOptions.Attention.valueOf(w.attention().name()),
                InferenceOptions.Logits.valueOf(w.logits().name()), kvDtype(w.kvDtype()), 2,
                w.encoderContext().orElse(w.context()), true, runtime(w.runtime()));
    }

    static dev.heft.core.tensor.DType kvDtype(String name) {
        try {
            return KvCache.parseDtype(name);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("kv-dtype: " + e.getMessage(), e);
        }
    }

    static Runtime runtime(dev.heft.core.api.request.Runtime r) {
        return Runtime.valueOf(r.name());
    }

    static TrainingOptions training(TrainingRequest t) {
        return new TrainingOptions(t.batch(), t.context(), TrainingOptions.Optimizer.valueOf(t.optimizer().name()),
                TrainingOptions.Recipe.valueOf(t.recipe().name()), t.checkpointing(), t.zero(), t.gpus(), t.offload(),
                t.loraRank(), t.qlora());
    }
}
