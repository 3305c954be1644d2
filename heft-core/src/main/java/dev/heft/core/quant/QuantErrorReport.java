package dev.heft.core.quant;

import java.util.List;

/**
 * What the error scan found.
 *
 * @param kernel   which kernel implementation ran ("vector-512", "scalar")
 * @param tensors  one row per (tensor, scheme) that was measured, in inventory order then scheme order
 * @param overall  one row per scheme, over every tensor measured with it, in scheme order
 * @param skipped  (tensor, scheme) pairs not measured and why; scheme is null when the whole tensor was left out
 */
public record QuantErrorReport(
        String kernel, List<TensorError> tensors, List<SchemeError> overall, List<Skipped> skipped) {
    public QuantErrorReport {
        tensors = List.copyOf(tensors);
        overall = List.copyOf(overall);
        skipped = List.copyOf(skipped);
    }

    /**
     * Round-trip error of one tensor under one scheme, compared element by element with the stored values.
     *
     * @param rmse      sqrt(mean((x' - x)^2))
     * @param maxAbsErr max |x' - x|
     * @param sqnrDb    10 log10(sum x^2 / sum (x' - x)^2); +Infinity when the round trip is exact
     * @param cosine    cosine similarity of x' and x
     */
    public record TensorError(
            String tensor, String scheme, long elements, double rmse, double maxAbsErr, double sqnrDb, double cosine) {}

    /**
     * The same metrics over all tensors measured with one scheme, as if they were one vector, plus the tensors that
     * suffer most (lowest SQNR first): the candidates to keep at higher precision.
     */
    public record SchemeError(
            String scheme,
            int tensors,
            long elements,
            double rmse,
            double maxAbsErr,
            double sqnrDb,
            double cosine,
            List<String> mostSensitive) {
        public SchemeError {
            mostSensitive = List.copyOf(mostSensitive);
        }
    }

    public record Skipped(String tensor, String scheme, String reason) {}
}
