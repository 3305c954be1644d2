package dev.heft.core.model;

import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.gguf.GgufArchitecture;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfArchitectures;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.compress.Applicability;
import dev.heft.core.compress.CompressionPlanner;
import dev.heft.core.compress.ModelFacts;
import dev.heft.core.compress.PlainFormat;
import dev.heft.core.compress.PublishedPrecision;
import dev.heft.core.compress.QuantPlan;
import dev.heft.core.compress.TensorSpec;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.names.LlamaCppNames;
import dev.heft.core.report.InspectReport;
import dev.heft.core.report.Units;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.InventoryLimits;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the memory, fit, speed and compress engines need to know about a model, whichever way it was given: its
 * parameters, where they sit, its shape (for KV cache and FLOPs), the tensors to plan precisions over, and the bytes
 * its weights take as given. Built once from a {@link ResolvedModel}.
 *
 * @param label               the model as the user named it
 * @param parameters          unique parameters
 * @param embeddingParameters parameters in embedding tables
 * @param nativePrecision     the model's own precision: as stored (a file), as published (a config's
 *                            quantization_config or torch_dtype, a catalog entry's checkpoint) or assumed (bf16)
 * @param shape               the transformer shape, when heft knows it (from a config, the catalog or GGUF metadata)
 * @param architecture        the analytic counts, for described models and files with a config.json
 * @param tensors             tensors to plan precisions over, llama.cpp-named where heft can name them
 * @param facts               llama.cpp's view of the model for its per-tensor type rules
 * @param generative          whether the model generates tokens (keeps a KV cache)
 * @param notes               what the profile had to assume
 * @param byKind              parameters per layer kind (display names), largest first
 * @param contextLimit        the longest sequence the model was built for, when its config or metadata says
 */
public record ModelProfile(
        String label,
        long parameters,
        long embeddingParameters,
        NativePrecision nativePrecision,
        Optional<TransformerShape> shape,
        Optional<HfArchitecture> architecture,
        List<TensorSpec> tensors,
        Optional<ModelFacts> facts,
        boolean generative,
        List<String> notes,
        Map<String, Long> byKind,
        Optional<ContextLimit> contextLimit) {
    public ModelProfile {
        tensors = List.copyOf(tensors);
        notes = List.copyOf(notes);
        byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
    }

    /** Bytes of the weights in the model's own precision (as stored, as published, or bf16 assumed). */
    public long nativeWeightBytes() {
        return nativePrecision.bytes();
    }

    /** The model's own precision as reports print it ("bf16", "mxfp4", "gguf file (Q4_K+F32)"). */
    public String nativeDtype() {
        return nativePrecision.label();
    }

    /** Context-limit warnings for a workload ({@code context}, and {@code encoderContext} for seq2seq models). */
    public List<String> contextWarnings(long context, Optional<Long> encoderContext) {
        return contextLimit.map(l -> l.warnings(label, context, encoderContext)).orElse(List.of());
    }

    private static Map<String, Long> kinds(Map<LayerKind, Long> byKind) {
        Map<String, Long> out = new LinkedHashMap<>();
        byKind.forEach((k, v) -> out.put(k.displayName(), v));
        return out;
    }

    public static ModelProfile of(ResolvedModel model) {
        return switch (model) {
            case ResolvedModel.Described d -> described(d);
            case ResolvedModel.Stored s -> stored(s);
            case ResolvedModel.Network n -> network(n);
        };
    }

    private static ModelProfile described(ResolvedModel.Described d) {
        HfArchitecture a = d.architecture();
        List<String> notes = new ArrayList<>();
        bounded(d.label(), a.counts().parameters());
        List<TensorSpec> specs = SyntheticTensors.of(a, DType.BF16, notes);
        ModelFacts facts = facts(a.shape(), a.modelType());
        // A catalog entry knows its published checkpoint; any other description states what its config says.
        PublishedPrecision published = LlmCatalog.entryFor(d.label(), d.source())
                .map(CatalogEntry::publishedPrecision)
                .orElseGet(() -> PublishedPrecision.of(d.config().orElse(EMPTY)));
        NativePrecision own = published(a, specs, facts, published, notes);
        Optional<ContextLimit> limit = ContextLimit.of(d.config().orElse(EMPTY), Optional.of(a.shape()), "config.json");
        return new ModelProfile(
                d.label(),
                a.counts().parameters(),
                a.counts().embeddingParameters(),
                own,
                Optional.of(a.shape()),
                Optional.of(a),
                specs,
                Optional.of(facts),
                isGenerative(a),
                notes,
                kinds(a.counts().byKind()),
                limit);
    }

    private static final JsonObject EMPTY = new JsonObject(Map.of());

    /**
     * The weights as published: a plain type is every parameter in it; a quantized layout (MXFP4 experts, FP8 with
     * block scales) is planned tensor by tensor, as for any other format, plus the buffers the checkpoint stores
     * beside the weights.
     */
    private static NativePrecision published(
            HfArchitecture a, List<TensorSpec> specs, ModelFacts facts, PublishedPrecision p, List<String> notes) {
        long parameters = a.counts().parameters();
        notes.addAll(p.notes());
        if (!p.stated()) {
            notes.add("described model: weights counted in bf16 unless --dtype says otherwise (" + p.basis() + ")");
            return new NativePrecision(
                    "bf16",
                    DType.BF16.bytesFor(parameters),
                    NativePrecision.Origin.ASSUMED,
                    p.basis(),
                    Optional.of(p.format()),
                    Optional.empty());
        }
        if (a.checkpointOnlyParameters() > 0) {
            notes.add("the published checkpoint also stores " + Units.exact(a.checkpointOnlyParameters())
                    + " parameters transformers does not build (multi-token prediction); runtimes load them only "
                    + "for speculative decoding, so they are not counted in the weights");
        }
        if (p.format() instanceof PlainFormat plain) {
            return new NativePrecision(
                    plain.label(),
                    plain.dtype().bytesFor(parameters),
                    NativePrecision.Origin.PUBLISHED,
                    p.basis(),
                    Optional.of(plain),
                    Optional.empty());
        }
        QuantPlan plan = CompressionPlanner.plan(specs, facts, p.format(), Optional.of(p.keepType()));
        if (plan.applicability() instanceof Applicability.NotApplicable na) {
            notes.add("the published " + p.format().label() + " layout stores nothing quantized in this "
                    + "architecture (" + na.reason() + "); its weights are counted in " + p.keepType());
        }
        long buffers = StoredBuffers.bytes(a);
        String basis = p.basis() + (buffers > 0 ? "; plus " + StoredBuffers.describe(a) : "");
        return new NativePrecision(
                p.format().label(),
                Math.addExact(plan.bytes(), buffers),
                NativePrecision.Origin.PUBLISHED,
                basis,
                Optional.of(p.format()),
                Optional.of(plan));
    }

    /**
     * A described model (a config, a layer spec) is held to the bound every stored model is ({@link InventoryLimits}):
     * a count past 2^53 is no model, and bytes and FLOPs derived from it must not overflow.
     */
    private static long bounded(String label, long parameters) {
        if (parameters > InventoryLimits.MAX_TOTAL) {
            throw new InvalidInputException(label + ": describes " + parameters + " parameters, more than the "
                    + InventoryLimits.MAX_TOTAL + " (2^53) heft counts in a model");
        }
        return parameters;
    }

    private static ModelProfile network(ResolvedModel.Network n) {
        var counts = n.counts().apply(n.defaultInput());
        List<TensorSpec> specs = new ArrayList<>();
        for (var t : n.tensors().get()) {
            if (t.role() == TensorRole.WEIGHT) {
                long[] dims =
                        t.shape().dims().stream().mapToLong(Long::longValue).toArray();
                specs.add(new TensorSpec(t.name(), dims, DType.F32));
            }
        }
        NativePrecision own = new NativePrecision(
                "fp32",
                bounded(n.label(), counts.parameters()) * 4,
                NativePrecision.Origin.ASSUMED,
                "torch.nn modules are created in float32",
                Optional.of(new PlainFormat(DType.F32)),
                Optional.empty());
        return new ModelProfile(
                n.label(),
                counts.parameters(),
                counts.embeddingParameters(),
                own,
                Optional.empty(),
                Optional.empty(),
                specs,
                Optional.empty(),
                false,
                List.of("torch.nn network: weights counted in fp32 unless --dtype says otherwise; activation memory "
                        + "is not modelled for it, only the weights"),
                kinds(counts.byKind()),
                Optional.empty());
    }

    private static ModelProfile stored(ResolvedModel.Stored s) {
        TensorInventory inv = s.inventory();
        InspectReport report = InspectReport.of(inv);
        List<String> notes = new ArrayList<>();
        Optional<HfArchitecture> arch = Optional.empty();
        Optional<ModelFacts> facts = Optional.empty();
        Optional<JsonObject> config = Optional.empty();
        String configFrom = "config.json";
        if (inv.config().isPresent()) {
            config = inv.config();
            try {
                arch = Optional.of(HfArchitectures.count(inv.config().get()));
            } catch (HeftException e) {
                notes.add("config.json beside the weights could not be read as an architecture: " + e.getMessage());
            }
        } else if (inv.format() == ModelFormat.GGUF) {
            config = GgufArchitecture.toHfConfig(inv.metadata());
            configFrom = "GGUF";
            arch = config.flatMap(cfg -> {
                try {
                    return Optional.of(HfArchitectures.count(cfg));
                } catch (HeftException e) {
                    notes.add("GGUF hyperparameters could not be mapped to an architecture: " + e.getMessage());
                    return Optional.empty();
                }
            });
            try {
                facts = Optional.of(ModelFacts.fromGgufMetadata(inv.metadata()));
            } catch (HeftException e) {
                notes.add("no llama.cpp model facts in the metadata: " + e.getMessage());
            }
        }
        if (facts.isEmpty() && arch.isPresent()) {
            facts = Optional.of(facts(arch.get().shape(), arch.get().modelType()));
        }
        if (arch.isEmpty()) {
            notes.add("no architecture description (config.json or known GGUF metadata): KV cache, activations and "
                    + "FLOPs cannot be estimated, only the weights");
        }
        List<TensorSpec> specs = new ArrayList<>();
        for (Tensor t : inv.tensors()) {
            if (t.role() == TensorRole.WEIGHT) {
                // Packed quantized weights are planned at their layers' logical shapes, from bf16 (what their
                // dequantized values are computed in), never at their storage shapes.
                DType source = t.packing().isPresent() ? DType.BF16 : t.dtype().isQuantized() ? DType.F32 : t.dtype();
                specs.add(new TensorSpec(t.name(), t.logicalShape(), source));
            }
        }
        List<String> storedAs = new ArrayList<>(
                report.packed().stream().map(InspectReport.PackedTotals::layout).toList());
        report.byDtype().forEach((d, totals) -> {
            long packed = report.packed().isEmpty()
                    ? 0
                    : inv.tensors().stream()
                            .filter(t -> t.packing().isPresent() && t.dtype() == d)
                            .count();
            if (packed < totals.tensors()) {
                storedAs.add(d.displayName());
            }
        });
        long overhead = report.quantOverheadBytes();
        if (overhead > 0) {
            notes.add("weights as stored include " + Units.exact(overhead) + " bytes of quantization scales, zero "
                    + "points and indices beside the " + Units.exact(report.weightBytes()) + " bytes of weights");
        }
        NativePrecision own = new NativePrecision(
                inv.format().displayName() + " file ("
                        + String.join(report.packed().isEmpty() ? "+" : " + ", storedAs) + ")",
                Math.addExact(report.weightBytes(), overhead),
                NativePrecision.Origin.STORED,
                "the tensors of the file",
                Optional.empty(),
                Optional.empty());
        Optional<TransformerShape> shape = arch.map(HfArchitecture::shape);
        String from = configFrom;
        Optional<ContextLimit> limit = config.flatMap(c -> ContextLimit.of(c, shape, from));
        if (inv.format() == ModelFormat.GGUF) {
            // The converted config's max_position_embeddings is the file's context_length: llama.cpp's n_ctx_train.
            limit = limit.map(l -> new ContextLimit(
                    l.tokens(),
                    l.encoderTokens(),
                    "GGUF context_length " + Units.exact(l.tokens()) + ", llama.cpp's n_ctx_train"));
        }
        return new ModelProfile(
                s.label(),
                inv.parameters(),
                report.embeddingParameters(),
                own,
                shape,
                arch,
                specs,
                facts,
                arch.map(ModelProfile::isGenerative).orElse(inv.format() == ModelFormat.GGUF),
                notes,
                stored(report),
                limit);
    }

    private static Map<String, Long> stored(InspectReport report) {
        Map<String, Long> out = new LinkedHashMap<>();
        report.byKind().forEach((k, v) -> out.put(k.displayName(), v.parameters()));
        return out;
    }

    static boolean isGenerative(HfArchitecture a) {
        String c = a.modelClass();
        return c.endsWith("ForCausalLM") || c.endsWith("LMHeadModel") || c.endsWith("ForConditionalGeneration");
    }

    /** llama.cpp's facts from a shape: architecture name as llama.cpp calls the family. */
    static ModelFacts facts(TransformerShape s, String modelType) {
        String arch = LlamaCppNames.llamaCppArch(modelType).orElse(modelType);
        int experts = s.moe().map(m -> (int) m.experts()).orElse(0);
        return ModelFacts.of(arch, (int) Math.max(1, s.layers()), (int) s.attentionHeads(), (int) s.kvHeads(), experts);
    }
}
