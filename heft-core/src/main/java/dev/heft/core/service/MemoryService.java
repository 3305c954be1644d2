package dev.heft.core.service;

import dev.heft.core.api.report.MemoryPartEntry;
import dev.heft.core.api.report.MemoryReport;
import dev.heft.core.api.report.MemoryReport.PrecisionRow;
import dev.heft.core.api.report.TrainingReport;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.TrainingRequest;
import dev.heft.core.api.request.TrainingTimeRequest;
import dev.heft.core.compress.Applicability;
import dev.heft.core.compress.QuantPlan;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.memory.InferenceMemory;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.memory.MemoryPart;
import dev.heft.core.memory.MemoryPart.Component;
import dev.heft.core.memory.RuntimeMemory;
import dev.heft.core.memory.TrainingMemory;
import dev.heft.core.memory.TrainingOptions;
import dev.heft.core.memory.TrainingTime;
import dev.heft.core.model.ContextLimit;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.plan.WeightPlans;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code heft memory}: weights at a precision, then inference (weights + KV cache + activations + overhead) or training
 * (+ gradients + optimizer states) memory, every part with its formula; optionally the precision table and the largest
 * context and batch within a budget.
 */
public final class MemoryService {
    /**
     * The precision table's fixed rows when {@code --dtypes} names none; the model's own precision (as stored or
     * published) joins them, and mxfp4 for MoE models ({@link WeightPlans#defaultTable}).
     */
    public static final List<String> DEFAULT_TABLE = List.of(
            "fp32",
            "bf16",
            "fp8",
            "int8",
            "Q8_0",
            "Q6_K",
            "Q5_K_M",
            "Q4_K_M",
            "Q3_K_M",
            "Q2_K",
            "IQ4_XS",
            "gptq-4bit-g128",
            "awq-4bit-g128",
            "nf4-dq");

    private MemoryService() {}

    public static MemoryReport inference(ModelProfile m, MemoryRequest request, DeviceRegistry devices) {
        WeightPlan w = WeightPlan.of(m, request.dtype().orElse(null));
        List<String> sizedAt = new ArrayList<>();
        dev.heft.core.api.request.Workload workload = Workloads.forModel(m, request.workload(), sizedAt);
        InferenceOptions o = Workloads.inference(workload);
        RuntimeMemory rm = Deployment.runtimeMemory(m, w, o, Optional.empty());
        MemoryEstimate e = rm.estimate();
        Optional<Long> budget = Optional.empty();
        Optional<Long> maxContext = Optional.empty();
        Optional<Long> maxBatch = Optional.empty();
        if (request.budget().isPresent()) {
            if (m.shape().isEmpty()) {
                throw new InvalidInputException("budget: the longest context and largest batch are modelled for "
                        + "transformers; " + m.label() + " has no transformer shape");
            }
            long bytes = budgetBytes(request.budget().get(), devices);
            budget = Optional.of(bytes);
            // Never longer than the model was built for.
            long limit = m.contextLimit().map(ContextLimit::tokens).orElse(1L << 24);
            maxContext = Optional.of(InferenceMemory.maxContext(m.shape().get(), w.bytes(), o, bytes, limit));
            maxBatch = Optional.of(InferenceMemory.maxBatch(m.shape().get(), w.bytes(), o, bytes, 1L << 20));
        }
        Optional<List<PrecisionRow>> precisions =
                request.precisions().map(list -> precisionTable(m, o, WeightPlans.expand(m, list, DEFAULT_TABLE)));
        return new MemoryReport(
                m.label(),
                m.parameters(),
                w.format(),
                round4(w.bitsPerWeight()),
                o.batch(),
                o.context(),
                request.workload().phase().id(),
                request.workload().attention().id(),
                o.kvDtype().displayName(),
                e.bytes(Component.WEIGHTS),
                e.bytes(Component.KV_CACHE),
                e.bytes(Component.ACTIVATIONS),
                e.bytes(Component.LOGITS),
                e.bytes(Component.GRADIENTS),
                e.bytes(Component.OPTIMIZER),
                e.bytes(Component.AUTOCAST_COPIES),
                e.bytes(Component.OVERHEAD),
                parts(e),
                e.bytes(Component.ACTIVATIONS) + e.bytes(Component.LOGITS),
                e.total(),
                concat(sizedAt, e.assumptions()),
                budget,
                maxContext,
                maxBatch,
                precisions,
                request.workload().logits().id(),
                rm.runtime().id(),
                rm.deviceBytes(),
                rm.hostBytes(),
                rm.runtime().isLlamaCpp() ? Optional.of(o.llamaCpp().typeK().displayName()) : Optional.empty(),
                rm.runtime().isLlamaCpp() ? Optional.of(o.llamaCpp().typeV().displayName()) : Optional.empty(),
                origin(w),
                concat(notApplicable(w), m.contextWarnings(o.context(), encoderContext(m, workload))),
                m.contextLimit().map(ContextLimit::tokens));
    }

    /**
     * A warning when the precision asked for cannot be made of this model (llama-quantize has no fallback for a row,
     * a format that quantizes nothing): the weights shown are then the unquantized model's, never a quantized figure.
     */
    static List<String> notApplicable(WeightPlan w) {
        if (w.isNative()) {
            return List.of();
        }
        return w.plan()
                .map(QuantPlan::applicability)
                .filter(a -> a instanceof Applicability.NotApplicable)
                .map(a -> List.of(w.format() + " is n/a for this model: " + ((Applicability.NotApplicable) a).reason()
                        + "; the weights below are the model's own, unquantized"))
                .orElse(List.of());
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** "as stored" or "as published" when the plan is the model's own precision. */
    static Optional<String> origin(WeightPlan w) {
        return w.isNative() ? w.own().map(n -> n.origin().text()) : Optional.empty();
    }

    /** The encoder length asked for, for encoder-decoder models (--encoder-context, else --context). */
    static Optional<Long> encoderContext(ModelProfile m, dev.heft.core.api.request.Workload w) {
        boolean seq2seq = m.shape().flatMap(s -> s.encoderDecoder()).isPresent();
        return seq2seq ? Optional.of(w.encoderContext().orElse(w.context())) : Optional.empty();
    }

    public static TrainingReport training(ModelProfile m, TrainingRequest request, DeviceRegistry devices) {
        if (m.shape().isEmpty()) {
            throw new InvalidInputException(m.label() + ": training memory is modelled for transformer architectures "
                    + "(a config.json, an LLM catalog model or GGUF metadata); for a torch.nn network heft gives its "
                    + "inference memory, fit and speed, and its FLOPs (estimate)");
        }
        TrainingOptions t = Workloads.training(request);
        MemoryEstimate e =
                TrainingMemory.estimate(m.shape().get(), m.parameters(), m.embeddingParameters(), t, request.runtime());
        return new TrainingReport(
                m.label(),
                m.parameters(),
                true,
                request.optimizer().id(),
                request.recipe().id(),
                t.batch(),
                t.sequence(),
                t.checkpointing(),
                t.zero(),
                t.gpus(),
                t.loraRank(),
                e.bytes(Component.WEIGHTS),
                e.bytes(Component.KV_CACHE),
                e.bytes(Component.ACTIVATIONS),
                e.bytes(Component.LOGITS),
                e.bytes(Component.GRADIENTS),
                e.bytes(Component.OPTIMIZER),
                e.bytes(Component.AUTOCAST_COPIES),
                e.bytes(Component.OVERHEAD),
                parts(e),
                e.bytes(Component.ACTIVATIONS) + e.bytes(Component.LOGITS),
                e.total(),
                e.peak(),
                e.assumptions(),
                t.cpuOffload(),
                t.qlora(),
                request.time().map(time -> trainingTime(m, t, time, devices)));
    }

    /** Tokens per second and hours for the token budget on each device setup (6N FLOPs per token, MFU stated). */
    private static List<TrainingReport.TimeRow> trainingTime(
            ModelProfile m, TrainingOptions t, TrainingTimeRequest time, DeviceRegistry devices) {
        List<TrainingReport.TimeRow> rows = new ArrayList<>();
        for (String id : time.devices()) {
            Device d = devices.find(id);
            if (!d.ratesKnown()) {
                throw SpeedService.unknownRates(d);
            }
            TrainingTime tt = TrainingTime.of(
                    m.shape().orElseThrow(),
                    m.parameters(),
                    t,
                    d,
                    time.tokens(),
                    time.mfu().orElse(0.0));
            rows.add(new TrainingReport.TimeRow(
                    d.id(),
                    time.tokens(),
                    Math.round(tt.tokensPerSecond()),
                    Math.round(tt.hours() * 100) / 100.0,
                    tt.mfu(),
                    tt.flopsPerToken(),
                    tt.assumptions()));
        }
        return rows;
    }

    static List<MemoryPartEntry> parts(MemoryEstimate e) {
        List<MemoryPartEntry> out = new ArrayList<>();
        for (MemoryPart p : e.parts()) {
            out.add(new MemoryPartEntry(p.component().key(), p.bytes(), p.formula()));
        }
        return out;
    }

    private static List<PrecisionRow> precisionTable(ModelProfile m, InferenceOptions o, List<String> formats) {
        List<PrecisionRow> rows = new ArrayList<>();
        long fp16 = m.parameters() * 2;
        List<WeightPlan> plans;
        try {
            plans = WeightPlans.of(m, formats);
        } catch (InvalidInputException ex) {
            throw new InvalidInputException("dtypes: " + ex.getMessage(), ex);
        }
        for (WeightPlan w : plans) {
            MemoryEstimate e = Deployment.memory(m, w, o);
            double savings = fp16 == 0 ? 0 : 1.0 - (double) w.bytes() / fp16;
            Optional<String> na = w.isNative()
                    ? Optional.empty()
                    : w.plan()
                            .map(QuantPlan::applicability)
                            .filter(a -> a instanceof Applicability.NotApplicable)
                            .map(a -> ((Applicability.NotApplicable) a).reason());
            rows.add(new PrecisionRow(
                    w.format(),
                    round4(w.bitsPerWeight()),
                    w.bytes(),
                    round4(savings),
                    e.peak(),
                    na.isEmpty(),
                    na,
                    origin(w)));
        }
        return rows;
    }

    /** A budget is a size (24GB, 80GiB) or a device id in {@code devices} (its usable memory). */
    public static long budgetBytes(String s, DeviceRegistry devices) {
        Optional<Device> device = budgetDevice(s, devices);
        if (device.isPresent()) {
            return device.get().usableBytes();
        }
        long bytes;
        try {
            bytes = DeviceCatalog.parseBytes(s);
        } catch (InvalidInputException e) {
            // The size parser speaks of custom devices; say what --budget wants.
            throw new InvalidInputException(
                    "budget: '" + s + "' is not a positive memory size; give one such as "
                            + "24GB or 80GiB, or a device id",
                    e);
        }
        if (bytes <= 0) {
            throw new InvalidInputException("budget: '" + s + "' is no memory at all; give a size such as 24GB");
        }
        return bytes;
    }

    /** The device a budget names; empty when it is a size (24GB, 80GiB; a size starts with a digit, 8xh100 does not). */
    static Optional<Device> budgetDevice(String s, DeviceRegistry devices) {
        if (!s.isEmpty()
                && Character.isDigit(s.charAt(0))
                && !s.toLowerCase(Locale.ROOT).contains("x")) {
            return Optional.empty();
        }
        return Optional.of(devices.find(s));
    }

    static double round4(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
