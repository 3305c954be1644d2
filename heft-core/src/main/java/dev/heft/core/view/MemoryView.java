package dev.heft.core.view;

import static dev.heft.core.api.render.Document.field;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.MemoryPartEntry;
import dev.heft.core.api.report.MemoryReport;
import dev.heft.core.api.report.TrainingReport;
import dev.heft.core.report.Units;
import java.util.List;

/** {@code heft memory} for people: the parts and their formulas, the assumptions, the precision table. */
public final class MemoryView {
    private MemoryView() {}

    public static Document of(MemoryReport r) {
        Document.Builder d = Document.builder();
        String kv = r.cacheTypeK().isPresent()
                ? "K " + r.cacheTypeK().get() + " / V " + r.cacheTypeV().orElseThrow()
                : r.kvDtype();
        d.fields(
                12,
                field("Model", r.model() + "  (" + Units.count(r.parameters()) + " parameters)"),
                field(
                        "Weights",
                        r.dtype() + r.dtypeOrigin().map(o -> " (" + o + ")").orElse("") + ", "
                                + Units.fixed(r.bitsPerWeight(), 3) + " bits per weight"),
                field(
                        "Runtime",
                        r.runtime()
                                + (r.hostBytes() > 0
                                        ? " (" + Units.bytes(r.hostBytes()) + " of it in host memory)"
                                        : "")),
                field(
                        "Inference",
                        "batch " + r.batch() + ", context " + r.context() + ", " + r.phase() + ", " + r.attention()
                                + " attention, logits " + r.logits() + ", KV " + kv));
        d.bullets("Warnings", r.warnings());
        parts(d, r.parts(), r.totalBytes(), r.totalBytes(), r.assumptions());
        r.budgetBytes()
                .ifPresent(b -> d.paragraph("Budget " + Units.bytes(b) + ": largest context at batch "
                        + r.batch() + " = " + Units.exact(r.maxContext().orElseThrow())
                        + " tokens; largest batch at context "
                        + r.context() + " = " + Units.exact(r.maxBatch().orElseThrow())));
        r.precisions().ifPresent(rows -> {
            var t = Document.table(
                    "Precisions (exact per-tensor plans; llama.cpp types follow llama-quantize's rules)",
                    "format",
                    "bits/weight",
                    "weights",
                    "vs fp16",
                    "total at context " + r.context());
            for (MemoryReport.PrecisionRow p : rows) {
                String format =
                        p.dtype() + p.dtypeOrigin().map(o -> " (" + o + ")").orElse("");
                if (!p.applicable()) {
                    // The format quantizes nothing in this model: n/a with the reason, never a 0% saving.
                    t.row(
                            format,
                            "n/a",
                            "n/a",
                            "n/a",
                            "n/a: " + p.notApplicableReason().orElse(""));
                    continue;
                }
                double s = p.savingsVsFp16();
                t.row(
                        format,
                        Units.fixed(p.bitsPerWeight(), 3),
                        Cell.bytes(p.weightsBytes()),
                        new Cell(
                                (Math.abs(s) < 5e-5 ? "" : s > 0 ? "-" : "+") + Units.percent(Math.abs(s)),
                                Double.toString(-s)),
                        Cell.bytes(p.totalBytes()));
            }
            d.table(t);
        });
        return d.build();
    }

    public static Document of(TrainingReport r) {
        Document.Builder d = Document.builder();
        d.fields(
                12,
                field("Model", r.model() + "  (" + Units.count(r.parameters()) + " parameters)"),
                field(
                        "Training",
                        r.optimizer() + ", recipe " + r.recipe() + ", micro-batch " + r.batch() + " x "
                                + r.context() + " tokens" + (r.checkpointing() ? ", gradient checkpointing" : "")
                                + (r.zero() > 0 ? ", ZeRO-" + r.zero() + " over " + r.gpus() + " GPUs" : "")
                                + (r.offload() ? ", CPU offload" : "")
                                + (r.loraRank() > 0
                                        ? ", LoRA r=" + r.loraRank() + (r.qlora() ? " (QLoRA)" : "")
                                        : "")));
        parts(d, r.parts(), r.totalBytes(), r.peakBytes(), r.assumptions());
        r.trainingTime().ifPresent(rows -> {
            var t = Document.table(
                    "Training time for " + Units.count(rows.getFirst().tokens()) + " tokens",
                    "devices",
                    "tokens/s",
                    "hours",
                    "MFU",
                    "FLOPs per token");
            for (TrainingReport.TimeRow x : rows) {
                t.row(
                        x.devices(),
                        Cell.exact(x.tokensPerS()),
                        Units.fixed(x.hours(), 2),
                        Units.fixed(x.mfu(), 2),
                        new Cell(
                                Units.fixed(x.flopsPerToken() / 1e9, 1) + " GFLOP",
                                Double.toString(x.flopsPerToken())));
            }
            d.table(t);
            d.bullets(null, rows.getFirst().assumptions());
        });
        return d.build();
    }

    /** The parts with their formulas, the total, the peak when it differs, and the assumptions. */
    static void parts(
            Document.Builder d, List<MemoryPartEntry> parts, long total, long peak, List<String> assumptions) {
        var t = Document.table(null, "part", "bytes", "", "how");
        for (MemoryPartEntry p : parts) {
            t.row(p.part(), Cell.exact(p.bytes()), Cell.bytes(p.bytes()), p.formula());
        }
        t.row("total", Cell.exact(total), Cell.bytes(total), "sum of the parts");
        if (peak != total) {
            t.row("peak", Cell.exact(peak), Cell.bytes(peak), "parts that coexist at the worst moment");
        }
        d.table(t);
        d.bullets("Assumptions", assumptions);
    }
}
