package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft quant-error}: the quantize-dequantize round trip (or magnitude pruning) of every floating-point tensor of
 * a real file (schema {@value #SCHEMA}). {@code sqnr_db} is {@code null} where the round trip is exact (infinite
 * SQNR) or the tensor is all zeros.
 *
 * @param kernel   which implementation ran (vector or scalar)
 * @param overall  per scheme, over all tensors
 * @param tensors  per tensor and scheme
 * @param skipped  (tensor, scheme) pairs not measured, with why
 */
public record QuantErrorReport(
        String model,
        String kernel,
        List<SchemeError> overall,
        List<TensorError> tensors,
        List<Skipped> skipped,
        List<String> notes)
        implements Report {
    public static final String SCHEMA = "heft.quant-error/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /** @param mostSensitive the tensors with the lowest SQNR under this scheme: candidates to keep at higher precision */
    public record SchemeError(
            String scheme,
            long tensors,
            long elements,
            double rmse,
            double maxAbsErr,
            Optional<Double> sqnrDb,
            double cosine,
            List<String> mostSensitive) {}

    public record TensorError(
            String name,
            String scheme,
            long elements,
            double rmse,
            double maxAbsErr,
            Optional<Double> sqnrDb,
            double cosine) {}

    public record Skipped(String name, String scheme, String reason) {}
}
