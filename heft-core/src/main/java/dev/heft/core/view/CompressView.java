package dev.heft.core.view;

import static dev.heft.core.api.render.Document.field;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.CompressReport;
import dev.heft.core.report.Units;

/** {@code heft compress} for people: before, after, the change, and where it now fits. */
public final class CompressView {
    private CompressView() {}

    /** "bf16 (as published)", "Q4_K_M". */
    private static String precision(CompressReport.Side s) {
        return s.format() + s.formatOrigin().map(o -> " (" + o + ")").orElse("");
    }

    public static Document of(CompressReport r) {
        CompressReport.Side b = r.before();
        CompressReport.Side a = r.after();
        Document.Builder d = Document.builder();
        // The precisions as a field, not a table row: a text row would break the table's numeric alignment.
        d.fields(
                8,
                field("Model", r.model()),
                field("Steps", String.join("; ", r.steps())),
                field("Weights", precision(b) + " -> " + precision(a)));
        r.afterShape()
                .ifPresent(s -> d.fields(
                        8,
                        field(
                                "After",
                                s.layers() + " layers, hidden " + s.hiddenSize()
                                        + ", " + s.attentionHeads() + " attention heads (" + s.kvHeads() + " KV), MLP "
                                        + s.intermediateSize()
                                        + s.experts()
                                                .map(e -> ", " + e + " experts")
                                                .orElse(""))));
        d.bullets("Warnings", r.warnings());
        var t = Document.table(null, "", "before", "after", "change");
        t.row(
                "parameters",
                Cell.exact(b.parameters()),
                Cell.exact(a.parameters()),
                Numbers.change(b.parameters(), a.parameters()));
        t.row("weight bytes", Cell.bytes(b.bytes()), Cell.bytes(a.bytes()), Numbers.change(b.bytes(), a.bytes()));
        t.row("bits per weight", Units.fixed(b.bitsPerWeight(), 3), Units.fixed(a.bitsPerWeight(), 3), "");
        t.row(
                "memory at context " + r.context(),
                Cell.bytes(b.memoryBytes()),
                Cell.bytes(a.memoryBytes()),
                Numbers.change(b.memoryBytes(), a.memoryBytes()));
        d.table(t);
        var fits = new java.util.ArrayList<Document.Field>();
        fits.add(field("Fits before:", String.join(", ", b.fits())));
        fits.add(field("Fits after:", String.join(", ", a.fits())));
        fits.add(field(
                "Newly fits:",
                r.newlyFits().isEmpty() ? "none of the devices tried" : String.join(", ", r.newlyFits())));
        if (!r.noLongerFits().isEmpty()) {
            fits.add(field("No longer fits:", String.join(", ", r.noLongerFits())));
        }
        d.fields(13, fits);
        r.pruning().ifPresent(p -> {
            var s = Document.table("Sparse storage of the pruned weights", "format", "bytes");
            p.storageBytes().forEach((k, v) -> s.row(k, Cell.bytes(v)));
            d.table(s);
        });
        d.bullets("Notes", r.notes());
        return d.build();
    }
}
