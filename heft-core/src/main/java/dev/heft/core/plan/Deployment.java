package dev.heft.core.plan;

import dev.heft.core.api.request.Runtime;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.compress.GgufFormat;
import dev.heft.core.compress.PlannedTensor;
import dev.heft.core.compress.PrecisionFormats;
import dev.heft.core.compress.StoredTensor;
import dev.heft.core.error.HeftException;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.hardware.SpeedModel;
import dev.heft.core.hardware.SpeedResult;
import dev.heft.core.memory.InferenceMemory;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.memory.MemoryPart;
import dev.heft.core.memory.RuntimeMemories;
import dev.heft.core.memory.RuntimeMemory;
import dev.heft.core.memory.RuntimeResolution;
import dev.heft.core.memory.VllmMemory;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Composes weights, memory and speed for a model on a device: the engine behind {@code memory}, {@code fit} and
 * {@code speed}, shared by the CLI and the HTTP API. The runtime decides how memory is laid out
 * ({@link RuntimeMemories}); when a model does not fit and runs on llama.cpp, {@link Offload} splits it.
 */
public final class Deployment {
    /** Why an encoder has a prefill rate and nothing else. */
    public static final String ENCODER_ONLY = "encoder-only model: one forward pass per input, so no decode rate and "
            + "no time to first token; prefill is the rate it reads inputs at";

    /** Host memory assumed for offloaded layers when no {@code --host} device is named. */
    public static final String DEFAULT_HOST = "cpu-ddr5";

    private Deployment() {}

    /** Whether the weights are llama.cpp's: a GGUF file as stored, or a llama.cpp quantization type. */
    public static boolean llamaCppWeights(ModelProfile m, WeightPlan w) {
        if (w.plan().isEmpty()) {
            return m.nativeDtype().toLowerCase(Locale.ROOT).startsWith("gguf");
        }
        try {
            return PrecisionFormats.parse(w.format()) instanceof GgufFormat;
        } catch (HeftException e) {
            return false;
        }
    }

    public static Runtime runtimeFor(ModelProfile m, WeightPlan w, InferenceOptions o, Optional<Device> d) {
        return RuntimeResolution.resolve(o.runtime(), llamaCppWeights(m, w), d.map(Device::category));
    }

    /** Inference memory; weights only (with a note) when the model's shape is unknown. */
    public static MemoryEstimate memory(ModelProfile m, WeightPlan w, InferenceOptions o) {
        return runtimeMemory(m, w, o, Optional.empty()).estimate();
    }

    /** Inference memory under the runtime the options and the model resolve to. */
    public static RuntimeMemory runtimeMemory(ModelProfile m, WeightPlan w, InferenceOptions o, Optional<Device> d) {
        Runtime rt = runtimeFor(m, w, o, d);
        if (m.shape().isEmpty()) {
            MemoryEstimate e = new MemoryEstimate(
                    List.of(new MemoryPart(MemoryPart.Component.WEIGHTS, w.bytes(), w.formula())),
                    w.bytes(),
                    m.notes());
            return new RuntimeMemory(rt == Runtime.AUTO ? Runtime.PYTORCH : rt, e, w.bytes(), 0, List.of());
        }
        InferenceOptions opts = m.generative() ? o : o.withGenerative(false);
        return RuntimeMemories.estimate(rt, m.shape().get(), w.bytes(), w.formula(), opts, d);
    }

    /** The on-device estimate, whether or not the model fits (see {@link #speedOn} for the honest answer). */
    public static Optional<SpeedEstimate> speed(
            ModelProfile m, WeightPlan w, Device d, InferenceOptions o, long promptTokens) {
        if (m.shape().isEmpty() || !d.ratesKnown()) {
            return Optional.empty();
        }
        TransformerShape s = m.shape().get();
        long kvPerToken = m.generative() ? KvCache.of(s, 1, 1, o.kvDtype(), 0).bytes() : 0;
        return Optional.of(SpeedModel.estimate(
                s,
                w.bytes(),
                w.parameters(),
                d,
                w.computeKey(),
                o.batch(),
                o.context(),
                promptTokens,
                kvPerToken,
                matrices(m)));
    }

    /** The speed a user can act on: on the device when it fits, offloaded when llama.cpp can split it, else none. */
    public static SpeedResult speedOn(
            ModelProfile m, WeightPlan w, Device d, InferenceOptions o, long promptTokens, Optional<Device> host) {
        FitRow r = fit(m, w, d, o, o.context(), host, promptTokens);
        return r.speedResult();
    }

    /** Weight matrices read per decode step (one kernel each): every planned tensor of rank 2+ but the embedding. */
    static long matrices(ModelProfile m) {
        long n = m.tensors().stream()
                .filter(t -> t.shape().length >= 2 && !t.name().contains("token_embd"))
                .count();
        boolean hasHead = m.tensors().stream()
                .anyMatch(t -> t.name().equals("output.weight") || t.name().contains("lm_head"));
        return hasHead ? n : n + 1;
    }

    public static FitRow fit(ModelProfile m, WeightPlan w, Device d, InferenceOptions options, long limitContext) {
        return fit(m, w, d, options, limitContext, Optional.empty(), options.context());
    }

    public static FitRow fit(
            ModelProfile m,
            WeightPlan w,
            Device d,
            InferenceOptions o,
            long limitContext,
            Optional<Device> host,
            long promptTokens) {
        Runtime rt = runtimeFor(m, w, o, Optional.of(d));
        InferenceOptions ro = o.withRuntime(rt);
        RuntimeMemory rm = runtimeMemory(m, w, ro, Optional.of(d));
        long usable = d.usableBytes();
        boolean fits;
        String why = "";
        long headroom;
        Optional<VllmMemory.Capacity> vllm = Optional.empty();
        if (rt == Runtime.VLLM && m.shape().isPresent() && m.generative()) {
            VllmMemory.Capacity c = VllmMemory.capacity(m.shape().get(), w.bytes(), ro, d);
            vllm = Optional.of(c);
            fits = c.fits();
            headroom = c.kvPool() - c.perSequence();
            if (!fits) {
                why = "vLLM's KV pool (" + Units.bytes(Math.max(0, c.kvPool())) + " of gpu_memory_utilization "
                        + ro.vllm().gpuMemoryUtilization() + " x " + Units.bytes(d.memoryBytes()) + ") cannot hold one "
                        + o.context() + "-token sequence (" + Units.bytes(c.perSequence()) + ")";
            }
        } else {
            headroom = usable - rm.deviceBytes();
            fits = headroom >= 0;
            if (!fits) {
                why = "needs " + rm.deviceBytes() + " B, " + usable + " B usable";
            }
        }
        Optional<Long> maxBuffer = d.maxBufferBytes();
        if (maxBuffer.isPresent()) {
            long largest = largestTensor(m, w);
            if (largest > maxBuffer.get()) {
                fits = false;
                why = "largest tensor " + largest + " B exceeds the " + maxBuffer.get() + " B buffer limit";
            }
        }
        long maxContext = maxContext(m, w, ro, d, limitContext, vllm);
        Optional<OffloadPlan> offload = Optional.empty();
        SpeedResult speed;
        if (m.shape().isEmpty()) {
            speed = new SpeedResult.NoSpeed("speed is modelled for transformer architectures (a config.json, an LLM "
                    + "catalog model or GGUF metadata)");
        } else if (!d.ratesKnown()) {
            speed = unknownRates(d);
        } else if (fits) {
            speed = new SpeedResult.Estimated(speed(m, w, d, ro, promptTokens).orElseThrow(), "all on " + d.id());
        } else if (rt == Runtime.LLAMA_CPP
                && (d.category().isGpu() || d.category() == dev.heft.core.hardware.DeviceCategory.CUSTOM)
                && maxBuffer.isEmpty()) {
            Device h = host.orElseGet(() -> DeviceCatalog.find(DEFAULT_HOST));
            Offload.Parts parts = Offload.parts(m, w);
            OffloadPlan plan = Offload.plan(
                    m.shape().get(),
                    parts,
                    rm,
                    d,
                    ro.llamaCpp().kvOffload(),
                    host.map(Device::usableBytes).orElse(0L));
            offload = Optional.of(plan);
            speed = h.ratesKnown() ? offloadedSpeed(m, w, d, h, ro, promptTokens, plan, parts, rm) : unknownRates(h);
        } else {
            speed = new SpeedResult.NoSpeed(
                    "does not fit: " + why
                            + (rt.isLlamaCpp() || m.shape().isEmpty()
                                    ? ""
                                    : "; with --runtime llama.cpp and a llama.cpp type, part of it could run from host memory"));
        }
        return new FitRow(d, w, rm.estimate(), fits, headroom, maxContext, speed.estimated(), why, rm, offload, speed);
    }

    /** A detected machine ({@code local}) whose bandwidth or throughput the catalog does not know. */
    private static SpeedResult unknownRates(Device d) {
        return new SpeedResult.NoSpeed("memory bandwidth and throughput of " + d.id() + " are unknown ('heft devices' "
                + "says what was detected)");
    }

    private static SpeedResult offloadedSpeed(
            ModelProfile m,
            WeightPlan w,
            Device d,
            Device host,
            InferenceOptions o,
            long promptTokens,
            OffloadPlan plan,
            Offload.Parts parts,
            RuntimeMemory rm) {
        if (plan.kind() == OffloadPlan.Kind.NONE) {
            return new SpeedResult.NoSpeed("does not fit on " + d.id() + " even with layers offloaded to host memory"
                    + " (the compute buffer and output layer alone need more than the device has)");
        }
        SpeedEstimate onDevice = speed(m, w, d, o, promptTokens).orElseThrow();
        TransformerShape s = m.shape().get();
        long layers = Math.max(1, s.layers());
        long kv = rm.estimate().bytes(MemoryPart.Component.KV_CACHE);
        long kvRead = onDevice.decodeBytesPerStep() - Math.min(onDevice.decodeBytesPerStep(), w.bytes());
        long hostRead;
        long hostWeights;
        String placement;
        if (plan.kind() == OffloadPlan.Kind.MOE_EXPERTS) {
            TransformerShape.Moe moe = s.moe().orElseThrow();
            long sparse = Math.max(1, moe.sparseLayers().size());
            hostWeights = parts.routedExperts() / sparse * plan.cpuMoeLayers();
            double touched =
                    moe.experts() * (1 - Math.pow(1 - (double) moe.expertsPerToken() / moe.experts(), o.batch()));
            hostRead = (long) (hostWeights * touched / moe.experts());
            placement = "experts of " + plan.cpuMoeLayers() + " layers in host memory (" + host.id() + ")";
        } else {
            long cpuLayers = layers - (plan.gpuLayers() - 1);
            hostWeights = parts.repeating() / layers * cpuLayers;
            double fraction = (double) cpuLayers / layers;
            long moeDiscount = s.moe().isPresent()
                    ? (long) ((w.bytes() - (onDevice.decodeBytesPerStep() - kvRead)) * fraction)
                    : 0;
            hostRead = (long) (hostWeights - moeDiscount + (o.llamaCpp().kvOffload() ? kvRead * fraction : kvRead));
            placement = plan.gpuLayers() + " of " + plan.totalLayers() + " layers on " + d.id() + ", the rest on the "
                    + "CPU (" + host.id() + ")";
        }
        SpeedEstimate split = SpeedModel.split(
                onDevice,
                Math.max(0, hostRead),
                hostWeights,
                d,
                host,
                o.batch(),
                promptTokens,
                Math.min(o.llamaCpp().nUbatch(), o.llamaCpp().nBatch()));
        return new SpeedResult.Estimated(split, placement);
    }

    /** Longest context (at batch 1) whose device memory fits, under the runtime's own layout. */
    static long maxContext(
            ModelProfile m,
            WeightPlan w,
            InferenceOptions o,
            Device d,
            long limit,
            Optional<VllmMemory.Capacity> vllm) {
        if (m.shape().isEmpty() || !m.generative()) {
            // No KV cache: the whole input length fits once the weights do (the limit is the model's own).
            return w.bytes() <= d.usableBytes() && m.shape().isPresent() ? limit : 0;
        }
        TransformerShape s = m.shape().get();
        InferenceOptions one = o.withBatch(1);
        Runtime rt = o.runtime();
        if (rt == Runtime.VLLM) {
            VllmMemory.Capacity c = vllm.orElseGet(() -> VllmMemory.capacity(s, w.bytes(), one, d));
            return largest(
                    limit,
                    ctx -> VllmMemory.perSequenceKv(
                                    s,
                                    ctx,
                                    one.vllm().batchedTokens(d.memoryBytes(), d.id()),
                                    one.vllm(),
                                    one.kvDtype())
                            <= c.kvPool());
        }
        if (rt.isLlamaCpp()) {
            return largest(
                    limit,
                    ctx -> RuntimeMemories.estimate(rt, s, w.bytes(), "", one.withContext(ctx), Optional.of(d))
                                    .deviceBytes()
                            <= d.usableBytes());
        }
        return InferenceMemory.maxContext(s, w.bytes(), one, d.usableBytes(), limit);
    }

    static long largest(long limit, LongPredicate fits) {
        long hi = Math.max(1, limit);
        if (!fits.test(1)) {
            return 0;
        }
        long lo = 1;
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (fits.test(mid)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
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
        return m.tensors().stream()
                .mapToLong(t -> t.elements() * bytesPerParam)
                .max()
                .orElse(0);
    }

    public static List<FitRow> fitAll(
            ModelProfile m, List<WeightPlan> plans, List<Device> devices, InferenceOptions o, long limitContext) {
        return fitAll(m, plans, devices, o, limitContext, Optional.empty());
    }

    public static List<FitRow> fitAll(
            ModelProfile m,
            List<WeightPlan> plans,
            List<Device> devices,
            InferenceOptions o,
            long limitContext,
            Optional<Device> host) {
        List<FitRow> rows = new ArrayList<>();
        for (Device d : devices) {
            for (WeightPlan w : plans) {
                rows.add(fit(m, w, d, o, limitContext, host, o.context()));
            }
        }
        return rows;
    }
}
