package dev.heft.core.service;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code heft compare A B [C...]}: side-by-side columns for any MODEL arguments (a catalog model next to a file on
 * disk, a teacher next to a student): parameters and where they sit, weight bytes, KV cache per token, FLOPs per token
 * and inference memory at one context.
 */
public final class CompareService {
    public static final Set<String> OPTIONS = Set.of("dtype", "batch", "context", "phase", "attention", "logits",
            "kv-dtype", "runtime", "encoder-context");

    private CompareService() {
    }

    public static Result run(List<ResolvedModel> models, Options o) {
        o.requireOnly(OPTIONS);
        InferenceOptions io = o.inference();
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ResolvedModel m : models) {
            columns.add(column(m, o.string("dtype").orElse(null), io));
        }
        List<String> header = new ArrayList<>();
        header.add("");
        columns.forEach(c -> header.add((String) c.get("model")));
        TextTable t = new TextTable(header.toArray(String[]::new));
        for (int i = 1; i < header.size(); i++) {
            t.alignRight(i);
        }
        row(t, columns, "parameters", v -> Units.exact((Long) v));
        row(t, columns, "non_embedding_parameters", v -> Units.count((Long) v));
        for (LayerKind k : LayerKind.values()) {
            if (columns.stream().anyMatch(c -> kinds(c).containsKey(k.displayName()))) {
                List<Object> cells = new ArrayList<>();
                cells.add("  " + k.displayName());
                columns.forEach(c -> cells.add(Units.count(kinds(c).getOrDefault(k.displayName(), 0L))));
                t.row(cells.toArray());
            }
        }
        row(t, columns, "dtype", String::valueOf);
        row(t, columns, "weights_bytes", v -> Units.bytes((Long) v));
        row(t, columns, "kv_cache_bytes_per_token", v -> v == null ? "-" : Units.bytes((Long) v));
        row(t, columns, "flops_per_token", v -> v == null ? "-" : EstimateService.sci((Long) v));
        row(t, columns, "memory_bytes", v -> Units.bytes((Long) v));
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.compare/1");
        j.put("context", io.context());
        j.put("batch", io.batch());
        j.put("models", columns);
        String text = "Compared at context " + io.context() + ", batch " + io.batch() + " (KV cache per token in "
                + io.kvDtype().displayName() + "; FLOPs per token at that context, FlopCounterMode convention)\n\n"
                + t.render();
        return new Result(j, text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> kinds(Map<String, Object> c) {
        return (Map<String, Long>) c.get("by_kind");
    }

    private static void row(TextTable t, List<Map<String, Object>> columns, String key,
                            java.util.function.Function<Object, String> fmt) {
        List<Object> cells = new ArrayList<>();
        cells.add(key.replace('_', ' '));
        columns.forEach(c -> cells.add(fmt.apply(c.get(key))));
        t.row(cells.toArray());
    }

    private static Map<String, Object> column(ResolvedModel m, String dtype, InferenceOptions io) {
        ModelProfile p = ModelProfile.of(m);
        WeightPlan w = WeightPlan.of(p, dtype);
        MemoryEstimate mem = Deployment.memory(p, w, io);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", p.label());
        c.put("parameters", p.parameters());
        c.put("non_embedding_parameters", p.parameters() - p.embeddingParameters());
        Map<String, Long> byKind = new LinkedHashMap<>();
        switch (m) {
            case ResolvedModel.Stored s -> dev.heft.core.report.InspectReport.of(s.inventory()).byKind()
                    .forEach((k, v) -> byKind.put(k.displayName(), v.parameters()));
            case ResolvedModel.Described d -> d.architecture().counts().byKind()
                    .forEach((k, v) -> byKind.put(k.displayName(), v));
            case ResolvedModel.Network n -> n.counts().apply(n.defaultInput()).byKind()
                    .forEach((k, v) -> byKind.put(k.displayName(), v));
        }
        c.put("by_kind", byKind);
        c.put("dtype", w.format());
        c.put("weights_bytes", w.bytes());
        c.put("kv_cache_bytes_per_token", p.shape().filter(s -> p.generative())
                .map(s -> KvCache.of(s, 1, 1, io.kvDtype() == null ? DType.BF16 : io.kvDtype(), 0).bytes())
                .orElse(null));
        c.put("flops_per_token", p.shape().map(s -> s.flopsPerToken(io.context()).total()).orElse(null));
        c.put("memory_bytes", mem.peak());
        return c;
    }
}
