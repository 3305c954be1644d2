package dev.heft.core.model;

import dev.heft.core.arch.gguf.GgufArchitecture;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfArchitectures;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.compress.ModelFacts;
import dev.heft.core.compress.TensorSpec;
import dev.heft.core.error.HeftException;
import dev.heft.core.names.LlamaCppNames;
import dev.heft.core.report.InspectReport;
import dev.heft.core.report.Units;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import dev.heft.core.classify.LayerKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * What the memory, fit, speed and compress engines need to know about a model, whichever way it was given: its
 * parameters, where they sit, its shape (for KV cache and FLOPs), the tensors to plan precisions over, and the bytes
 * its weights take as given. Built once from a {@link ResolvedModel}.
 *
 * @param label               the model as the user named it
 * @param parameters          unique parameters
 * @param embeddingParameters parameters in embedding tables
 * @param nativeWeightBytes   bytes of the weights as stored (a file) or in the config's torch_dtype (a description)
 * @param nativeDtype         what {@code nativeWeightBytes} is in ("bf16", "Q4_K_M file", ...)
 * @param shape               the transformer shape, when heft knows it (from a config, the catalog or GGUF metadata)
 * @param architecture        the analytic counts, for described models and files with a config.json
 * @param tensors             tensors to plan precisions over, llama.cpp-named where heft can name them
 * @param facts               llama.cpp's view of the model for its per-tensor type rules
 * @param generative          whether the model generates tokens (keeps a KV cache)
 * @param notes               what the profile had to assume
 * @param byKind              parameters per layer kind (display names), largest first
 */
public record ModelProfile(String label, long parameters, long embeddingParameters, long nativeWeightBytes,
                           String nativeDtype, Optional<TransformerShape> shape, Optional<HfArchitecture> architecture,
                           List<TensorSpec> tensors, Optional<ModelFacts> facts, boolean generative,
                           List<String> notes, Map<String, Long> byKind) {
    public ModelProfile {
        tensors = List.copyOf(tensors);
        notes = List.copyOf(notes);
        byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
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
        DType dtype = DType.BF16;
        String nativeName = "bf16";
        long bytes = a.counts().parameters() * 2;
        notes.add("described model: weights counted in " + nativeName + " unless --dtype says otherwise");
        List<TensorSpec> specs = SyntheticTensors.of(a, dtype, notes);
        return new ModelProfile(d.label(), a.counts().parameters(), a.counts().embeddingParameters(), bytes,
                nativeName, Optional.of(a.shape()), Optional.of(a), specs, Optional.of(facts(a.shape(), a.modelType())),
                isGenerative(a), notes, kinds(a.counts().byKind()));
    }

    private static ModelProfile network(ResolvedModel.Network n) {
        var counts = n.counts().apply(n.defaultInput());
        List<TensorSpec> specs = new ArrayList<>();
        for (var t : n.tensors().get()) {
            if (t.role() == TensorRole.WEIGHT) {
                long[] dims = t.shape().dims().stream().mapToLong(Long::longValue).toArray();
                specs.add(new TensorSpec(t.name(), dims, DType.F32));
            }
        }
        return new ModelProfile(n.label(), counts.parameters(), counts.embeddingParameters(), counts.parameters() * 4,
                "fp32", Optional.empty(), Optional.empty(), specs, Optional.empty(), false,
                List.of("torch.nn network: weights counted in fp32 unless --dtype says otherwise; activation memory "
                        + "is not modelled for it, only the weights"), kinds(counts.byKind()));
    }

    private static ModelProfile stored(ResolvedModel.Stored s) {
        TensorInventory inv = s.inventory();
        InspectReport report = InspectReport.of(inv);
        List<String> notes = new ArrayList<>();
        Optional<HfArchitecture> arch = Optional.empty();
        Optional<ModelFacts> facts = Optional.empty();
        if (inv.config().isPresent()) {
            try {
                arch = Optional.of(HfArchitectures.count(inv.config().get()));
            } catch (HeftException e) {
                notes.add("config.json beside the weights could not be read as an architecture: " + e.getMessage());
            }
        } else if (inv.format() == ModelFormat.GGUF) {
            arch = GgufArchitecture.toHfConfig(inv.metadata()).flatMap(cfg -> {
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
        List<String> storedAs = new ArrayList<>(report.packed().stream().map(InspectReport.PackedTotals::layout).toList());
        report.byDtype().forEach((d, totals) -> {
            long packed = report.packed().isEmpty() ? 0 : inv.tensors().stream()
                    .filter(t -> t.packing().isPresent() && t.dtype() == d).count();
            if (packed < totals.tensors()) {
                storedAs.add(d.displayName());
            }
        });
        long overhead = report.quantOverheadBytes();
        if (overhead > 0) {
            notes.add("weights as stored include " + Units.exact(overhead) + " bytes of quantization scales, zero "
                    + "points and indices beside the " + Units.exact(report.weightBytes()) + " bytes of weights");
        }
        return new ModelProfile(s.label(), inv.parameters(), report.embeddingParameters(),
                Math.addExact(report.weightBytes(), overhead),
                inv.format().displayName() + " file (" + String.join(report.packed().isEmpty() ? "+" : " + ", storedAs) + ")",
                arch.map(HfArchitecture::shape), arch, specs,
                facts, arch.map(ModelProfile::isGenerative).orElse(inv.format() == ModelFormat.GGUF), notes,
                stored(report));
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
