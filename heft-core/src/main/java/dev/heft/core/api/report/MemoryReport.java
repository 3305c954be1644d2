package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft memory} for inference (schema {@value #SCHEMA}): the weights at a precision, then every part of the
 * memory a forward pass needs, each with its formula; optionally the precision table ({@code --dtypes}) and the longest
 * context and largest batch within a budget ({@code --budget}).
 *
 * @param dtype           the precision the weights are planned in ({@code bf16}, {@code Q4_K_M}, as stored)
 * @param bitsPerWeight   weight bytes x 8 / parameters
 * @param runtime         the runtime whose overheads are modelled
 * @param activationBytes activations plus logits
 * @param totalBytes      the sum of the parts
 * @param budgetBytes     the budget asked about, with {@code --budget}
 * @param maxContext      the longest context within the budget at the requested batch
 * @param maxBatch        the largest batch within the budget at the requested context
 * @param deviceBytes     what the runtime holds on the device (llama.cpp keeps its output buffer in host memory)
 * @param hostBytes       what it holds in host memory
 * @param cacheTypeK      llama.cpp's K cache type, when llama.cpp is the runtime
 * @param cacheTypeV      llama.cpp's V cache type, when llama.cpp is the runtime
 * @param dtypeOrigin     {@code as stored} or {@code as published} when {@code dtype} is the model's own precision
 * @param warnings        what the user asked that the model was not built for (a context past its limit)
 * @param contextLimit    the longest sequence the model was built for, when its config or metadata says
 */
public record MemoryReport(
        String model,
        long parameters,
        String dtype,
        double bitsPerWeight,
        long batch,
        long context,
        String phase,
        String attention,
        String kvDtype,
        long weightsBytes,
        long kvCacheBytes,
        long activationsBytes,
        long logitsBytes,
        long gradientsBytes,
        long optimizerBytes,
        long autocastCopiesBytes,
        long overheadBytes,
        List<MemoryPartEntry> parts,
        long activationBytes,
        long totalBytes,
        List<String> assumptions,
        @OmitWhenEmpty Optional<Long> budgetBytes,
        @OmitWhenEmpty Optional<Long> maxContext,
        @OmitWhenEmpty Optional<Long> maxBatch,
        @OmitWhenEmpty Optional<List<PrecisionRow>> precisions,
        String logits,
        String runtime,
        long deviceBytes,
        long hostBytes,
        @OmitWhenEmpty Optional<String> cacheTypeK,
        @OmitWhenEmpty Optional<String> cacheTypeV,
        @OmitWhenEmpty Optional<String> dtypeOrigin,
        List<String> warnings,
        @OmitWhenEmpty Optional<Long> contextLimit)
        implements Report {
    public static final String SCHEMA = "heft.memory/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * One row of the precision table.
     *
     * @param savingsVsFp16       1 - weights / (parameters x 2 B): the saving against 16-bit weights (fp16 and bf16
     *                            alike)
     * @param totalBytes          the whole inference estimate at this precision
     * @param applicable          false when the format quantizes nothing in this model: the other figures are then
     *                            the unquantized model's and the table shows n/a
     * @param notApplicableReason why, when not applicable
     * @param dtypeOrigin         {@code as stored} or {@code as published} on the row of the model's own precision
     */
    public record PrecisionRow(
            String dtype,
            double bitsPerWeight,
            long weightsBytes,
            double savingsVsFp16,
            long totalBytes,
            boolean applicable,
            Optional<String> notApplicableReason,
            @OmitWhenEmpty Optional<String> dtypeOrigin) {
        public PrecisionRow(
                String dtype, double bitsPerWeight, long weightsBytes, double savingsVsFp16, long totalBytes) {
            this(
                    dtype,
                    bitsPerWeight,
                    weightsBytes,
                    savingsVsFp16,
                    totalBytes,
                    true,
                    Optional.empty(),
                    Optional.empty());
        }
    }
}
