package dev.heft.core.view;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.FitReport;
import dev.heft.core.report.Units;

/** {@code heft fit} for people: one row per device and precision. */
public final class FitView {
    private FitView() {}

    public static Document of(FitReport r) {
        Document.Builder d = Document.builder();
        d.paragraph("Model  " + r.model() + "  (" + Units.count(r.parameters()) + " parameters), batch " + r.batch()
                + ", context " + r.context() + ", KV " + r.kvDtype());
        d.bullets("Warnings", r.warnings());
        var t = Document.table(
                null,
                "device",
                "dtype",
                "runtime",
                "fits",
                "needs",
                "usable",
                "headroom",
                "max context",
                "decode tok/s",
                "prefill tok/s",
                "TTFT");
        for (FitReport.Row x : r.rows()) {
            // An offloaded row's rate is marked ~: part of the model runs from host memory.
            String approx = x.fits() ? "" : "~";
            t.row(
                    x.device(),
                    x.dtype() + x.dtypeOrigin().map(o -> " (" + o + ")").orElse(""),
                    x.runtime(),
                    x.fits()
                            ? "yes"
                            : x.offload().isPresent() && x.decodeTokensPerS().isPresent() ? "offload" : "no",
                    Cell.bytes(x.totalBytes()),
                    Cell.bytes(x.usableBytes()),
                    new Cell(
                            (x.headroomBytes() < 0 ? "-" : "") + Units.bytes(Math.abs(x.headroomBytes())),
                            Long.toString(x.headroomBytes())),
                    x.maxContext() == 0 ? Cell.of("-") : Cell.exact(x.maxContext()),
                    x.decodeTokensPerS()
                            .map(v -> new Cell(approx + Units.fixed(v, 1), v.toString()))
                            .orElse(Cell.of("-")),
                    x.prefillTokensPerS()
                            .map(v -> new Cell(Units.fixed(v, 0), v.toString()))
                            .orElse(Cell.of("-")),
                    x.timeToFirstTokenS()
                            .map(v -> new Cell(Numbers.seconds(v), v.toString()))
                            .orElse(Cell.of("-")));
        }
        d.table(t);
        d.paragraph(
                "needs = what the runtime holds on the device (llama.cpp: weights + KV cache + one ubatch's "
                        + "compute buffer; PyTorch: + the prompt's activations; vLLM: its gpu_memory_utilization budget) at "
                        + "the batch and context above; 'heft memory --runtime ...' shows the parts.",
                "Speeds are roofline "
                        + "estimates calibrated on H200 measurements; rows that do not fit show no speed, offloaded rows "
                        + "(llama.cpp, layers in host memory) show ~ the offloaded rate; 'heft speed' states the assumptions.");
        d.fields(2, verdicts("Verdict", r.verdicts()));
        r.trainingVerdicts().ifPresent(v -> d.fields(2, verdicts("Training verdict", v)));
        d.bullets(null, r.notes());
        return d.build();
    }

    /** A title line, then one indented line per device. */
    private static java.util.List<Document.Field> verdicts(String title, java.util.List<FitReport.Verdict> vs) {
        java.util.List<Document.Field> out = new java.util.ArrayList<>();
        out.add(Document.field(title, ""));
        vs.forEach(v -> out.add(Document.field("", v.device() + ": " + v.verdict())));
        return out;
    }
}
