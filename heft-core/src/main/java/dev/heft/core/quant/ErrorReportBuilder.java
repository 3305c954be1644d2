package dev.heft.core.quant;

import dev.heft.core.quant.QuantErrorReport.SchemeError;
import dev.heft.core.quant.QuantErrorReport.Skipped;
import dev.heft.core.quant.QuantErrorReport.TensorError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the per-chunk sums the passes left in the plans into the {@link QuantErrorReport}: adds each tensor's chunks
 * in chunk order (so the totals do not depend on thread scheduling), the pruning ties once per tensor, the overall
 * sums per scheme, and the most sensitive tensors of each scheme.
 */
final class ErrorReportBuilder {
    private ErrorReportBuilder() {}

    static QuantErrorReport report(
            List<TensorPlan> plans, List<QuantScheme> schemes, QuantErrorOptions options, List<Skipped> skipped) {
        List<TensorError> rows = new ArrayList<>();
        List<List<TensorError>> byScheme = new ArrayList<>();
        List<ErrorSums> overall = new ArrayList<>();
        for (int i = 0; i < schemes.size(); i++) {
            byScheme.add(new ArrayList<>());
            overall.add(new ErrorSums());
        }
        for (TensorPlan p : plans) {
            for (int si : p.schemes) {
                ErrorSums t = new ErrorSums();
                for (int c = 0; c < p.chunks; c++) {
                    t.add(p.partial[c][si]);
                }
                if (schemes.get(si) instanceof QuantScheme.MagnitudePrune && p.pruneTies > 0) {
                    PruneThreshold.addTies(t, p.pruneThreshold, p.pruneTies);
                }
                TensorError row = new TensorError(
                        p.tensor.name(), schemes.get(si).name(), t.n, t.rmse(), t.maxAbsErr, t.sqnrDb(), t.cosine());
                rows.add(row);
                byScheme.get(si).add(row);
                overall.get(si).add(t);
            }
        }
        List<SchemeError> out = new ArrayList<>();
        Comparator<TensorError> worstFirst = Comparator.comparingDouble(
                        (TensorError r) -> Double.isNaN(r.sqnrDb()) ? Double.POSITIVE_INFINITY : r.sqnrDb())
                .thenComparing(Comparator.comparingDouble(TensorError::rmse).reversed());
        for (int i = 0; i < schemes.size(); i++) {
            ErrorSums s = overall.get(i);
            List<String> ranking = byScheme.get(i).stream()
                    .sorted(worstFirst)
                    .limit(options.topSensitive())
                    .map(TensorError::tensor)
                    .toList();
            out.add(new SchemeError(
                    schemes.get(i).name(),
                    byScheme.get(i).size(),
                    s.n,
                    s.rmse(),
                    s.maxAbsErr,
                    s.sqnrDb(),
                    s.cosine(),
                    ranking));
        }
        return new QuantErrorReport(ErrorKernel.preferred().name(), rows, out, skipped);
    }
}
