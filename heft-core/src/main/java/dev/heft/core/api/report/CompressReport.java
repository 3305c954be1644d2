package dev.heft.core.api.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heft compress}: what quantization, pruning and distillation buy (schema {@value #SCHEMA}): parameters, weight
 * bytes, bits per weight and inference memory before and after, and the devices the model newly fits.
 *
 * @param steps        what was applied, in order
 * @param newlyFits    devices the compressed model fits and the original did not
 * @param noLongerFits devices the original fits and the compressed model does not
 * @param quantization the per-tensor plan's encodings, with {@code --quant}
 * @param keep         per kept group ({@code --keep embeddings,head=fp16}): its dtype and the bytes it adds
 * @param pruning      unstructured pruning's storage, with {@code --prune 50%} or {@code 2:4}
 * @param warnings     what the user asked that the model was not built for (a context past its limit)
 * @param afterShape   the architecture after structured pruning or distillation
 */
public record CompressReport(
        String model,
        List<String> steps,
        long context,
        long batch,
        Side before,
        Side after,
        List<String> newlyFits,
        List<String> noLongerFits,
        @OmitWhenEmpty Optional<Quantization> quantization,
        @OmitWhenEmpty Optional<Map<String, KeptGroup>> keep,
        @OmitWhenEmpty Optional<Pruning> pruning,
        List<String> notes,
        List<String> warnings,
        @OmitWhenEmpty Optional<Shape> afterShape)
        implements Report {
    public static final String SCHEMA = "heft.compress/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * The model on one side of the change.
     *
     * @param bytes       weight bytes
     * @param memoryBytes inference memory at the report's batch and context
     * @param fits        the devices tried that it fits
     * @param formatOrigin {@code as stored} or {@code as published} when {@code format} is the model's own precision
     */
    public record Side(
            String label,
            long parameters,
            long bytes,
            double bitsPerWeight,
            String format,
            long memoryBytes,
            List<String> fits,
            @OmitWhenEmpty Optional<String> formatOrigin) {}

    /**
     * A transformer's shape after structured pruning or distillation: what the new config builds.
     *
     * @param experts routed experts per MoE layer, for MoE models
     */
    public record Shape(
            long layers,
            long hiddenSize,
            long attentionHeads,
            long kvHeads,
            long intermediateSize,
            @OmitWhenEmpty Optional<Long> experts) {}

    /**
     * @param encodings           tensors per encoding ({@code Q4_K: 193})
     * @param applicable          false when the format found nothing to quantize in this model (then the after side
     *                            is the model unquantized, not a 0% saving)
     * @param notApplicableReason what the format targets and why this model has none of it, when not applicable
     */
    public record Quantization(
            String format,
            Map<String, Long> encodings,
            List<String> notes,
            boolean applicable,
            Optional<String> notApplicableReason) {
        public Quantization(String format, Map<String, Long> encodings, List<String> notes) {
            this(format, encodings, notes, true, Optional.empty());
        }
    }

    /** @param bytesDelta bytes the group adds by staying at {@code dtype} instead of the quantized format */
    public record KeptGroup(String dtype, long bytesDelta) {}

    /**
     * @param sparsity          fraction of prunable weights removed
     * @param format            the storage format priced
     * @param storageBytes      the pruned weights' bytes in each storage format
     */
    public record Pruning(
            double sparsity,
            String format,
            long prunableParameters,
            long parametersRemoved,
            long prunableBytesDense,
            Map<String, Long> storageBytes,
            String note) {}
}
