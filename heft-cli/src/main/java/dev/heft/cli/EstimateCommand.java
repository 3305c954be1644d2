package dev.heft.cli;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.memory.KvCache;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import dev.heft.core.tensor.DType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "estimate", description = {"Exact parameter counts and FLOPs from an architecture: a config.json, a "
        + "catalog name, or the config beside a model file. Parameters do not depend on the context; the KV cache "
        + "grows linearly with it and attention FLOPs quadratically."})
final class EstimateCommand implements Callable<Integer> {
    static final String CONVENTION = "FLOPs as torch.utils.flop_counter.FlopCounterMode counts them: 2 per "
            + "multiply-accumulate, matrix products only (no norms, activations, softmax or bias adds)";

    @Parameters(paramLabel = "MODEL", description = "A config.json, a catalog name, or a model directory with a "
            + "config.json.")
    String model;

    @Option(names = "--context", defaultValue = "4096", description = "Context length(s): 4096, or a list such as "
            + "1k,8k,128k for a scaling table (default ${DEFAULT-VALUE}).")
    String contexts;

    @Option(names = "--macs", description = "Also print multiply-accumulates (FLOPs / 2).")
    boolean macs;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        ResolvedModel resolved = Models.resolve(model);
        ModelProfile profile = ModelProfile.of(resolved);
        HfArchitecture a = profile.architecture().orElseThrow(() -> new InvalidInputException(model
                + ": no architecture to estimate from (give a config.json, a catalog name, or a folder with one); "
                + "for the weights in a file use 'heft inspect'"));
        List<Long> ctx = Sizes.tokenList(contexts);
        ArchitectureCounts c = a.counts();
        TransformerShape s = a.shape();
        PrintWriter out = output.out();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.estimate/1");
        j.put("model", profile.label());
        j.put("model_type", a.modelType());
        j.put("model_class", a.modelClass());
        j.put("source", resolved instanceof ResolvedModel.Described d ? d.source() : model);
        j.put("parameters", c.parameters());
        j.put("parameters_counting_tied_twice", c.parametersCountingTiedTwice());
        j.put("buffers", c.buffers());
        j.put("embedding_parameters", c.embeddingParameters());
        j.put("non_embedding_parameters", c.nonEmbeddingParameters());
        j.put("bias_parameters", c.biasParameters());
        j.put("checkpoint_only_parameters", a.checkpointOnlyParameters());
        Map<String, Object> byKind = new LinkedHashMap<>();
        c.byKind().forEach((k, v) -> byKind.put(k.displayName(), v));
        j.put("by_kind", byKind);
        j.put("by_class", c.byClass());
        List<Object> scaling = new ArrayList<>();
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
            scaling.add(row);
        }
        Map<String, Object> flops = new LinkedHashMap<>();
        flops.put("convention", CONVENTION);
        flops.put("context", ctx.getFirst());
        flops.put("per_token", scaling.getFirst());
        j.put("flops", flops);
        j.put("scaling", scaling);
        j.put("notes", c.notes());
        if (output.json) {
            out.println(JsonWriter.write(j));
            out.flush();
            return 0;
        }
        out.println("Model        " + profile.label() + "  (" + a.modelClass() + ", model_type " + a.modelType() + ")");
        out.println("Source       " + j.get("source"));
        out.println("Parameters   " + Units.exact(c.parameters()) + "  (" + Units.count(c.parameters()) + ")");
        if (c.parametersCountingTiedTwice() != c.parameters()) {
            out.println("             tied embeddings counted once; " + Units.exact(c.parametersCountingTiedTwice())
                    + " if every name is counted");
        }
        if (a.checkpointOnlyParameters() > 0) {
            out.println("Checkpoint   " + Units.exact(a.checkpointParameters()) + " in the published checkpoint: "
                    + Units.exact(a.checkpointOnlyParameters()) + " more than transformers builds");
        }
        out.println("Buffers      " + Units.exact(c.buffers()) + " elements (not parameters)");
        out.println("Embedding    " + Units.count(c.embeddingParameters()) + "; non-embedding "
                + Units.count(c.nonEmbeddingParameters()) + "; biases " + Units.exact(c.biasParameters()));
        out.println();
        TextTable kinds = new TextTable("kind", "parameters", "share");
        c.byKind().entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> kinds.row(e.getKey().displayName(), Units.exact(e.getValue()),
                        Units.percent((double) e.getValue() / c.parameters())));
        out.println("By layer kind");
        out.print(kinds.render());
        out.println();
        TextTable classes = new TextTable("module class", "parameters");
        c.byClass().forEach((k, v) -> classes.row(k, Units.exact(v)));
        out.println("By module class");
        out.print(classes.render());
        out.println();
        out.println("FLOPs per token (" + CONVENTION + ")");
        TextTable f = new TextTable("context", "parameters", "KV cache (bf16, batch 1)", "weight FLOPs/token",
                "attention FLOPs/token", "total FLOPs/token", "forward pass FLOPs" + (macs ? "" : ""));
        for (Object o : scaling) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) o;
            f.row(Units.exact((Long) r.get("context")), Units.count((Long) r.get("parameters")),
                    Units.bytes((Long) r.get("kv_cache_bytes")), sci((Long) r.get("weight_flops_per_token")),
                    sci((Long) r.get("attention_flops_per_token")), sci((Long) r.get("flops_per_token")),
                    sci(((Number) r.get("forward_flops")).doubleValue()));
        }
        out.print(f.render());
        if (macs) {
            out.println("MACs per token at context " + ctx.getFirst() + ": "
                    + sci(s.flopsPerToken(ctx.getFirst()).total() / 2.0));
        }
        out.println();
        out.println("Parameters stay constant as the context grows; the KV cache grows linearly with it, and attention "
                + "FLOPs per token linearly (so over a whole sequence, quadratically).");
        if (!c.notes().isEmpty()) {
            out.println();
            c.notes().forEach(n -> out.println("- " + n));
        }
        out.flush();
        return 0;
    }

    /** FLOPs of one forward pass over {@code n} tokens: weights for each token, attention over n x keys pairs. */
    static double forwardFlops(TransformerShape s, long n) {
        TransformerShape.FlopsPerToken f = s.flopsPerToken(n);
        return (double) f.weightFlops() * n + (double) f.attentionFlops() * n;
    }

    static String sci(double v) {
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
