package dev.heft.core.service;

import dev.heft.core.arch.gguf.GgufArchitecture;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.classify.TensorClassifier;
import dev.heft.core.compress.ArchitectureEdits;
import dev.heft.core.compress.PlannedTensor;
import dev.heft.core.compress.QuantPlan;
import dev.heft.core.compress.SparseStorage;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code heft compress}: what quantization, pruning and distillation buy, before and after: parameters, weight bytes,
 * bits per weight, inference memory at a context, and the devices the model newly fits. Structured pruning and
 * distillation derive a new config whose counts come from the same engine; quantization uses the exact per-tensor
 * planner; unstructured sparsity is priced in the storage format that would hold it.
 */
public final class CompressService {
    public static final Set<String> OPTIONS = Set.of("quant", "prune", "distill", "keep", "sparse-format", "devices",
            "batch", "context", "phase", "attention", "logits", "kv-dtype", "runtime", "encoder-context");

    private CompressService() {
    }

    public static Result run(ResolvedModel model, Options o) {
        o.requireOnly(OPTIONS);
        ModelProfile before = ModelProfile.of(model);
        List<String> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        ModelProfile after = before;

        Optional<String> distill = o.string("distill");
        Optional<String> prune = o.string("prune");
        boolean structured = prune.isPresent() && prune.get().contains("=");
        if (distill.isPresent() || structured) {
            JsonObject config = config(model);
            if (distill.isPresent()) {
                if (distill.get().contains("=")) {
                    config = ArchitectureEdits.distill(config, after.shape().orElseThrow(), distill.get());
                    after = ModelProfile.of(ResolvedModel.Described.of(before.label() + " student", config,
                            "derived: " + distill.get()));
                    steps.add("distill to a student with " + distill.get() + " of the teacher");
                } else {
                    after = ModelProfile.of(ModelResolver.catalog(distill.get()));
                    config = after.architecture().isPresent() ? config(ModelResolver.catalog(distill.get())) : config;
                    steps.add("distill into catalog model " + distill.get());
                }
            }
            if (structured) {
                JsonObject pruned = ArchitectureEdits.prune(config, after.shape().orElseThrow(() ->
                        new InvalidInputException("structured pruning needs a transformer shape")), prune.get());
                after = ModelProfile.of(ResolvedModel.Described.of(before.label() + " pruned", pruned,
                        "derived: prune " + prune.get()));
                steps.add("structured pruning: " + prune.get() + " (a new architecture, counted by the engine)");
            }
        }

        WeightPlan beforePlan = WeightPlan.of(before, null);
        Optional<String> quant = o.string("quant");
        WeightPlan afterPlan = WeightPlan.of(after, quant.orElse(null));
        if (quant.isPresent()) {
            steps.add("quantize to " + afterPlan.format());
        }
        long afterBytes = afterPlan.bytes();
        long afterParameters = afterPlan.parameters();
        Map<String, Object> keepJson = new LinkedHashMap<>();
        if (o.string("keep").isPresent()) {
            if (afterPlan.plan().isEmpty()) {
                throw new InvalidInputException("keep: needs --quant (there is no per-tensor plan to keep tensors out of)");
            }
            long[] kept = keep(afterPlan.plan().get(), o.string("keep").get(), keepJson);
            afterBytes += kept[0];
            steps.add("keep " + o.string("keep").get() + " (" + kept[1] + " tensors)");
        }

        Map<String, Object> pruneJson = new LinkedHashMap<>();
        if (prune.isPresent() && !structured) {
            long[] r = unstructured(after, afterPlan, prune.get(), o.string("sparse-format"), pruneJson, notes);
            afterBytes += r[0];
            afterParameters -= r[1];
            steps.add("unstructured pruning " + prune.get() + " stored as " + pruneJson.get("format"));
        }
        if (steps.isEmpty()) {
            throw new InvalidInputException("compress: give at least one of --quant, --prune, --distill");
        }

        InferenceOptions io = o.inference();
        List<Device> devices = new ArrayList<>();
        for (String d : o.string("devices", FitService.DEFAULT_DEVICES).split(",")) {
            devices.add(o.devices().find(d.trim()));
        }
        WeightPlan afterEffective = new WeightPlan(afterPlan.format(), afterBytes, afterParameters, afterPlan.plan(),
                afterPlan.computeKey());
        Map<String, Object> b = side(before, beforePlan, io, devices);
        Map<String, Object> a = side(after, afterEffective, io, devices);
        @SuppressWarnings("unchecked")
        List<String> fitsBefore = (List<String>) b.get("fits");
        @SuppressWarnings("unchecked")
        List<String> fitsAfter = (List<String>) a.get("fits");
        List<String> newly = fitsAfter.stream().filter(d -> !fitsBefore.contains(d)).toList();
        List<String> lost = fitsBefore.stream().filter(d -> !fitsAfter.contains(d)).toList();

        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.compress/1");
        j.put("model", before.label());
        j.put("steps", steps);
        j.put("context", io.context());
        j.put("batch", io.batch());
        j.put("before", b);
        j.put("after", a);
        j.put("newly_fits", newly);
        j.put("no_longer_fits", lost);
        afterPlan.plan().ifPresent(p -> {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("format", p.format());
            q.put("encodings", p.encodingCounts());
            q.put("notes", p.notes());
            j.put("quantization", q);
        });
        if (!keepJson.isEmpty()) {
            j.put("keep", keepJson);
        }
        if (!pruneJson.isEmpty()) {
            j.put("pruning", pruneJson);
        }
        notes.addAll(after.notes());
        j.put("notes", notes);
        return new Result(j, text(j, b, a, newly, lost, steps, notes));
    }

    private static Map<String, Object> side(ModelProfile m, WeightPlan w, InferenceOptions io, List<Device> devices) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("label", m.label());
        s.put("parameters", w.parameters());
        s.put("bytes", w.bytes());
        s.put("bits_per_weight", Math.round(w.bitsPerWeight() * 1e4) / 1e4);
        s.put("format", w.format());
        MemoryEstimate mem = Deployment.memory(m, w, io);
        s.put("memory_bytes", mem.peak());
        List<String> fits = new ArrayList<>();
        for (Device d : devices) {
            if (Deployment.fit(m, w, d, io, io.context()).fits()) {
                fits.add(d.id());
            }
        }
        s.put("fits", fits);
        return s;
    }

    /** The config an edit starts from: the model's own, or one derived from its GGUF metadata. */
    private static JsonObject config(ResolvedModel model) {
        return switch (model) {
            case ResolvedModel.Described d -> d.config().orElseThrow(() -> new InvalidInputException(d.label()
                    + ": no config.json to derive a pruned or distilled architecture from"));
            case ResolvedModel.Stored s -> s.inventory().config().or(() -> s.inventory().format() == ModelFormat.GGUF
                    ? GgufArchitecture.toHfConfig(s.inventory().metadata()) : Optional.empty())
                    .orElseThrow(() -> new InvalidInputException(s.label() + ": structured pruning and distillation "
                            + "need the architecture (a config.json beside the weights or GGUF hyperparameters)"));
            case ResolvedModel.Network n -> throw new InvalidInputException(n.label() + ": structured pruning and "
                    + "distillation of torch.nn networks are not modelled; quantization and unstructured pruning are");
        };
    }

    /** Applies --keep groups[=dtype]: returns {byte change, tensors kept}. */
    private static long[] keep(QuantPlan plan, String spec, Map<String, Object> json) {
        TensorClassifier classifier = new TensorClassifier();
        long delta = 0;
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
                default -> throw new InvalidInputException("keep: unknown group '" + group
                        + "' (known: embeddings, head, attention, mlp, experts, router, norms)");
            };
            long groupDelta = 0;
            for (PlannedTensor t : plan.tensors()) {
                if (kinds.contains(classifier.classify(t.name(), t.shape()).kind())) {
                    groupDelta += dtype.bytesFor(t.elements()) - t.bytes();
                    count++;
                }
            }
            json.put(group, Map.of("dtype", dtype.displayName(), "bytes_delta", groupDelta));
            delta += groupDelta;
        }
        return new long[] {delta, count};
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
     * tools do): returns {byte change, parameters removed}.
     */
    private static long[] unstructured(ModelProfile m, WeightPlan w, String spec, Optional<String> format,
                                       Map<String, Object> json, List<String> notes) {
        String t = spec.trim();
        boolean semi = t.equals("2:4");
        double sparsity = semi ? 0.5 : parsePercent(t);
        SparseStorage chosen = format.map(SparseStorage::parse).orElse(semi ? SparseStorage.SEMI_2_4
                : SparseStorage.BITMASK);
        TensorClassifier classifier = new TensorClassifier();
        List<SparseStorage.Matrix> matrices = new ArrayList<>();
        long prunableBytes = 0;
        long prunableParams = 0;
        List<PlannedTensor> planned = w.plan().map(QuantPlan::tensors).orElse(List.of());
        double nativeBits = w.bitsPerWeight();
        if (planned.isEmpty()) {
            for (var spec2 : m.tensors()) {
                long[] s = spec2.shape();
                LayerKind k = classifier.classify(spec2.name(), s).kind();
                if (s.length >= 2 && k != LayerKind.EMBEDDING && k != LayerKind.HEAD && k != LayerKind.NORM) {
                    long cols = s[s.length - 1];
                    matrices.add(new SparseStorage.Matrix(spec2.elements() / cols, cols, nativeBits));
                    prunableParams += spec2.elements();
                }
            }
            prunableBytes = (long) Math.ceil(prunableParams * nativeBits / 8);
        } else {
            for (PlannedTensor p : planned) {
                long[] s = p.shape();
                LayerKind k = classifier.classify(p.name(), s).kind();
                if (s.length >= 2 && k != LayerKind.EMBEDDING && k != LayerKind.HEAD && k != LayerKind.NORM) {
                    long cols = s[s.length - 1];
                    matrices.add(new SparseStorage.Matrix(p.elements() / cols, cols, p.bytes() * 8.0 / p.elements()));
                    prunableBytes += p.bytes();
                    prunableParams += p.elements();
                }
            }
        }
        Map<String, Object> storage = new LinkedHashMap<>();
        for (SparseStorage f : SparseStorage.values()) {
            if (f == SparseStorage.SEMI_2_4 && !semi) {
                continue;
            }
            storage.put(f.name().toLowerCase(Locale.ROOT).replace("semi_2_4", "2:4"), f.bytes(matrices, sparsity));
        }
        long sparseBytes = chosen.bytes(matrices, sparsity);
        long removed = (long) Math.floor(prunableParams * sparsity);
        json.put("sparsity", sparsity);
        json.put("format", chosen.name().toLowerCase(Locale.ROOT).replace("semi_2_4", "2:4"));
        json.put("prunable_parameters", prunableParams);
        json.put("parameters_removed", removed);
        json.put("prunable_bytes_dense", prunableBytes);
        json.put("storage_bytes", storage);
        json.put("note", chosen.note());
        notes.add("pruning: " + chosen.note());
        return new long[] {sparseBytes - prunableBytes, removed};
    }

    private static double parsePercent(String t) {
        try {
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100
                    : Double.parseDouble(t);
            if (!(v > 0 && v < 1)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("prune: expected a sparsity such as 50% or 0.5, 2:4, or heads=N, "
                    + "channels=F, layers=N, experts=N; got '" + t + "'");
        }
    }

    private static String text(Map<String, Object> j, Map<String, Object> b, Map<String, Object> a,
                               List<String> newly, List<String> lost, List<String> steps, List<String> notes) {
        StringBuilder out = new StringBuilder();
        out.append("Model   ").append(j.get("model")).append('\n');
        out.append("Steps   ").append(String.join("; ", steps)).append("\n\n");
        TextTable t = new TextTable("", "before", "after", "change");
        long pb = (Long) b.get("parameters");
        long pa = (Long) a.get("parameters");
        long bb = (Long) b.get("bytes");
        long ba = (Long) a.get("bytes");
        long mb = (Long) b.get("memory_bytes");
        long ma = (Long) a.get("memory_bytes");
        t.row("parameters", Units.exact(pb), Units.exact(pa), change(pb, pa));
        t.row("weight bytes", Units.bytes(bb), Units.bytes(ba), change(bb, ba));
        t.row("bits per weight", Units.fixed((Double) b.get("bits_per_weight"), 3),
                Units.fixed((Double) a.get("bits_per_weight"), 3), "");
        t.row("memory at context " + j.get("context"), Units.bytes(mb), Units.bytes(ma), change(mb, ma));
        out.append(t.render()).append('\n');
        out.append("Fits before: ").append(String.join(", ", castList(b.get("fits")))).append('\n');
        out.append("Fits after:  ").append(String.join(", ", castList(a.get("fits")))).append('\n');
        out.append("Newly fits:  ").append(newly.isEmpty() ? "none of the devices tried" : String.join(", ", newly))
                .append('\n');
        if (!lost.isEmpty()) {
            out.append("No longer fits: ").append(String.join(", ", lost)).append('\n');
        }
        if (j.containsKey("pruning")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) j.get("pruning");
            out.append("\nSparse storage of the pruned weights\n");
            TextTable s = new TextTable("format", "bytes");
            @SuppressWarnings("unchecked")
            Map<String, Object> storage = (Map<String, Object>) p.get("storage_bytes");
            storage.forEach((k, v) -> s.row(k, Units.bytes((Long) v)));
            out.append(s.render());
        }
        if (!notes.isEmpty()) {
            out.append("\nNotes\n");
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }

    private static String change(long before, long after) {
        if (before == 0) {
            return "";
        }
        double f = (double) after / before - 1;
        return (f > 0 ? "+" : f < 0 ? "-" : "") + Units.percent(Math.abs(f));
    }
}
