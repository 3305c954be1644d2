package dev.heft.core.service;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfTensor;
import dev.heft.core.arch.hf.HfTensors;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.memory.KvCache;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.heft.core.arch.torch.FlopReport;
import dev.heft.core.arch.torch.Shape;

/**
 * {@code heft estimate}: exact counts and FLOPs from an architecture, and how each quantity scales with context:
 * parameters are constant, the KV cache linear, attention FLOPs per token linear (quadratic over a sequence).
 */
public final class EstimateService {
    public static final Set<String> OPTIONS = Set.of("context", "macs", "input", "tensors", "layers");
    public static final String CONVENTION = "FLOPs as torch.utils.flop_counter.FlopCounterMode counts them: 2 per "
            + "multiply-accumulate, matrix products only (no norms, activations, softmax or bias adds)";

    private EstimateService() {
    }

    public static Result run(ResolvedModel resolved, Options o) {
        o.requireOnly(OPTIONS);
        if (resolved instanceof ResolvedModel.Network n) {
            return network(n, o);
        }
        ModelProfile profile = ModelProfile.of(resolved);
        HfArchitecture a = profile.architecture().orElseThrow(() -> new InvalidInputException(resolved.label()
                + ": no architecture to estimate from (give a config.json, a catalog name, or a folder with one); "
                + "for the weights in a file use 'inspect'"));
        List<Long> ctx = o.tokenList("context", 4096);
        ArchitectureCounts c = a.counts();
        TransformerShape s = a.shape();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.estimate/1");
        j.put("model", profile.label());
        j.put("model_type", a.modelType());
        j.put("model_class", a.modelClass());
        j.put("source", resolved instanceof ResolvedModel.Described d ? d.source() : resolved.label());
        putCounts(j, c);
        j.put("checkpoint_only_parameters", a.checkpointOnlyParameters());
        List<Map<String, Object>> scaling = new ArrayList<>();
        for (long n : ctx) {
            TransformerShape.FlopsPerToken f = s.flopsPerToken(n);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("context", n);
            row.put("parameters", c.parameters());
            row.put("kv_cache_bytes", profile.generative() ? KvCache.of(s, 1, n, DType.BF16, n).bytes() : 0L);
            row.put("weight_flops_per_token", f.weightFlops());
            row.put("attention_flops_per_token", f.attentionFlops());
            row.put("flops_per_token", f.total());
            row.put("forward_flops", forwardFlops(s, n));
            if (o.flag("macs")) {
                row.put("macs_per_token", f.total() / 2);
            }
            scaling.add(row);
        }
        Map<String, Object> flops = new LinkedHashMap<>();
        flops.put("convention", CONVENTION);
        flops.put("context", ctx.getFirst());
        flops.put("per_token", scaling.getFirst());
        j.put("flops", flops);
        j.put("scaling", scaling);
        j.put("notes", c.notes());
        String text = text(profile, a, j, scaling, o.flag("macs"));
        if (o.flag("tensors")) {
            Optional<List<HfTensor>> listed = resolved instanceof ResolvedModel.Described d
                    ? d.config().flatMap(HfTensors::list) : Optional.empty();
            if (listed.isEmpty()) {
                throw new InvalidInputException("tensors: a per-tensor listing is available for the Llama-style "
                        + "families described by a config (the counts above cover every family)");
            }
            List<Object> rows = new ArrayList<>();
            TextTable t = new TextTable("name", "shape", "kind", "module class", "parameters");
            for (HfTensor x : listed.get()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", x.name());
                r.put("shape", x.shape());
                r.put("kind", x.kind().displayName());
                r.put("module_class", x.moduleClass());
                r.put("parameters", x.elements());
                x.tiedTo().ifPresent(tied -> r.put("tied_to", tied));
                rows.add(r);
                t.row(x.name(), x.shape(), x.kind().displayName(), x.moduleClass(),
                        x.tiedTo().map(tied -> "tied to " + tied).orElse(Units.exact(x.elements())));
            }
            j.put("tensor_list", rows);
            text += "\nTensors (as transformers names them)\n" + t.render();
        }
        return new Result(j, text);
    }

    private static String text(ModelProfile profile, HfArchitecture a, Map<String, Object> j,
                               List<Map<String, Object>> scaling, boolean macs) {
        ArchitectureCounts c = a.counts();
        StringBuilder out = new StringBuilder();
        out.append("Model        ").append(profile.label()).append("  (").append(a.modelClass()).append(", model_type ")
                .append(a.modelType()).append(")\n");
        out.append("Source       ").append(j.get("source")).append('\n');
        out.append("Parameters   ").append(Units.exact(c.parameters())).append("  (").append(Units.count(c.parameters()))
                .append(")\n");
        if (c.parametersCountingTiedTwice() != c.parameters()) {
            out.append("             tied embeddings counted once; ").append(Units.exact(c.parametersCountingTiedTwice()))
                    .append(" if every name is counted\n");
        }
        if (a.checkpointOnlyParameters() > 0) {
            out.append("Checkpoint   ").append(Units.exact(a.checkpointParameters()))
                    .append(" in the published checkpoint: ").append(Units.exact(a.checkpointOnlyParameters()))
                    .append(" more than transformers builds\n");
        }
        out.append("Buffers      ").append(Units.exact(c.buffers())).append(" elements (not parameters)\n");
        out.append("Embedding    ").append(Units.count(c.embeddingParameters())).append("; non-embedding ")
                .append(Units.count(c.nonEmbeddingParameters())).append("; biases ")
                .append(Units.exact(c.biasParameters())).append("\n\n");
        TextTable kinds = new TextTable("kind", "parameters", "share");
        c.byKind().entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> kinds.row(e.getKey().displayName(), Units.exact(e.getValue()),
                        Units.percent((double) e.getValue() / c.parameters())));
        out.append("By layer kind\n").append(kinds.render()).append('\n');
        TextTable classes = new TextTable("module class", "parameters");
        c.byClass().forEach((k, v) -> classes.row(k, Units.exact(v)));
        out.append("By module class\n").append(classes.render()).append('\n');
        out.append("FLOPs per token (").append(CONVENTION).append(")\n");
        TextTable f = macs
                ? new TextTable("context", "parameters", "KV cache (bf16, batch 1)", "weight FLOPs/token",
                "attention FLOPs/token", "total FLOPs/token", "MACs/token", "forward pass FLOPs")
                : new TextTable("context", "parameters", "KV cache (bf16, batch 1)", "weight FLOPs/token",
                "attention FLOPs/token", "total FLOPs/token", "forward pass FLOPs");
        for (Map<String, Object> r : scaling) {
            List<Object> cells = new ArrayList<>(List.of(Units.exact((Long) r.get("context")),
                    Units.count((Long) r.get("parameters")), Units.bytes((Long) r.get("kv_cache_bytes")),
                    sci((Long) r.get("weight_flops_per_token")), sci((Long) r.get("attention_flops_per_token")),
                    sci((Long) r.get("flops_per_token"))));
            if (macs) {
                cells.add(sci((Long) r.get("macs_per_token")));
            }
            cells.add(sci(((Number) r.get("forward_flops")).doubleValue()));
            f.row(cells.toArray());
        }
        out.append(f.render()).append('\n');
        out.append("Parameters stay constant as the context grows; the KV cache grows linearly with it, and attention "
                + "FLOPs per token linearly (so over a whole sequence, quadratically).\n");
        if (!c.notes().isEmpty()) {
            out.append('\n');
            c.notes().forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    /** The count keys every estimate carries, in the documented order. */
    private static void putCounts(Map<String, Object> j, ArchitectureCounts c) {
        j.put("parameters", c.parameters());
        j.put("parameters_counting_tied_twice", c.parametersCountingTiedTwice());
        j.put("buffers", c.buffers());
        j.put("embedding_parameters", c.embeddingParameters());
        j.put("non_embedding_parameters", c.nonEmbeddingParameters());
        j.put("bias_parameters", c.biasParameters());
        Map<String, Object> byKind = new LinkedHashMap<>();
        c.byKind().forEach((k, v) -> byKind.put(k.displayName(), v));
        j.put("by_kind", byKind);
        j.put("by_class", c.byClass());
    }

    /** A torch.nn network (torchvision model or layer spec): counts, and FLOPs of one forward pass at an input. */
    private static Result network(ResolvedModel.Network n, Options o) {
        Optional<Shape> input = o.string("input").map(Shape::parse).or(n::defaultInput);
        ArchitectureCounts c = n.counts().apply(input);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.estimate/1");
        j.put("model", n.label());
        j.put("source", n.source());
        putCounts(j, c);
        StringBuilder out = new StringBuilder();
        out.append("Model        ").append(n.label()).append('\n');
        out.append("Source       ").append(n.source()).append('\n');
        out.append("Parameters   ").append(Units.exact(c.parameters())).append("  (").append(Units.count(c.parameters()))
                .append(")\n");
        out.append("Buffers      ").append(Units.exact(c.buffers()))
                .append(" elements (BatchNorm running statistics and counters; not parameters)\n\n");
        TextTable kinds = new TextTable("kind", "parameters", "share");
        c.byKind().entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> kinds.row(e.getKey().displayName(), Units.exact(e.getValue()),
                        Units.percent(c.parameters() == 0 ? 0 : (double) e.getValue() / c.parameters())));
        out.append("By layer kind\n").append(kinds.render()).append('\n');
        TextTable classes = new TextTable("module class", "parameters");
        c.byClass().forEach((k, v) -> classes.row(k, Units.exact(v)));
        out.append("By module class\n").append(classes.render());
        Map<String, Object> flops = new LinkedHashMap<>();
        flops.put("convention", CONVENTION);
        if (input.isPresent()) {
            FlopReport f = n.flops().apply(input.get());
            flops.put("input", f.input().dims());
            flops.put("output", f.output().dims());
            flops.put("total", f.flops());
            flops.put("macs", f.macs());
            Map<String, Object> byOp = new LinkedHashMap<>();
            f.byOp().forEach((k, v) -> byOp.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
            flops.put("by_op", byOp);
            flops.put("notes", f.notes());
            out.append("\nFLOPs of one forward pass at input ").append(f.input().dims()).append(": ")
                    .append(Units.exact(f.flops())).append(" (").append(sci(f.flops())).append("FLOP; ")
                    .append(sci(f.macs())).append("MACs)\n").append(CONVENTION).append('\n');
            f.notes().forEach(x -> out.append("- ").append(x).append('\n'));
        } else {
            out.append("\nFLOPs need an input shape: --input N,C,H,W (or an \"input\" in the spec)\n");
        }
        if (o.flag("layers")) {
            NetworkServices.layers(n, input.orElseThrow(() -> new InvalidInputException(
                    "layers: the table needs an input shape: --input N,C,H,W (or an \"input\" in the spec)")), j, out);
        }
        j.put("flops", flops);
        j.put("notes", c.notes());
        return new Result(j, out.toString());
    }

    /** FLOPs of one forward pass over {@code n} tokens: weights for each token, attention over n x keys pairs. */
    public static double forwardFlops(TransformerShape s, long n) {
        TransformerShape.FlopsPerToken f = s.flopsPerToken(n);
        return (double) f.weightFlops() * n + (double) f.attentionFlops() * n;
    }

    /** FLOPs with SI prefixes: 15.01 G, 10.97 P. */
    public static String sci(double v) {
        if (v == 0) {
            return "0";
        }
        String[] suffix = {"", " K", " M", " G", " T", " P", " E"};
        int i = 0;
        while (v >= 1000 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        return Units.fixed(v, v >= 100 ? 1 : 2) + suffix[i];
    }
}
