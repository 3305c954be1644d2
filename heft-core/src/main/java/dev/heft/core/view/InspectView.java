package dev.heft.core.view;

import static dev.heft.core.api.render.Document.field;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.InspectReport;
import dev.heft.core.api.report.InspectReport.TensorEntry;
import dev.heft.core.report.Units;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code heft inspect} for people: the totals, where the parameters sit, dtypes, blocks, the largest tensors. */
public final class InspectView {
    private InspectView() {}

    public static Document of(InspectReport r) {
        Document.Builder d = Document.builder();
        String files = r.files().size() == 1
                ? r.files().getFirst()
                : r.files().size() + " files (" + fileName(r.files().getFirst()) + " ... "
                        + fileName(r.files().getLast()) + ")";
        List<Document.Field> head = new ArrayList<>();
        head.add(field("Model", files));
        r.source()
                .ifPresent(src -> head.add(
                        field("Source", source(src, r.transferredBytes().orElse(0L)))));
        head.add(field("Format", r.format()));
        head.add(field("Tensors", Units.exact(r.tensors())));
        head.add(field("Parameters", Units.exact(r.parameters()) + "  (" + Units.count(r.parameters()) + ")"));
        head.add(field(
                "Tensor bytes",
                Units.exact(r.tensorBytes()) + "  (" + Units.bytes(r.tensorBytes()) + ")"
                        + (r.parameters() > 0
                                ? ", " + Units.fixed(r.bitsPerParameter(), 3) + " bits per parameter"
                                : "")));
        if (r.quantOverhead().bytes() > 0) {
            long o = r.quantOverhead().bytes();
            head.add(field(
                    "Overhead",
                    Units.exact(o) + "  (" + Units.bytes(o) + ", " + share(o, r.tensorBytes())
                            + " of tensor bytes) quantization scales, zero points and indices; not parameters"));
        }
        head.add(field(
                "Embedding",
                Units.count(r.embeddingParameters()) + " parameters; non-embedding "
                        + Units.count(r.nonEmbeddingParameters())));
        head.add(field("Biases", Units.exact(r.biasParameters()) + " parameters"));
        r.tiedHead().ifPresent(t -> head.add(field("Head", t.tied() ? "tied to the token embedding" : "untied")));
        d.fields(13, head);

        var kinds = Document.table("By layer kind", "kind", "parameters", "share", "bytes", "tensors", "of which bias");
        r.byKindDetail()
                .forEach((kind, k) -> kinds.row(
                        kind,
                        Cell.exact(k.parameters()),
                        share(k.parameters(), r.parameters()),
                        Cell.bytes(k.bytes()),
                        k.tensors(),
                        k.biasParameters() == 0 ? "" : Cell.exact(k.biasParameters())));
        d.table(kinds);

        var dtypes = Document.table("By dtype", "dtype", "parameters", "bytes", "bits/param", "tensors");
        r.byDtype()
                .forEach((dtype, x) -> dtypes.row(
                        dtype,
                        Cell.exact(x.parameters()),
                        Cell.bytes(x.bytes()),
                        x.parameters() == 0 ? "" : Units.fixed(x.bytes() * 8.0 / x.parameters(), 3),
                        x.tensors()));
        d.table(dtypes);

        if (!r.packedLayouts().isEmpty()) {
            var packed = Document.table(
                    "Packed quantized weights (parameters are the unquantized layers' shapes)",
                    "layout",
                    "tensors",
                    "parameters",
                    "packed bytes",
                    "overhead",
                    "bits/weight");
            for (InspectReport.PackedLayout p : r.packedLayouts()) {
                packed.row(
                        p.layout(),
                        p.tensors(),
                        Cell.exact(p.parameters()),
                        Cell.bytes(p.bytes()),
                        Cell.bytes(p.overheadBytes()),
                        Units.fixed(p.bitsPerWeight(), 3));
            }
            d.table(packed);
        }

        if (!r.blocks().isEmpty()) {
            var blocks =
                    Document.table("Repeated blocks", "container", "blocks", "parameters per block", "total", "share");
            for (InspectReport.BlockStack b : r.blocks()) {
                String per = b.minParameters() == b.maxParameters()
                        ? Units.exact(b.minParameters())
                        : Units.exact(b.minParameters()) + " .. " + Units.exact(b.maxParameters());
                blocks.row(
                        b.container(),
                        b.blocks(),
                        per,
                        Cell.count(b.parameters()),
                        share(b.parameters(), r.parameters()));
            }
            d.table(blocks);
        }

        d.table(tensorTable("Largest tensors", r.largest()));
        if (!r.other().isEmpty()) {
            d.paragraph("Unclassified (other): " + String.join(", ", r.other()));
        }
        d.bullets("Notes", r.notes());
        r.tensorList().ifPresent(list -> {
            var all = Document.table("All tensors", "name", "shape", "dtype", "kind", "role", "parameters", "bytes");
            for (TensorEntry t : list) {
                String part = t.part().orElse("");
                String shape = shape(t.shape())
                        + t.logicalShape().map(l -> " -> " + shape(l)).orElse("");
                all.row(
                        t.name(),
                        shape,
                        t.dtype(),
                        t.kind().orElse("") + (part.isEmpty() ? "" : "/" + part),
                        t.role(),
                        Cell.exact(t.parameters()),
                        Cell.exact(t.bytes()));
            }
            d.table(all);
        });
        return d.build();
    }

    private static Document.TableBuilder tensorTable(String title, List<TensorEntry> tensors) {
        var t = Document.table(title, "name", "shape", "dtype", "parameters", "bytes");
        for (TensorEntry x : tensors) {
            t.row(x.name(), shape(x.shape()), x.dtype(), Cell.exact(x.parameters()), Cell.bytes(x.bytes()));
        }
        return t;
    }

    /** A shape as numpy and torch print it: {@code [256, 512]}. */
    static String shape(List<Long> dims) {
        return dims.toString();
    }

    static String share(long part, long whole) {
        return whole == 0 ? "" : Units.percent((double) part / whole);
    }

    private static String fileName(String p) {
        Path name = Path.of(p).getFileName();
        return name == null ? p : name.toString();
    }

    /** {@code hf meta-llama/Llama-3.1-8B @ main, commit 0123abcd4567, 1.2 MiB transferred in 7 requests}. */
    private static String source(InspectReport.Source s, long transferred) {
        StringBuilder sb = new StringBuilder(s.kind()).append(' ').append(s.id());
        s.revision().ifPresent(r -> sb.append(" @ ").append(r));
        s.commit()
                .ifPresent(c -> sb.append(", ")
                        .append(s.kind().equals("ollama") ? "digest " : "commit ")
                        .append(c.length() > 19 ? c.substring(0, 19) : c));
        if (s.requests() > 0) {
            sb.append(", ")
                    .append(Units.bytes(transferred))
                    .append(" transferred in ")
                    .append(s.requests())
                    .append(s.requests() == 1 ? " request" : " requests");
        } else {
            sb.append(", no network");
        }
        return sb.toString();
    }
}
