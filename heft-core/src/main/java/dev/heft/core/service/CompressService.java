package dev.heft.core.service;

import dev.heft.core.api.report.CompressReport;
import dev.heft.core.api.report.CompressReport.KeptGroup;
import dev.heft.core.api.report.CompressReport.Pruning;
import dev.heft.core.api.report.CompressReport.Quantization;
import dev.heft.core.api.report.CompressReport.Side;
import dev.heft.core.api.request.CompressRequest;
import dev.heft.core.arch.gguf.GgufArchitecture;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.classify.TensorClassifier;
import dev.heft.core.compress.Applicability;
import dev.heft.core.compress.ArchitectureEdits;
import dev.heft.core.compress.PlannedTensor;
import dev.heft.core.compress.QuantPlan;
import dev.heft.core.compress.SparseStorage;
import dev.heft.core.compress.TensorSpec;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heft compress}: what quantization, pruning and distillation buy, before and after: parameters, weight bytes,
 * bits per weight, inference memory at a context, and the devices the model newly fits. Structured pruning and
 * distillation derive a new config whose counts come from the same engine; quantization uses the exact per-tensor
 * planner; unstructured sparsity is priced in the storage format that would hold it.
 */
public final class CompressService {
    private CompressService() {}

    public static CompressReport run(
            ResolvedModel model, ModelProfile before, CompressRequest request, DeviceRegistry registry) {
        List<String> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        ModelProfile after = before;

        Optional<String> distill = request.distill();
        Optional<String> prune = request.prune();
        boolean structured = prune.isPresent() && prune.get().contains("=");
        if (distill.isPresent() || structured) {
            JsonObject config = config(model);
            if (distill.isPresent()) {
                if (distill.get().contains("=")) {
                    config = ArchitectureEdits.distill(config, after.shape().orElseThrow(), distill.get());
                    after = ModelProfile.of(ResolvedModel.Described.of(
                            before.label() + " student", config, "derived: " + distill.get()));
                    steps.add("distill to a student with " + distill.get() + " of the teacher");
                } else {
                    ResolvedModel student = ModelResolver.catalog(distill.get());
                    after = ModelProfile.of(student);
                    config = after.architecture().isPresent() ? config(student) : config;
                    steps.add("distill into catalog model " + distill.get());
                }
            }
            if (structured) {
                JsonObject pruned = ArchitectureEdits.prune(
                        config,
                        after.shape()
                                .orElseThrow(() ->
                                        new InvalidInputException("structured pruning needs a transformer shape")),
                        prune.get());
                after = ModelProfile.of(ResolvedModel.Described.of(
                        before.label() + " pruned", pruned, "derived: prune " + prune.get()));
                steps.add("structured pruning: " + prune.get() + " (a new architecture, counted by the engine)");
            }
        }

        WeightPlan beforePlan = WeightPlan.of(before, null);
        WeightPlan afterPlan = WeightPlan.of(after, request.quant().orElse(null));
        request.quant().ifPresent(q -> steps.add("quantize to " + afterPlan.format()));
        long afterBytes = afterPlan.bytes();
        long afterParameters = afterPlan.parameters();
        Optional<Map<String, KeptGroup>> kept = Optional.empty();
        if (request.keep().isPresent()) {
            if (afterPlan.plan().isEmpty() || request.quant().isEmpty()) {
                throw new InvalidInputException(
                        "keep: needs --quant (there is no per-tensor plan to keep tensors " + "out of)");
            }
            Map<String, KeptGroup> groups = new LinkedHashMap<>();
            long keptTensors = keep(afterPlan.plan().get(), request.keep().get(), groups);
            afterBytes +=
                    groups.values().stream().mapToLong(KeptGroup::bytesDelta).sum();
            steps.add("keep " + request.keep().get() + " (" + keptTensors + " tensors)");
            kept = Optional.of(groups);
        }

        Optional<Pruning> pruning = Optional.empty();
        if (prune.isPresent() && !structured) {
            Pruning p = unstructured(after, afterPlan, prune.get(), request.sparseFormat());
            long sparseBytes = p.storageBytes().get(p.format());
            afterBytes += sparseBytes - p.prunableBytesDense();
            afterParameters -= p.parametersRemoved();
            steps.add("unstructured pruning " + prune.get() + " stored as " + p.format());
            notes.add("pruning: " + p.note());
            pruning = Optional.of(p);
        }
        if (steps.isEmpty()) {
            throw new InvalidInputException("compress: give at least one of --quant, --prune, --distill");
        }

        dev.heft.core.api.request.Workload workload = Workloads.forModel(before, request.workload(), notes);
        InferenceOptions io = Workloads.inference(workload);
        List<Device> devices = new ArrayList<>();
        for (String d : request.devices()) {
            devices.add(registry.find(d.trim()));
        }
        WeightPlan afterEffective = new WeightPlan(
                afterPlan.format(), afterBytes, afterParameters, afterPlan.plan(), afterPlan.computeKey());
        Side b = side(before, beforePlan, io, devices, true);
        // A derived model (student, pruned) keeps the teacher's precision but was never published.
        Side a = side(after, afterEffective, io, devices, after == before);
        Optional<CompressReport.Shape> afterShape =
                after == before ? Optional.empty() : after.shape().map(CompressService::shape);
        List<String> newly =
                a.fits().stream().filter(d -> !b.fits().contains(d)).toList();
        List<String> lost = b.fits().stream().filter(d -> !a.fits().contains(d)).toList();
        Optional<Quantization> quantization = afterPlan.plan().map(p -> {
            Map<String, Long> encodings = new LinkedHashMap<>();
            p.encodingCounts().forEach((k, v) -> encodings.put(k, v.longValue()));
            if (p.applicability() instanceof Applicability.NotApplicable na) {
                notes.add(0, "quantization n/a: " + na.reason() + "; the after column keeps every tensor unquantized");
                return new Quantization(p.format(), encodings, p.notes(), false, Optional.of(na.reason()));
            }
            return new Quantization(p.format(), encodings, p.notes());
        });
        notes.addAll(after.notes());
        return new CompressReport(
                before.label(),
                steps,
                io.context(),
                io.batch(),
                b,
                a,
                newly,
                lost,
                quantization,
                kept,
                pruning,
                notes,
                before.contextWarnings(io.context(), MemoryService.encoderContext(before, workload)),
                afterShape);
    }

    /** What a derived config builds: its layers, widths and experts. */
    private static CompressReport.Shape shape(TransformerShape s) {
        return new CompressReport.Shape(
                s.layers(),
                s.hiddenSize(),
                s.attentionHeads(),
                s.kvHeads(),
                s.intermediateSize(),
                s.moe().map(TransformerShape.Moe::experts));
    }

    private static Side side(
            ModelProfile m, WeightPlan w, InferenceOptions io, List<Device> devices, boolean ownPrecision) {
        List<String> fits = new ArrayList<>();
        for (Device d : devices) {
            if (Deployment.fit(m, w, d, io, io.context()).fits()) {
                fits.add(d.id());
            }
        }
        return new Side(
                m.label(),
                w.parameters(),
                w.bytes(),
                MemoryService.round4(w.bitsPerWeight()),
                w.format(),
                Deployment.memory(m, w, io).peak(),
                fits,
                ownPrecision ? MemoryService.origin(w) : Optional.empty());
    }

    /** The config an edit starts from: the model's own, or one derived from its GGUF metadata. */
    private static JsonObject config(ResolvedModel model) {
        return switch (model) {
            case ResolvedModel.Described d ->
                d.config()
                        .orElseThrow(() -> new InvalidInputException(
                                d.label() + ": no config.json to derive a pruned or distilled architecture from"));
            case ResolvedModel.Stored s ->
                s.inventory()
                        .config()
                        .or(() -> s.inventory().format() == ModelFormat.GGUF
                                ? GgufArchitecture.toHfConfig(s.inventory().metadata())
                                : Optional.empty())
                        .orElseThrow(
                                () -> new InvalidInputException(
                                        s.label() + ": structured pruning and distillation "
                                                + "need the architecture (a config.json beside the weights or GGUF hyperparameters)"));
            case ResolvedModel.Network n ->
                throw new InvalidInputException(
                        n.label() + ": structured pruning and "
                                + "distillation of torch.nn networks are not modelled; quantization and unstructured pruning are");
        };
    }

    /** Applies {@code --keep groups[=dtype]} into {@code groups}; returns how many tensors were kept. */
    private static long keep(QuantPlan plan, String spec, Map<String, KeptGroup> groups) {
        TensorClassifier classifier = new TensorClassifier();
        long count = 0;
        for (String item : spec.split(",")) {
            String[] kv = item.split("=", 2);
            String group = kv[0].trim().toLowerCase(Locale.ROOT);
            DType dtype = kv.length == 2 ? plainDtype(kv[1].trim()) : DType.BF16;
            EnumSet<LayerKind> kinds = switch (group) {
                case "embeddings", "embedding" -> EnumSet.of(LayerKind.EMBEDDING);
                case "head", "lm_head", "output" -> EnumSet.of(LayerKind.HEAD);
                case "attention" -> EnumSet.of(LayerKind.ATTENTION);
                case "mlp" -> EnumSet.of(LayerKind.MLP);
                case "experts" -> EnumSet.of(LayerKind.EXPERTS);
                case "router" -> EnumSet.of(LayerKind.ROUTER);
                case "norms", "norm" -> EnumSet.of(LayerKind.NORM);
                default ->
                    throw new InvalidInputException("keep: unknown group '" + group
                            + "' (known: embeddings, head, attention, mlp, experts, router, norms)");
            };
            long groupDelta = 0;
            for (PlannedTensor t : plan.tensors()) {
                if (kinds.contains(classifier.classify(t.name(), t.shape()).kind())) {
                    groupDelta += dtype.bytesFor(t.elements()) - t.bytes();
                    count++;
                }
            }
            groups.put(group, new KeptGroup(dtype.displayName(), groupDelta));
        }
        return count;
    }

    private static DType plainDtype(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "bf16" -> DType.BF16;
            case "fp16", "f16" -> DType.F16;
            case "fp32", "f32" -> DType.F32;
            case "fp8", "f8_e4m3" -> DType.F8_E4M3;
            case "int8", "i8", "q8" -> DType.I8;
            default -> throw new InvalidInputException("keep: dtype '" + s + "' (known: bf16, fp16, fp32, fp8, int8)");
        };
    }

    /**
     * Unstructured pruning of the linear weights inside blocks (embeddings, head and norms stay dense, as pruning
     * tools do), priced in every sparse storage format.
     */
    private static Pruning unstructured(ModelProfile m, WeightPlan w, String spec, Optional<String> format) {
        String t = spec.trim();
        boolean semi = t.equals("2:4");
        double sparsity = semi ? 0.5 : parsePercent(t);
        SparseStorage chosen =
                format.map(SparseStorage::parse).orElse(semi ? SparseStorage.SEMI_2_4 : SparseStorage.BITMASK);
        TensorClassifier classifier = new TensorClassifier();
        List<SparseStorage.Matrix> matrices = new ArrayList<>();
        long prunableBytes = 0;
        long prunableParams = 0;
        List<PlannedTensor> planned = w.plan().map(QuantPlan::tensors).orElse(List.of());
        double nativeBits = w.bitsPerWeight();
        if (planned.isEmpty()) {
            for (TensorSpec spec2 : m.tensors()) {
                long[] s = spec2.shape();
                if (prunable(classifier, spec2.name(), s)) {
                    long cols = s[s.length - 1];
                    matrices.add(new SparseStorage.Matrix(spec2.elements() / cols, cols, nativeBits));
                    prunableParams += spec2.elements();
                }
            }
            prunableBytes = (long) Math.ceil(prunableParams * nativeBits / 8);
        } else {
            for (PlannedTensor p : planned) {
                long[] s = p.shape();
                if (prunable(classifier, p.name(), s)) {
                    long cols = s[s.length - 1];
                    matrices.add(new SparseStorage.Matrix(p.elements() / cols, cols, p.bytes() * 8.0 / p.elements()));
                    prunableBytes += p.bytes();
                    prunableParams += p.elements();
                }
            }
        }
        Map<String, Long> storage = new LinkedHashMap<>();
        for (SparseStorage f : SparseStorage.values()) {
            if (f != SparseStorage.SEMI_2_4 || semi) {
                storage.put(storageName(f), f.bytes(matrices, sparsity));
            }
        }
        storage.putIfAbsent(storageName(chosen), chosen.bytes(matrices, sparsity));
        return new Pruning(
                sparsity,
                storageName(chosen),
                prunableParams,
                (long) Math.floor(prunableParams * sparsity),
                prunableBytes,
                storage,
                chosen.note());
    }

    private static boolean prunable(TensorClassifier classifier, String name, long[] shape) {
        LayerKind k = classifier.classify(name, shape).kind();
        return shape.length >= 2 && k != LayerKind.EMBEDDING && k != LayerKind.HEAD && k != LayerKind.NORM;
    }

    private static String storageName(SparseStorage f) {
        return f.name().toLowerCase(Locale.ROOT).replace("semi_2_4", "2:4");
    }

    private static double parsePercent(String t) {
        try {
            double v =
                    t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (!(v > 0 && v < 1)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("prune: expected a sparsity such as 50% or 0.5, 2:4, or heads=N, "
                    + "channels=F, layers=N, experts=N; got '" + t + "'");
        }
    }
}
