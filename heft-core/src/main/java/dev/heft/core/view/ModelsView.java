package dev.heft.core.view;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.ModelsReport;
import java.util.ArrayList;
import java.util.List;

/** {@code heft models} for people: one row per model, then what could not be read. */
public final class ModelsView {
    private ModelsView() {}

    public static Document of(ModelsReport r) {
        Document.Builder d = Document.builder();
        r.headerCacheCleared().ifPresent(n -> d.paragraph("Removed " + n + " cached remote header(s)."));
        var t = Document.table("Models on this machine", "source", "id", "format", "parameters", "on disk", "MODEL");
        List<String> errors = new ArrayList<>();
        for (ModelsReport.Entry e : r.models()) {
            t.row(
                    e.source(),
                    e.id(),
                    e.format().orElse("error"),
                    e.parameters().isPresent() ? Cell.count(e.parameters().get()) : "-",
                    Cell.bytes(e.bytes()),
                    e.model());
            e.error().ifPresent(x -> errors.add(e.id() + ": " + x));
        }
        d.table(t);
        if (r.models().isEmpty()) {
            d.paragraph("No models found in " + String.join(", ", r.searched()));
        }
        if (!errors.isEmpty()) {
            d.bullets("Could not read", errors);
        }
        return d.build();
    }
}
