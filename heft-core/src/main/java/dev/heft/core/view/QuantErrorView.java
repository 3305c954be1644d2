package dev.heft.core.view;

import static dev.heft.core.api.render.Document.field;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.report.QuantErrorReport;
import dev.heft.core.api.report.QuantErrorReport.TensorError;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code heft quant-error} for people: per scheme overall, the most sensitive tensors, the worst rows. */
public final class QuantErrorView {
    private QuantErrorView() {}

    /** @param rows how many of the worst (tensor, scheme) rows to print; the JSON lists all */
    public static Document of(QuantErrorReport r, int rows) {
        Document.Builder d = Document.builder();
        d.fields(8, field("Model", r.model()), field("Kernel", r.kernel()));
        var t = Document.table("Overall", "scheme", "tensors", "elements", "RMSE", "max abs err", "SQNR dB", "cosine");
        for (QuantErrorReport.SchemeError s : r.overall()) {
            if (s.tensors() == 0) {
                // Nothing was measured (no tensor this scheme applies to): no error figures, not a perfect score.
                t.row(s.scheme(), 0, 0, "-", "-", "-", "-");
            } else {
                t.row(
                        s.scheme(),
                        s.tensors(),
                        Cell.exact(s.elements()),
                        sci(s.rmse()),
                        sci(s.maxAbsErr()),
                        db(s.sqnrDb()),
                        Units.fixed(s.cosine(), 6));
            }
        }
        d.table(t);
        List<String> sensitive = new ArrayList<>();
        r.overall().forEach(s -> sensitive.add(s.scheme() + ": " + String.join(", ", s.mostSensitive())));
        d.bullets("Most sensitive tensors (lowest SQNR first; keep these at higher precision)", sensitive);
        if (rows > 0) {
            var w = Document.table(
                    "Worst tensors (" + Math.min(rows, r.tensors().size()) + " of "
                            + r.tensors().size() + " rows by SQNR; --json lists all)",
                    "tensor",
                    "scheme",
                    "RMSE",
                    "max abs err",
                    "SQNR dB",
                    "cosine");
            r.tensors().stream()
                    .sorted(Comparator.comparingDouble(QuantErrorView::sqnrOrInfinity))
                    .limit(rows)
                    .forEach(x -> w.row(
                            x.name(),
                            x.scheme(),
                            sci(x.rmse()),
                            sci(x.maxAbsErr()),
                            db(x.sqnrDb()),
                            Units.fixed(x.cosine(), 6)));
            d.table(w);
        }
        if (!r.skipped().isEmpty()) {
            d.paragraph(r.skipped().size() + " (tensor, scheme) pairs skipped, e.g. "
                    + r.skipped().getFirst().name() + ": "
                    + r.skipped().getFirst().reason());
        }
        return d.build();
    }

    /** Exact round trips (no SQNR) sort last: they are the least sensitive. */
    private static double sqnrOrInfinity(TensorError t) {
        return t.sqnrDb().orElse(Double.POSITIVE_INFINITY);
    }

    private static Cell sci(double v) {
        return new Cell(String.format(Locale.ROOT, "%.3e", v), Double.toString(v));
    }

    private static String db(Optional<Double> v) {
        return v.map(x -> Units.fixed(x, 2)).orElse("exact");
    }
}
