package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft fit}: devices x precisions (schema {@value #SCHEMA}): whether the model fits, the headroom, the longest
 * context at batch 1 and the estimated speed.
 *
 * @param kvDtype          the KV cache type every row assumes
 * @param verdicts         one answer per device: fits at which precision and context, or the best way to run it
 * @param trainingVerdicts per device, whether full fine-tuning, LoRA or QLoRA fits, with {@code --train}
 * @param warnings         what the user asked that the model was not built for (a context past its limit)
 * @param contextLimit     the longest sequence the model was built for; no row's max context exceeds it
 * @param notApplicable    the listed precisions that cannot be made of this model (no rows; each with its reason)
 */
public record FitReport(
        String model,
        long parameters,
        long batch,
        long context,
        List<Row> rows,
        List<Verdict> verdicts,
        @OmitWhenEmpty Optional<List<Verdict>> trainingVerdicts,
        List<String> notes,
        String kvDtype,
        List<String> warnings,
        @OmitWhenEmpty Optional<Long> contextLimit,
        @OmitWhenEmpty Optional<List<NotApplicable>> notApplicable)
        implements Report {
    public static final String SCHEMA = "heft.fit/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * One device at one precision.
     *
     * @param totalBytes         what the device holds at the requested batch and context (the peak)
     * @param usableBytes        the device's memory less what its runtime and OS keep
     * @param headroomBytes      usable minus total (negative when it does not fit)
     * @param maxContext         the longest context that fits at batch 1 (0 when even the weights do not fit)
     * @param decodeTokensPerS   estimated decode rate (absent when heft cannot model the speed)
     * @param why                why it does not fit (empty when it does)
     * @param runtime            the runtime modelled on this device (llama.cpp for GGUF weights, else by device)
     * @param deviceBytes        what the runtime holds on the device ({@code total_bytes} is the same)
     * @param hostBytes          what it holds in host memory
     * @param speedPlacement     where the speed was estimated for: all on the device, or the offloaded split
     * @param noSpeedReason      why there is no speed (a model that does not fit and cannot be offloaded)
     * @param offload            how llama.cpp would split a model that does not fit (layers or experts in host memory)
     * @param dtypeOrigin        {@code as stored} or {@code as published} on the rows of the model's own precision
     */
    public record Row(
            String device,
            String dtype,
            boolean fits,
            long weightsBytes,
            long totalBytes,
            long usableBytes,
            long headroomBytes,
            long maxContext,
            @JsonName("decode_tokens_per_s") Optional<Double> decodeTokensPerS,
            @JsonName("prefill_tokens_per_s") Optional<Double> prefillTokensPerS,
            @JsonName("time_to_first_token_s") Optional<Double> timeToFirstTokenS,
            String why,
            String runtime,
            long deviceBytes,
            long hostBytes,
            Optional<String> speedPlacement,
            Optional<String> noSpeedReason,
            @OmitWhenEmpty Optional<Offload> offload,
            @OmitWhenEmpty Optional<String> dtypeOrigin) {}

    /**
     * A model split between a GPU and host memory.
     *
     * @param kind      {@code layers} ({@code -ngl}), {@code moe_experts} ({@code --n-cpu-moe}), {@code none}
     * @param flags     the llama.cpp flags that give the split
     */
    public record Offload(
            String kind,
            long gpuLayers,
            long totalLayers,
            long cpuMoeLayers,
            long deviceBytes,
            long hostBytes,
            String flags,
            List<String> assumptions) {}

    /**
     * A listed precision that does not apply to the model: {@code applicable} is always false (the key the memory
     * table's rows carry), {@code reason} says why (llama-quantize has no fallback for a row length, a format that
     * quantizes nothing).
     */
    public record NotApplicable(String dtype, boolean applicable, String reason) {}

    /** @param outcome {@code fits}, {@code offloaded} or {@code does_not_fit}, for scripts to branch on */
    public record Verdict(String device, String outcome, String verdict) {}
}
