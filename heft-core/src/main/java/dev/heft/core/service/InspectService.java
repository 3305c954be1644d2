package dev.heft.core.service;

import dev.heft.core.compress.LlamaFileType;
import dev.heft.core.compress.LlamaQuantPlanner;
import dev.heft.core.compress.ModelFacts;
import dev.heft.core.compress.PlannedTensor;
import dev.heft.core.compress.QuantPlan;
import dev.heft.core.compress.TensorSpec;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import dev.heft.core.model.ModelSource;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.report.InspectJson;
import dev.heft.core.report.InspectReport;
import dev.heft.core.report.InspectText;
import java.util.Set;

/** {@code heft inspect}: exact weight accounting of stored weights. */
public final class InspectService {
    public static final Set<String> OPTIONS = Set.of("tensors");

    private InspectService() {
    }

    public static Result run(ResolvedModel model, Options o) {
        o.requireOnly(OPTIONS);
        if (!(model instanceof ResolvedModel.Stored stored)) {
            throw new InvalidInputException("'" + model.label() + "' is an architecture description, not stored "
                    + "weights: use 'estimate' for it");
        }
        TensorInventory inv = stored.inventory();
        List<String> extra = ggufTypeNotes(inv);
        if (!extra.isEmpty()) {
            inv = inv.withNotes(extra);
        }
        InspectReport report = InspectReport.of(inv);
        boolean tensors = o.flag("tensors");
        Map<String, Object> json = InspectJson.toMap(report, tensors);
        String text = InspectText.render(report, tensors);
        if (stored.source().isPresent()) {
            json = new java.util.LinkedHashMap<>(json);
            json.putAll(sourceJson(stored.source().get()));
            int firstLine = text.indexOf('\n') + 1;
            text = text.substring(0, firstLine) + "Source       " + sourceText(stored.source().get()) + "\n"
                    + text.substring(firstLine);
        }
        return new Result(json, text);
    }

    /**
     * {@code source} (where the weights were found: {@code kind} hf, hf-cache, url or ollama, {@code id},
     * {@code revision}, {@code commit}, {@code location}, {@code requests}) and {@code transferred_bytes} (response body
     * bytes received over the network, 0 when none).
     */
    public static Map<String, Object> sourceJson(ModelSource s) {
        Map<String, Object> src = new java.util.LinkedHashMap<>();
        src.put("kind", s.kind().jsonName());
        src.put("id", s.id());
        src.put("revision", s.revision().orElse(null));
        src.put("commit", s.commit().orElse(null));
        src.put("location", s.location().orElse(null));
        src.put("requests", s.requests());
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("source", src);
        out.put("transferred_bytes", s.transferredBytes());
        return out;
    }

    static String sourceText(ModelSource s) {
        StringBuilder sb = new StringBuilder(s.kind().jsonName()).append(' ').append(s.id());
        s.revision().ifPresent(r -> sb.append(" @ ").append(r));
        s.commit().ifPresent(c -> sb.append(", commit ").append(c.length() > 12 ? c.substring(0, 12) : c));
        if (s.requests() > 0) {
            sb.append(", ").append(dev.heft.core.report.Units.bytes(s.transferredBytes())).append(" transferred in ")
                    .append(s.requests()).append(s.requests() == 1 ? " request" : " requests");
        } else if (s.kind() != ModelSource.Kind.URL && s.kind() != ModelSource.Kind.HUB) {
            sb.append(", no network");
        }
        return sb.toString();
    }

    /**
     * For a llama.cpp file, replays llama-quantize's per-tensor rules for its {@code general.file_type} and says which
     * tensors got fallback types (a file named Q4_K_M can be mostly Q5_0 and F16 when its rows do not fill K-quant
     * blocks), or that the types differ from the rules (a custom --tensor-type mix or another tool).
     */
    static List<String> ggufTypeNotes(TensorInventory inv) {
        if (inv.format() != ModelFormat.GGUF || !(inv.metadata().get("general.file_type") instanceof Long id)) {
            return List.of();
        }
        Optional<LlamaFileType> ftype = LlamaFileType.fromId(id);
        if (ftype.isEmpty() || ftype.get() == LlamaFileType.F32) {
            return List.of();
        }
        try {
            List<TensorSpec> specs = new ArrayList<>();
            for (Tensor t : inv.tensors()) {
                specs.add(new TensorSpec(t.name(), t.shape(), DType.F32));
            }
            QuantPlan plan = LlamaQuantPlanner.plan(specs, ModelFacts.fromGgufMetadata(inv.metadata()), ftype.get());
            Map<String, Integer> fallbacks = new TreeMap<>();
            int differ = 0;
            for (Tensor t : inv.tensors()) {
                Optional<PlannedTensor> p = plan.tensor(t.name());
                if (p.isEmpty() || !p.get().encoding().equals(t.dtype().displayName())) {
                    differ++;
                } else if (p.get().reason().contains("fallback")) {
                    fallbacks.merge(t.dtype().displayName(), 1, Integer::sum);
                }
            }
            String name = ftype.get().name();
            if (differ == 0) {
                int n = fallbacks.values().stream().mapToInt(Integer::intValue).sum();
                return List.of("file type " + name + ": every tensor type is what llama-quantize's rules give"
                        + (n == 0 ? "" : "; " + n + " tensors needed fallback types because their rows do not fill "
                        + "the type's blocks (" + String.join(", ", fallbacks.entrySet().stream()
                        .map(e -> e.getKey() + " x" + e.getValue()).toList()) + ")"));
            }
            return List.of("file type " + name + ": " + differ + " tensors have other types than llama-quantize's "
                    + "default rules give (a custom --tensor-type mix, an importance matrix, or another tool)");
        } catch (HeftException e) {
            return List.of();
        }
    }
}
