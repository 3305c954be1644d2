package dev.heft.core.view;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.FitReport;
import dev.heft.core.report.Units;

/** {@code heft fit} for people: one row per device and precision. */
public final class FitView {
    private FitView() {
    }

    public static Document of(FitReport r) {
        Document.Builder d = Document.builder();
        d.paragraph("Model  " + r.model() + "  (" + Units.count(r.parameters()) + " parameters), batch " + r.batch()
                + ", context " + r.context() + ", KV " + r.kvDtype());
        var t = Document.table(null, "device", "dtype", "fits", "needs", "usable", "headroom", "max context",
                "decode tok/s", "prefill tok/s", "TTFT");
        for (FitReport.Row x : r.rows()) {
            t.row(x.device(), x.dtype(), x.fits() ? "yes" : "no", Cell.bytes(x.totalBytes()),
                    Cell.bytes(x.usableBytes()),
                    new Cell((x.headroomBytes() < 0 ? "-" : "") + Units.bytes(Math.abs(x.headroomBytes())),
                            Long.toString(x.headroomBytes())),
                    x.maxContext() == 0 ? Cell.of("-") : Cell.exact(x.maxContext()),
                    x.decodeTokensPerS().map(v -> new Cell(Units.fixed(v, 1), v.toString())).orElse(Cell.of("?")),
                    x.prefillTokensPerS().map(v -> new Cell(Units.fixed(v, 0), v.toString())).orElse(Cell.of("?")),
                    x.timeToFirstTokenS().map(v -> new Cell(Numbers.seconds(v), v.toString())).orElse(Cell.of("?")));
        }
        d.table(t);
        d.paragraph("needs = weights + KV cache + activations + runtime overhead at the batch and context above; "
                + "'heft memory' shows the parts.", "Speeds are roofline estimates calibrated on H200 measurements; "
                + "'heft speed' states the assumptions.");
        d.bullets(null, r.notes());
        return d.build();
    }
}
