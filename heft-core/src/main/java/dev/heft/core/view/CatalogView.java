package dev.heft.core.view;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.CatalogReport;

/** {@code heft catalog} for people: language models, then vision models. */
public final class CatalogView {
    private CatalogView() {
    }

    public static Document of(CatalogReport r) {
        var llm = Document.table("Language, speech and encoder models (transformers configs)", "id", "name", "type",
                "parameters", "source");
        var vision = Document.table("Vision models (torchvision, built from their layer definitions)", "id", "family",
                "parameters", "FLOPs at default input", "source");
        for (CatalogReport.Entry e : r.models()) {
            if (e.kind().equals("vision")) {
                long flops = e.flops().orElse(0L);
                vision.row(e.id(), e.family().orElse(""), Cell.count(e.parameters()),
                        new Cell(Numbers.sci(flops), Long.toString(flops)), e.source());
            } else {
                llm.row(e.id(), e.name(), e.modelType().orElse(""), Cell.count(e.parameters()), e.source());
            }
        }
        return Document.builder().table(llm).table(vision).build();
    }
}
