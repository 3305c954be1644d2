package dev.heft.core.view;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.CompareReport;
import dev.heft.core.api.report.CompareReport.Column;
import dev.heft.core.classify.LayerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** {@code heft compare} for people: one column per model. */
public final class CompareView {
    private CompareView() {}

    public static Document of(CompareReport r) {
        List<String> header = new ArrayList<>();
        header.add("");
        r.models().forEach(c -> header.add(c.model()));
        var t = Document.table(null, header.toArray(String[]::new));
        for (int i = 1; i < header.size(); i++) {
            t.alignRight(i);
        }
        row(t, r, "parameters", c -> Cell.exact(c.parameters()));
        row(t, r, "non embedding parameters", c -> Cell.count(c.nonEmbeddingParameters()));
        for (LayerKind k : LayerKind.values()) {
            if (r.models().stream().anyMatch(c -> c.byKind().containsKey(k.displayName()))) {
                row(t, r, "  " + k.displayName(), c -> Cell.count(c.byKind().getOrDefault(k.displayName(), 0L)));
            }
        }
        row(t, r, "dtype", c -> Cell.of(c.dtype()));
        row(t, r, "weights bytes", c -> Cell.bytes(c.weightsBytes()));
        row(
                t,
                r,
                "kv cache bytes per token",
                c -> c.kvCacheBytesPerToken().map(Cell::bytes).orElse(Cell.of("-")));
        row(
                t,
                r,
                "flops per token",
                c -> c.flopsPerToken()
                        .map(v -> new Cell(Numbers.sci(v), v.toString()))
                        .orElse(Cell.of("-")));
        row(t, r, "memory bytes", c -> Cell.bytes(c.memoryBytes()));
        return Document.builder()
                .paragraph("Compared at context " + r.context() + ", batch " + r.batch() + " (KV cache per token in "
                        + r.kvDtype() + "; FLOPs per token at that context, FlopCounterMode convention)")
                .table(t)
                .build();
    }

    private static void row(Document.TableBuilder t, CompareReport r, String label, Function<Column, Cell> cell) {
        List<Object> cells = new ArrayList<>();
        cells.add(label);
        r.models().forEach(c -> cells.add(cell.apply(c)));
        t.row(cells.toArray());
    }
}
