package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft speed}: decode (memory-bound) and prefill (compute-bound) on one device, with the factors stated
 * (schema {@value #SCHEMA}).
 *
 * @param decodeBytesPerStep   bytes read per decode step (weights, MoE: the experts touched, plus the KV cache)
 * @param prefillFlops         FLOPs of the prompt's prefill
 * @param weightsBytes         the weights at {@code dtype}
 * @param deviceName           the device's full name
 * @param bandwidthBytesPerS   the device's peak memory bandwidth
 * @param peakTflops           the device's peak dense throughput in {@code computeDtype}
 * @param computeDtype         the type the matrix products run in (weight-only quantization computes in bf16)
 * @param placement            where it runs: all on the device, or the layers offloaded to host memory
 * @param noSpeedReason        why there is no speed: the figures above are then null (a model that does not fit
 *                             and cannot be offloaded has no speed worth printing)
 * @param warnings             what the user asked that the model was not built for (a context past its limit)
 * @param dtypeOrigin          {@code as stored} or {@code as published} when {@code dtype} is the model's own precision
 */
public record SpeedReport(
        String model,
        String device,
        String dtype,
        long batch,
        long context,
        long promptTokens,
        Optional<Long> decodeBytesPerStep,
        Optional<Double> decodeMsPerToken,
        @JsonName("decode_tokens_per_s") Optional<Double> decodeTokensPerS,
        Optional<Double> prefillFlops,
        @JsonName("prefill_tokens_per_s") Optional<Double> prefillTokensPerS,
        @JsonName("time_to_first_token_s") Optional<Double> timeToFirstTokenS,
        List<String> assumptions,
        long weightsBytes,
        String deviceName,
        @JsonName("bandwidth_bytes_per_s") long bandwidthBytesPerS,
        double peakTflops,
        String computeDtype,
        Optional<String> placement,
        Optional<String> noSpeedReason,
        List<String> warnings,
        @OmitWhenEmpty Optional<String> dtypeOrigin)
        implements Report {
    public static final String SCHEMA = "heft.speed/1";

    @Override
    public String schema() {
        return SCHEMA;
    }
}
