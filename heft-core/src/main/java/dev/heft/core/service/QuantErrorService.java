package dev.heft.core.service;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.quant.QuantErrorOptions;
import dev.heft.core.quant.QuantErrorProgress;
import dev.heft.core.quant.QuantErrorReport;
import dev.heft.core.quant.QuantErrorScanner;
import dev.heft.core.precision.Precisions;
import dev.heft.core.quant.QuantScheme;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code heft quant-error}: the quantize -> dequantize round trip (or magnitude pruning) of every floating-point tensor
 * of a real file, streamed from the mapping, with RMSE, max error, SQNR and cosine per tensor and overall, and the
 * tensors each scheme hurts most (a ranking to turn into a {@code --keep} list).
 */
public final class QuantErrorService {
    public static final String DEFAULT_SCHEMES = "q8_0,q4_0,q4_k,int8-channel,int4-g128,nf4,fp8-e4m3";
    public static final Set<String> OPTIONS = Set.of("scheme", "prune", "threads", "include-vectors", "top", "rows");

    private QuantErrorService() {
    }

    public static Result run(ResolvedModel model, Options o, QuantErrorProgress progress) {
        o.requireOnly(OPTIONS);
        if (!(model instanceof ResolvedModel.Stored stored)) {
            throw new InvalidInputException("'" + model.label() + "' has no weights to measure: quant-error reads a "
                    + "real file (safetensors, GGUF F32/F16/BF16, PyTorch, ONNX)");
        }
        List<QuantScheme> schemes = new ArrayList<>(Precisions.roundTrips(o.string("scheme", DEFAULT_SCHEMES)));
        o.string("prune").ifPresent(p -> schemes.addAll(Precisions.roundTrips(p)));
        QuantErrorOptions opts = QuantErrorOptions.defaults();
        if (o.string("threads").isPresent()) {
            opts = opts.withThreads((int) o.integer("threads", 1, 1, 1024));
        }
        opts = new QuantErrorOptions(opts.threads(), opts.chunkBytes(), o.flag("include-vectors"),
                (int) o.integer("top", 10, 0, 10_000));
        QuantErrorReport r = QuantErrorScanner.scan(stored.inventory(), schemes, opts, progress);

        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.quant-error/1");
        j.put("model", stored.label());
        j.put("kernel", r.kernel());
        List<Object> overall = new ArrayList<>();
        for (QuantErrorReport.SchemeError s : r.overall()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scheme", s.scheme());
            m.put("tensors", s.tensors());
            m.put("elements", s.elements());
            m.put("rmse", s.rmse());
            m.put("max_abs_err", s.maxAbsErr());
            m.put("sqnr_db", finite(s.sqnrDb()));
            m.put("cosine", s.cosine());
            m.put("most_sensitive", s.mostSensitive());
            overall.add(m);
        }
        j.put("overall", overall);
        List<Object> rows = new ArrayList<>();
        for (QuantErrorReport.TensorError t : r.tensors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.tensor());
            m.put("scheme", t.scheme());
            m.put("elements", t.elements());
            m.put("rmse", t.rmse());
            m.put("max_abs_err", t.maxAbsErr());
            m.put("sqnr_db", finite(t.sqnrDb()));
            m.put("cosine", t.cosine());
            rows.add(m);
        }
        j.put("tensors", rows);
        List<Object> skipped = new ArrayList<>();
        r.skipped().forEach(s -> skipped.add(Map.of("name", s.tensor(), "scheme", s.scheme() == null ? "" : s.scheme(),
                "reason", s.reason())));
        j.put("skipped", skipped);
        j.put("notes", List.of("sqnr_db is null where the round trip is exact (infinite SQNR) or the tensor is all "
                + "zeros; llama.cpp types reproduce llama.cpp's reference quantizers bit for bit"));
        return new Result(j, text(stored.label(), r, (int) o.integer("rows", 20, 0, 1_000_000)));
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String text(String label, QuantErrorReport r, int rows) {
        StringBuilder out = new StringBuilder();
        out.append("Model   ").append(label).append("\nKernel  ").append(r.kernel()).append("\n\nOverall\n");
        TextTable t = new TextTable("scheme", "tensors", "elements", "RMSE", "max abs err", "SQNR dB", "cosine");
        for (QuantErrorReport.SchemeError s : r.overall()) {
            t.row(s.scheme(), s.tensors(), Units.exact(s.elements()), sci(s.rmse()), sci(s.maxAbsErr()),
                    db(s.sqnrDb()), Units.fixed(s.cosine(), 6));
        }
        out.append(t.render());
        out.append("\nMost sensitive tensors (lowest SQNR first; keep these at higher precision)\n");
        for (QuantErrorReport.SchemeError s : r.overall()) {
            out.append("- ").append(s.scheme()).append(": ").append(String.join(", ", s.mostSensitive()))
                    .append('\n');
        }
        if (rows > 0) {
            out.append("\nWorst tensors (").append(Math.min(rows, r.tensors().size())).append(" of ")
                    .append(r.tensors().size()).append(" rows by SQNR; --json lists all)\n");
            TextTable w = new TextTable("tensor", "scheme", "RMSE", "max abs err", "SQNR dB", "cosine");
            r.tensors().stream().sorted(Comparator.comparingDouble(QuantErrorReport.TensorError::sqnrDb)).limit(rows)
                    .forEach(x -> w.row(x.tensor(), x.scheme(), sci(x.rmse()), sci(x.maxAbsErr()), db(x.sqnrDb()),
                            Units.fixed(x.cosine(), 6)));
            out.append(w.render());
        }
        if (!r.skipped().isEmpty()) {
            out.append('\n').append(r.skipped().size()).append(" (tensor, scheme) pairs skipped, e.g. ")
                    .append(r.skipped().getFirst().tensor()).append(": ").append(r.skipped().getFirst().reason())
                    .append('\n');
        }
        return out.toString();
    }

    private static String sci(double v) {
        return String.format(java.util.Locale.ROOT, "%.3e", v);
    }

    private static String db(double v) {
        return Double.isInfinite(v) ? "exact" : Double.isNaN(v) ? "-" : Units.fixed(v, 2);
    }
}
