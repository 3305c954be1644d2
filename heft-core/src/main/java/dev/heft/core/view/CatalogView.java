package dev.heft.core.view;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.CatalogReport;
import dev.heft.core.report.Units;

/** {@code heft catalog} for people: language models, then vision models. */
public final class CatalogView {
    private CatalogView() {}

    public static Document of(CatalogReport r) {
        if (r.families().isPresent()) {
            return families(r.families().get());
        }
        var llm = Document.table(
                "Language, speech and encoder models (transformers configs)",
                "id",
                "name",
                "type",
                "parameters",
                "source");
        var vision = Document.table(
                "Vision models (torchvision, built from their layer definitions)",
                "id",
                "family",
                "parameters",
                "FLOPs at default input",
                "source");
        for (CatalogReport.Entry e : r.models()) {
            if (e.kind().equals("vision")) {
                long flops = e.flops().orElse(0L);
                vision.row(
                        e.id(),
                        e.family().orElse(""),
                        Cell.count(e.parameters()),
                        new Cell(Numbers.sci(flops), Long.toString(flops)),
                        e.source());
            } else {
                llm.row(e.id(), e.name(), e.modelType().orElse(""), Cell.count(e.parameters()), e.source());
            }
        }
        return Document.builder().table(llm).table(vision).build();
    }

    /** {@code --families}: the exact model types, then the approximation tiers and their measured errors. */
    private static Document families(CatalogReport.Families f) {
        var tiers = Document.table(
                "Approximate: " + f.approximate().families() + ", counted from the generic " + "transformer shape",
                "generic shape recognised",
                "typical error (9 in 10)",
                "worst seen");
        for (CatalogReport.Tier t : f.approximate().tiers()) {
            tiers.row(
                    t.tier(),
                    "\u00b1" + Units.percent(t.typicalRelativeErrorBound()),
                    Units.percent(t.worstRelativeErrorSeen()));
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        lines.add("Exact (" + f.exact().size() + " model_types, counted module by module as transformers builds them)");
        StringBuilder line = new StringBuilder(" ");
        for (int i = 0; i < f.exact().size(); i++) {
            String item = f.exact().get(i) + (i + 1 < f.exact().size() ? "," : "");
            if (line.length() > 1 && line.length() + 1 + item.length() > 110) {
                lines.add(line.toString());
                line = new StringBuilder(" ");
            }
            line.append(' ').append(item);
        }
        lines.add(line.toString());
        return Document.builder()
                .paragraph(lines)
                .table(tiers)
                .paragraph("(" + f.approximate().basis() + ")")
                .build();
    }
}
