package dev.heft.core.plan;

import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.compress.PlannedTensor;
import dev.heft.core.compress.StoredTensor;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.hardware.SpeedModel;
import dev.heft.core.memory.InferenceMemory;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.memory.MemoryPart;
import dev.heft.core.model.ModelProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Composes weights, memory and speed for a model on a device: the engine behind {@code memory}, {@code fit} and
 * {@code speed}, shared by the CLI and the HTTP API.
 */
public final class Deployment {
    private Deployment() {
    }

    /** Inference memory; weights only (with a note) when the model's shape is unknown. */
    public static MemoryEstimate memory(ModelProfile m, WeightPlan w, InferenceOptions o) {
        if (m.shape().isEmpty()) {
            return new MemoryEstimate(List.of(new MemoryPart(MemoryPart.Component.WEIGHTS, w.bytes(), w.formula())),
                    w.bytes(), m.notes());
        }
        InferenceOptions opts = m.generative() ? o : new InferenceOptions(o.batch(), o.context(), o.phase(),
                o.attention(), o.logits(), o.kvDtype(), o.activationBytes(), o.encoderContext(), false, o.runtime());
        return InferenceMemory.estimate(m.shape().get(), w.bytes(), w.formula(), opts);
    }

    public static Optional<SpeedEstimate> speed(ModelProfile m, WeightPlan w, Device d, InferenceOptions o,
                                                long promptTokens) {
        if (m.shape().isEmpty() || !d.ratesKnown()) {
            return Optional.empty();
        }
        TransformerShape s = m.shape().get();
        long kvPerToken = m.generative() ? KvCache.of(s, 1, 1, o.kvDtype(), 0).bytes() : 0;
        return Optional.of(SpeedModel.estimate(s, w.bytes(), w.parameters(), d, w.computeKey(), o.batch(),
                o.context(), promptTokens, kvPerToken, matrices(m)));
    }

    /** Weight matrices read per decode step (one kernel each): every planned tensor of rank 2+ but the embedding. */
    static long matrices(ModelProfile m) {
        long n = m.tensors().stream().filter(t -> t.shape().length >= 2 && !t.name().contains("token_embd")).count();
        boolean hasHead = m.tensors().stream().anyMatch(t -> t.name().equals("output.weight")
                || t.name().contains("lm_head"));
        return hasHead ? n : n + 1;
    }

    public static FitRow fit(ModelProfile m, WeightPlan w, Device d, InferenceOptions options, long limitContext) {
        InferenceOptions o = options.withRuntime(options.runtime().forDevice(d.category()));
        MemoryEstimate mem = memory(m, w, o);
        long usable = d.usableBytes();
        long headroom = usable - mem.peak();
        String why = "";
        boolean fits = headroom >= 0;
        if (!fits) {
            why = "needs " + mem.peak() + " B, " + usable + " B usable";
        }
        Optional<Long> maxBuffer = d.maxBufferBytes();
        if (maxBuffer.isPresent()) {
            long largest = largestTensor(m, w);
            if (largest > maxBuffer.get()) {
                fits = false;
                why = "largest tensor " + largest + " B exceeds the " + maxBuffer.get() + " B buffer limit";
            }
        }
        long maxContext = 0;
        if (m.shape().isPresent() && m.generative()) {
            maxContext = InferenceMemory.maxContext(m.shape().get(), w.bytes(), o.withBatch(1), usable, limitContext);
        } else if (w.bytes() <= usable) {
            maxContext = m.shape().map(TransformerShape::maxPositions).orElse(0L);
        }
        return new FitRow(d, w, mem, fits, headroom, maxContext, speed(m, w, d, o, o.context()), why);
    }

    private static long largestTensor(ModelProfile m, WeightPlan w) {
        if (w.plan().isPresent()) {
            long max = 0;
            for (PlannedTensor t : w.plan().get().tensors()) {
                for (StoredTensor s : t.stored()) {
                    max = Math.max(max, s.bytes());
                }
            }
            return max;
        }
        long bytesPerParam = m.parameters() == 0 ? 0 : Math.max(1, w.bytes() / m.parameters());
        return m.tensors().stream().mapToLong(t -> t.elements() * bytesPerParam).max().orElse(0);
    }

    public static List<FitRow> fitAll(ModelProfile m, List<WeightPlan> plans, List<Device> devices,
                                      InferenceOptions o, long limitContext) {
        List<FitRow> rows = new ArrayList<>();
        for (Device d : devices) {
            for (WeightPlan w : plans) {
                rows.add(fit(m, w, d, o, limitContext));
            }
        }
        return rows;
    }
}
