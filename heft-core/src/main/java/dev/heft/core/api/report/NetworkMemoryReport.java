package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft memory} for a torch.nn network (schema {@value #SCHEMA}, shared with transformers; {@code kind} is
 * {@value #KIND}): weights, buffers, the input batch, the peak of live activations over an eval-mode forward pass
 * and, on a GPU, the CUDA context, each with its formula; optionally the precision table and the largest batch within
 * a budget.
 *
 * @param kind                        always {@value #KIND}: tells a network's estimate from a transformer's in the
 *                                    shared schema
 * @param dtype                       the precision of weights and activations (fp32, fp16, bf16, int8, fp8)
 * @param bitsPerWeight               bits of one stored weight at {@code dtype}
 * @param input                       the input shape, batch first
 * @param weightsBytes                parameters and buffers at {@code dtype}
 * @param activationsBytes            the input batch plus the peak of live activations at the batch
 * @param overheadBytes               the CUDA context on a GPU budget; 0 otherwise
 * @param activationPeakBytesPerImage the peak of live activations at batch 1 (it grows linearly with the batch)
 * @param totalBytes                  the sum of the parts
 * @param budgetBytes                 the budget asked about, with {@code --budget}
 * @param maxBatch                    the largest batch within the budget (0: one image does not fit)
 * @param precisions                  the precision table, with {@code --dtypes}
 */
public record NetworkMemoryReport(
        String model,
        String kind,
        long parameters,
        String dtype,
        double bitsPerWeight,
        List<Long> input,
        long batch,
        long weightsBytes,
        long activationsBytes,
        long overheadBytes,
        long activationPeakBytesPerImage,
        List<MemoryPartEntry> parts,
        long totalBytes,
        List<String> assumptions,
        @OmitWhenEmpty Optional<Long> budgetBytes,
        @OmitWhenEmpty Optional<Long> maxBatch,
        @OmitWhenEmpty Optional<List<PrecisionRow>> precisions)
        implements Report {
    public static final String SCHEMA = MemoryReport.SCHEMA;
    /** The {@code kind} of every network report. */
    public static final String KIND = "torch.nn network";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * One row of the precision table, at the requested batch.
     *
     * @param totalBytes the whole estimate at this precision
     */
    public record PrecisionRow(
            String dtype, double bitsPerWeight, long weightsBytes, long activationPeakBytesPerImage, long totalBytes) {}
}
