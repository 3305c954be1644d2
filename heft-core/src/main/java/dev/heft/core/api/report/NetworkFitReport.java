package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft fit} for a torch.nn network (schema {@value #SCHEMA}, shared with transformers; {@code kind} is
 * {@value NetworkMemoryReport#KIND}): devices x precisions, whether the batch fits, the largest batch that does, and
 * images per second.
 *
 * @param input    the input shape every row assumes, batch first
 * @param verdicts one answer per device: the most precise precision that fits and the fastest
 */
public record NetworkFitReport(
        String model,
        String kind,
        long parameters,
        List<Long> input,
        long batch,
        List<Row> rows,
        List<FitReport.Verdict> verdicts,
        List<String> notes)
        implements Report {
    public static final String SCHEMA = FitReport.SCHEMA;

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * One device at one precision.
     *
     * @param totalBytes    what the device holds at the batch: weights, buffers, input, peak activations (+ the CUDA
     *                      context on a GPU)
     * @param headroomBytes usable minus total (negative when it does not fit)
     * @param maxBatch      the largest batch that fits (0: one image does not)
     * @param imagesPerS    estimated images per second at the batch (absent when it does not fit or the device's rates
     *                      are unknown)
     * @param noSpeedReason why there is no speed
     * @param why           why it does not fit (empty when it does)
     */
    public record Row(
            String device,
            String dtype,
            boolean fits,
            long weightsBytes,
            long totalBytes,
            long usableBytes,
            long headroomBytes,
            long maxBatch,
            @JsonName("images_per_s") Optional<Double> imagesPerS,
            Optional<String> noSpeedReason,
            String why) {}
}
