package dev.heft.core.api.report;

import java.util.List;

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
 */
public record SpeedReport(String model, String device, String dtype, long batch, long context, long promptTokens,
                          long decodeBytesPerStep, double decodeMsPerToken,
                          @JsonName("decode_tokens_per_s") double decodeTokensPerS, double prefillFlops,
                          @JsonName("prefill_tokens_per_s") double prefillTokensPerS,
                          @JsonName("time_to_first_token_s") double timeToFirstTokenS, List<String> assumptions,
                          long weightsBytes, String deviceName,
                          @JsonName("bandwidth_bytes_per_s") long bandwidthBytesPerS, double peakTflops,
                          String computeDtype) implements Report {
    public static final String SCHEMA = "heft.speed/1";

    @Override
    public String schema() {
        return SCHEMA;
    }
}
