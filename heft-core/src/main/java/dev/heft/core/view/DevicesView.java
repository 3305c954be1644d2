package dev.heft.core.view;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.DevicesReport;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.List;

/** {@code heft devices} for people: memory, bandwidth and peak throughput per device. */
public final class DevicesView {
    private DevicesView() {}

    /** @param sources also list each device's datasheet source */
    public static Document of(DevicesReport r, boolean sources) {
        var t = Document.table(null, "id", "name", "category", "memory", "usable", "bandwidth", "bf16", "fp8", "int8")
                .alignRight(3, 4, 5); // also when local's bandwidth reads "unknown"
        for (DevicesReport.Entry d : r.devices()) {
            t.row(
                    d.id(),
                    d.name(),
                    d.category(),
                    Cell.bytes(d.memoryBytes()),
                    Cell.bytes(d.usableBytes()),
                    d.bandwidthBytesPerS()
                            .map(b -> new Cell(Units.fixed(b / 1e9, 0) + " GB/s", Long.toString(b)))
                            .orElse(new Cell("unknown", "")),
                    tflops(d, "bf16"),
                    tflops(d, "fp8"),
                    tflops(d, "int8"));
        }
        Document.Builder doc = Document.builder()
                .table(t)
                .paragraph("Throughput in dense TFLOP/s (TOPS for int8), no "
                        + "2:4 sparsity; blank where the device has no such units.");
        for (DevicesReport.Entry d : r.devices()) {
            d.detected().ifPresent(lines -> doc.bullets(d.id() + " is this machine. Detected:", lines));
            d.assumed().ifPresent(lines -> doc.bullets("Assumed:", lines));
        }
        if (sources) {
            List<String> lines = new ArrayList<>();
            for (DevicesReport.Entry d : r.devices()) {
                lines.add(d.id() + ": " + d.source() + (d.notes().isEmpty() ? "" : ". " + d.notes()));
            }
            doc.paragraph(lines);
        }
        return doc.build();
    }

    private static Cell tflops(DevicesReport.Entry d, String key) {
        Double v = d.peakTflops().get(key);
        return v == null ? Cell.of("") : new Cell(Units.fixed(v, v < 10 ? 2 : 0), v.toString());
    }
}
