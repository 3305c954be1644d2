package dev.heft.core.report;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.report.InspectReport.BlockStack;
import dev.heft.core.report.InspectReport.DTypeTotals;
import dev.heft.core.report.InspectReport.KindTotals;
import dev.heft.core.report.InspectReport.Row;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/** The human-readable {@code heft inspect} report: clean tables, units that read well, no decoration in data. */
public final class InspectText {
    private InspectText() {
    }

    public static String render(InspectReport r, boolean listTensors) {
        StringBuilder sb = new StringBuilder();
        String files = r.files().size() == 1 ? r.files().getFirst().toString()
                : r.files().size() + " files (" + r.files().getFirst().getFileName() + " ... "
                + r.files().getLast().getFileName() + ")";
        sb.append("Model        ").append(files).append('\n');
        sb.append("Format       ").append(r.format()).append('\n');
        sb.append("Tensors      ").append(Units.exact(r.tensorCount())).append('\n');
        sb.append("Parameters   ").append(Units.exact(r.parameters())).append("  (").append(Units.count(r.parameters()))
                .append(")\n");
        sb.append("Tensor bytes ").append(Units.exact(r.tensorBytes())).append("  (").append(Units.bytes(r.tensorBytes()))
                .append(")");
        if (r.parameters() > 0) {
            sb.append(", ").append(Units.fixed(r.bitsPerParameter(), 3)).append(" bits per parameter");
        }
        sb.append('\n');
        if (r.quantOverheadBytes() > 0) {
            sb.append("Overhead     ").append(Units.exact(r.quantOverheadBytes())).append("  (")
                    .append(Units.bytes(r.quantOverheadBytes())).append(", ")
                    .append(share(r.quantOverheadBytes(), r.tensorBytes()))
                    .append(" of tensor bytes) quantization scales, zero points and indices; not parameters\n");
        }
        sb.append("Embedding    ").append(Units.count(r.embeddingParameters())).append(" parameters; non-embedding ")
                .append(Units.count(r.nonEmbeddingParameters())).append('\n');
        sb.append("Biases       ").append(Units.exact(r.biasParameters())).append(" parameters\n");
        r.tied().ifPresent(t -> sb.append("Head         ").append(t.tied() ? "tied to the token embedding" : "untied")
                .append('\n'));

        sb.append("\nBy layer kind\n");
        TextTable kinds = new TextTable("kind", "parameters", "share", "bytes", "tensors", "of which bias");
        for (Map.Entry<LayerKind, KindTotals> e : r.byKind().entrySet()) {
            KindTotals k = e.getValue();
            kinds.row(e.getKey().displayName(), Units.exact(k.parameters()), share(k.parameters(), r.parameters()),
                    Units.bytes(k.bytes()), k.tensors(), k.biasParameters() == 0 ? "" : Units.exact(k.biasParameters()));
        }
        sb.append(kinds.render());

        sb.append("\nBy dtype\n");
        TextTable dtypes = new TextTable("dtype", "parameters", "bytes", "bits/param", "tensors");
        for (Map.Entry<DType, DTypeTotals> e : r.byDtype().entrySet()) {
            DTypeTotals d = e.getValue();
            dtypes.row(e.getKey().displayName(), Units.exact(d.parameters()), Units.bytes(d.bytes()),
                    d.parameters() == 0 ? "" : Units.fixed(d.bytes() * 8.0 / d.parameters(), 3), d.tensors());
        }
        sb.append(dtypes.render());

        if (!r.packed().isEmpty()) {
            sb.append("\nPacked quantized weights (parameters are the unquantized layers' shapes)\n");
            TextTable packed = new TextTable("layout", "tensors", "parameters", "packed bytes", "overhead",
                    "bits/weight");
            for (InspectReport.PackedTotals p : r.packed()) {
                packed.row(p.layout(), p.tensors(), Units.exact(p.parameters()), Units.bytes(p.bytes()),
                        Units.bytes(p.overheadBytes()), Units.fixed(p.bitsPerWeight(), 3));
            }
            sb.append(packed.render());
        }

        if (!r.blocks().isEmpty()) {
            sb.append("\nRepeated blocks\n");
            TextTable blocks = new TextTable("container", "blocks", "parameters per block", "total", "share");
            for (BlockStack b : r.blocks()) {
                String per = b.minParameters() == b.maxParameters() ? Units.exact(b.minParameters())
                        : Units.exact(b.minParameters()) + " .. " + Units.exact(b.maxParameters());
                blocks.row(b.container(), b.blocks(), per, Units.count(b.parameters()),
                        share(b.parameters(), r.parameters()));
            }
            sb.append(blocks.render());
        }

        sb.append("\nLargest tensors\n");
        sb.append(tensorTable(r.largest()).render());

        if (!r.other().isEmpty()) {
            sb.append("\nUnclassified (other): ").append(String.join(", ", r.other())).append('\n');
        }
        if (!r.notes().isEmpty()) {
            sb.append("\nNotes\n");
            for (String n : r.notes()) {
                sb.append("- ").append(n).append('\n');
            }
        }
        if (listTensors) {
            sb.append("\nAll tensors\n");
            TextTable all = new TextTable("name", "shape", "dtype", "kind", "role", "parameters", "bytes");
            for (Row row : r.rows()) {
                Tensor t = row.tensor();
                String shape = Shapes.format(t.shape()) + t.packing().map(p -> " -> " + Shapes.format(p.logicalShape()))
                        .orElse("");
                all.row(t.name(), shape, t.dtype(), row.classification().kind()
                        + (row.classification().part().isEmpty() ? "" : "/" + row.classification().part()),
                        t.role().name().toLowerCase(java.util.Locale.ROOT), Units.exact(t.parameters()),
                        Units.exact(t.bytes()));
            }
            sb.append(all.render());
        }
        return sb.toString();
    }

    private static TextTable tensorTable(Iterable<Tensor> tensors) {
        TextTable t = new TextTable("name", "shape", "dtype", "parameters", "bytes");
        for (Tensor x : tensors) {
            t.row(x.name(), Shapes.format(x.shape()), x.dtype(), Units.exact(x.parameters()), Units.bytes(x.bytes()));
        }
        return t;
    }

    private static String share(long part, long whole) {
        return whole == 0 ? "" : Units.percent((double) part / whole);
    }

    static String fileName(Path p) {
        return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }
}
