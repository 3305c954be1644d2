package dev.heft.core.view;

import static dev.heft.core.api.render.Document.field;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.EstimateReport;
import dev.heft.core.api.report.EstimateReport.ScalingRow;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code heft estimate} for people: counts, where they sit, and how each quantity scales with context. */
public final class EstimateView {
    private EstimateView() {}

    public static Document of(EstimateReport r) {
        return r.scaling().isPresent() ? transformer(r) : network(r);
    }

    private static Document transformer(EstimateReport r) {
        Document.Builder d = Document.builder();
        List<Document.Field> head = new ArrayList<>();
        head.add(field(
                "Model",
                r.model() + "  (" + r.modelClass().orElse("") + ", model_type "
                        + r.modelType().orElse("") + ")"));
        head.add(field("Source", r.source()));
        head.add(field("Parameters", Units.exact(r.parameters()) + "  (" + Units.count(r.parameters()) + ")"));
        if (r.approximation().isPresent()) {
            EstimateReport.Approximation ap = r.approximation().get();
            head.add(field(
                    "",
                    "APPROXIMATE (generic " + ap.tier() + " shape): typically within \u00b1"
                            + Units.percent(ap.typicalRelativeErrorBound()) + ", off by up to "
                            + Units.percent(ap.worstRelativeErrorSeen()) + " at worst"));
        } else {
            head.add(field("", "exact (as transformers builds " + r.modelClass().orElse("it") + ")"));
        }
        r.parts()
                .ifPresent(parts ->
                        parts.forEach(p -> head.add(field("  part", p.name() + ": " + Units.exact(p.parameters())))));
        if (r.parametersCountingTiedTwice() != r.parameters()) {
            head.add(field(
                    "",
                    "tied embeddings counted once; " + Units.exact(r.parametersCountingTiedTwice())
                            + " if every name is counted"));
        }
        long checkpointOnly = r.checkpointOnlyParameters().orElse(0L);
        if (checkpointOnly > 0) {
            head.add(field(
                    "Checkpoint",
                    Units.exact(r.parameters() + checkpointOnly) + " in the published checkpoint: "
                            + Units.exact(checkpointOnly) + " more than transformers builds"));
        }
        head.add(field("Buffers", Units.exact(r.buffers()) + " elements (not parameters)"));
        head.add(field(
                "Embedding",
                Units.count(r.embeddingParameters()) + "; non-embedding " + Units.count(r.nonEmbeddingParameters())
                        + "; biases " + Units.exact(r.biasParameters())));
        d.fields(13, head);
        counts(d, r);
        List<ScalingRow> rows = r.scaling().orElseThrow();
        boolean macs = rows.getFirst().macsPerToken().isPresent();
        List<String> headers = new ArrayList<>(List.of(
                "context",
                "parameters",
                "KV cache (bf16, batch 1)",
                "weight FLOPs/token",
                "attention FLOPs/token",
                "total FLOPs/token"));
        if (macs) {
            headers.add("MACs/token");
        }
        headers.add("forward pass FLOPs");
        var t = Document.table("FLOPs per token (" + r.flops().convention() + ")", headers.toArray(String[]::new));
        for (ScalingRow s : rows) {
            List<Object> cells = new ArrayList<>(List.of(
                    Cell.exact(s.context()),
                    Cell.count(s.parameters()),
                    Cell.bytes(s.kvCacheBytes()),
                    flops(s.weightFlopsPerToken()),
                    flops(s.attentionFlopsPerToken()),
                    flops(s.flopsPerToken())));
            s.macsPerToken().ifPresent(m -> cells.add(flops(m)));
            cells.add(new Cell(Numbers.sci(s.forwardFlops()), Double.toString(s.forwardFlops())));
            t.row(cells.toArray());
        }
        d.table(t);
        d.paragraph("Parameters stay constant as the context grows; the KV cache grows linearly with it, and attention "
                + "FLOPs per token linearly (so over a whole sequence, quadratically).");
        d.bullets(null, r.notes());
        r.tensorList().ifPresent(list -> {
            var all = Document.table(
                    "Tensors (as transformers names them)", "name", "shape", "kind", "module class", "parameters");
            for (EstimateReport.HfTensorEntry x : list) {
                all.row(
                        x.name(),
                        x.shape(),
                        x.kind(),
                        x.moduleClass(),
                        x.tiedTo().map(tied -> Cell.of("tied to " + tied)).orElse(Cell.exact(x.parameters())));
            }
            d.table(all);
        });
        return d.build();
    }

    private static Document network(EstimateReport r) {
        Document.Builder d = Document.builder();
        d.fields(
                13,
                field("Model", r.model()),
                field("Source", r.source()),
                field("Parameters", Units.exact(r.parameters()) + "  (" + Units.count(r.parameters()) + ")"),
                field(
                        "Buffers",
                        Units.exact(r.buffers())
                                + " elements (BatchNorm running statistics and counters; not parameters)"));
        counts(d, r);
        EstimateReport.Flops f = r.flops();
        if (f.total().isPresent()) {
            List<String> lines = new ArrayList<>();
            lines.add("FLOPs of one forward pass at input " + f.input().orElseThrow() + ": "
                    + Units.exact(f.total().get()) + " ("
                    + Numbers.sci(f.total().get()) + "FLOP; "
                    + Numbers.sci(f.macs().orElseThrow()) + "MACs)");
            lines.add(f.convention());
            f.notes().orElse(List.of()).forEach(x -> lines.add("- " + x));
            d.paragraph(lines);
        } else {
            d.paragraph("FLOPs need an input shape: --input N,C,H,W (or an \"input\" in the spec)");
        }
        r.layers().ifPresent(l -> layers(d, l));
        return d.build();
    }

    /** {@code --layers}: torchinfo's rows, indented by depth, with the totals torchinfo prints under them. */
    private static void layers(Document.Builder d, EstimateReport.Layers l) {
        var t = Document.table(
                        "Layers at input " + l.input() + " (torchinfo's rows; FLOPs as FlopCounterMode counts "
                                + "them, children included; activation = output bytes, " + l.activationDtype() + ")",
                        "layer",
                        "output shape",
                        "parameters",
                        "FLOPs",
                        "activation")
                .alignRight(2, 3, 4);
        for (EstimateReport.LayerRow r : l.rows()) {
            Cell params = r.repeatedCall()
                    ? Cell.of("(repeated)")
                    : r.parameters() == 0 ? new Cell("--", "0") : Cell.exact(r.parameters());
            t.row(
                    "  ".repeat((int) r.depth()) + r.torchClass() + (r.depth() == 0 ? "" : " (" + r.name() + ")"),
                    r.outputShape(),
                    params,
                    r.flops() == 0 ? new Cell("--", "0") : flops(r.flops()),
                    Cell.bytes(r.activationBytes()));
        }
        d.table(t);
        d.paragraph("torchinfo total mult-adds " + Units.exact(l.torchinfoTotalMultAdds()) + "; peak live activations "
                + Units.bytes(l.activationPeakBytes()) + " (eval, no_grad)");
    }

    /** The parameters by layer kind (largest first) and by module class. */
    private static void counts(Document.Builder d, EstimateReport r) {
        var kinds = Document.table("By layer kind", "kind", "parameters", "share");
        r.byKind().entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> kinds.row(
                        e.getKey(), Cell.exact(e.getValue()), InspectView.share(e.getValue(), r.parameters())));
        d.table(kinds);
        var classes = Document.table("By module class", "module class", "parameters");
        for (Map.Entry<String, Long> e : r.byClass().entrySet()) {
            classes.row(e.getKey(), Cell.exact(e.getValue()));
        }
        d.table(classes);
    }

    private static Cell flops(long v) {
        return new Cell(Numbers.sci(v), Long.toString(v));
    }
}
