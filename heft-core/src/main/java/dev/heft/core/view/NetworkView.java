package dev.heft.core.view;

import static dev.heft.core.api.render.Document.field;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.NetworkFitReport;
import dev.heft.core.api.report.NetworkMemoryReport;
import dev.heft.core.api.report.NetworkSpeedReport;
import dev.heft.core.report.Units;
import java.util.List;
import java.util.Locale;

/** {@code memory}, {@code fit} and {@code speed} of a torch.nn network for people: in images, not tokens. */
public final class NetworkView {
    private NetworkView() {}

    public static Document memory(NetworkMemoryReport r) {
        Document.Builder d = Document.builder();
        d.fields(
                12,
                field("Model", r.model() + "  (" + r.kind() + ", " + Units.count(r.parameters()) + " parameters)"),
                field("Precision", r.dtype() + ", weights and activations"),
                field(
                        "Inference",
                        "input " + r.input() + " (batch " + r.batch() + "), activations "
                                + Units.bytes(r.activationPeakBytesPerImage()) + " per image at peak"));
        MemoryView.parts(d, r.parts(), r.totalBytes(), r.totalBytes(), r.assumptions());
        r.budgetBytes()
                .ifPresent(b -> d.paragraph("Budget " + Units.bytes(b) + ": "
                        + (r.maxBatch().orElseThrow() == 0
                                ? "one image does not fit"
                                : "largest batch " + Units.exact(r.maxBatch().orElseThrow()))));
        r.precisions().ifPresent(rows -> {
            var t = Document.table(
                    "Precisions",
                    "dtype",
                    "bits/weight",
                    "weights",
                    "activations/image",
                    "total at batch " + r.batch());
            for (NetworkMemoryReport.PrecisionRow p : rows) {
                t.row(
                        p.dtype(),
                        Units.fixed(p.bitsPerWeight(), 0),
                        Cell.bytes(p.weightsBytes()),
                        Cell.bytes(p.activationPeakBytesPerImage()),
                        Cell.bytes(p.totalBytes()));
            }
            d.table(t);
        });
        return d.build();
    }

    public static Document fit(NetworkFitReport r) {
        Document.Builder d = Document.builder();
        d.paragraph("Model  " + r.model() + "  (" + r.kind() + ", " + Units.count(r.parameters()) + " parameters), "
                + "input " + r.input());
        var t = Document.table(null, "device", "dtype", "fits", "needs", "usable", "headroom", "max batch", "images/s")
                .alignRight(3, 4, 5, 6, 7);
        for (NetworkFitReport.Row x : r.rows()) {
            t.row(
                    x.device(),
                    x.dtype(),
                    x.fits() ? "yes" : "no",
                    Cell.bytes(x.totalBytes()),
                    Cell.bytes(x.usableBytes()),
                    new Cell(
                            (x.headroomBytes() < 0 ? "-" : "") + Units.bytes(Math.abs(x.headroomBytes())),
                            Long.toString(x.headroomBytes())),
                    Cell.exact(x.maxBatch()),
                    x.imagesPerS()
                            .map(v -> new Cell(Units.fixed(v, v >= 100 ? 0 : 1), v.toString()))
                            .orElse(Cell.of(x.fits() ? "- (rates unknown)" : "-")));
        }
        d.table(t);
        d.paragraph("needs = weights + buffers + input + peak activations (+ the CUDA context on GPUs) at batch "
                + r.batch() + "; 'heft memory' shows the parts. images/s: a per-layer roofline, 'heft speed' states "
                + "the factors; rows that do not fit show no speed.");
        List<Document.Field> verdicts = new java.util.ArrayList<>();
        verdicts.add(field("Verdict", ""));
        r.verdicts().forEach(v -> verdicts.add(field("", v.device() + ": " + v.verdict())));
        d.fields(2, verdicts);
        d.bullets(null, r.notes());
        return d.build();
    }

    public static Document speed(NetworkSpeedReport r) {
        Document.Builder d = Document.builder();
        d.fields(
                9,
                field("Model", r.model() + " at " + r.dtype() + ", input " + r.input()),
                field(
                        "Device",
                        r.deviceName() + ": " + Units.fixed(r.bandwidthBytesPerS() / 1e9, 0) + " GB/s, "
                                + Units.fixed(r.peakTflops(), 1) + " TFLOP/s " + r.computeDtype()));
        if (r.noSpeedReason().isPresent()) {
            d.paragraph("No speed: " + r.noSpeedReason().get());
            return d.build();
        }
        double ips = r.imagesPerS().orElseThrow();
        d.fields(
                9,
                field(
                        "Forward",
                        Numbers.sci(r.flops()) + "FLOP, " + Units.bytes(r.bytesMoved()) + " moved -> "
                                + seconds(r.secondsPerBatch().orElseThrow()) + " per batch of " + r.batch() + " -> "
                                + Units.fixed(ips, ips >= 100 ? 0 : 1) + " images/s ("
                                + String.format(
                                        Locale.ROOT,
                                        "%.0f%%",
                                        100 * r.computeBoundShare().orElseThrow()) + " of the time compute-bound)"));
        d.bullets("Assumptions", r.assumptions());
        return d.build();
    }

    /** A forward pass often takes under a millisecond: keep two decimals there. */
    private static String seconds(double s) {
        return s < 0.01 ? Units.fixed(s * 1000, 2) + " ms" : Numbers.seconds(s);
    }
}
