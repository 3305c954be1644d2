package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft fit}: devices x precisions (schema {@value #SCHEMA}): whether the model fits, the headroom, the longest
 * context at batch 1 and the estimated speed.
 *
 * @param kvDtype the KV cache type every row assumes
 */
public record FitReport(String model, long parameters, long batch, long context, List<Row> rows, List<String> notes,
                        String kvDtype) implements Report {
    public static final String SCHEMA = "heft.fit/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * One device at one precision.
     *
     * @param totalBytes         what inference needs at the requested batch and context (the peak)
     * @param usableBytes        the device's memory less what its runtime and OS keep
     * @param headroomBytes      usable minus total (negative when it does not fit)
     * @param maxContext         the longest context that fits at batch 1 (0 when even the weights do not fit)
     * @param decodeTokensPerS   estimated decode rate (absent when heft cannot model the speed)
     * @param why                why it does not fit (empty when it does)
     */
    public record Row(String device, String dtype, boolean fits, long weightsBytes, long totalBytes, long usableBytes,
                      long headroomBytes, long maxContext, @JsonName("decode_tokens_per_s") Optional<Double>
                              decodeTokensPerS,
                      @JsonName("prefill_tokens_per_s") Optional<Double> prefillTokensPerS,
                      @JsonName("time_to_first_token_s") Optional<Double> timeToFirstTokenS, String why) {
    }
}
