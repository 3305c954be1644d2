package dev.heft.core.hardware;

import java.util.List;

/**
 * Decode and prefill speed on one device, with the parts that make each number.
 *
 * @param decodeBytesPerStep     bytes read per decode step: weights (MoE: only the experts the batch touches) plus the
 *                               KV cache
 * @param decodeSecondsPerStep   bytes / (bandwidth x stream efficiency) + matrices x per-kernel cost
 * @param decodeTokensPerSecond  batch / seconds per step
 * @param prefillFlops           FLOPs of the prompt's forward pass
 * @param prefillSeconds         FLOPs / (peak x matmul efficiency), or the weight read time if larger
 * @param prefillTokensPerSecond prompt tokens / prefill seconds
 * @param assumptions            efficiency factors and their sources
 */
public record SpeedEstimate(
        long decodeBytesPerStep,
        double decodeSecondsPerStep,
        double decodeTokensPerSecond,
        double prefillFlops,
        double prefillSeconds,
        double prefillTokensPerSecond,
        List<String> assumptions) {
    public SpeedEstimate {
        assumptions = List.copyOf(assumptions);
    }

    public double decodeMsPerToken() {
        return decodeSecondsPerStep * 1e3;
    }

    /** Time to first token: the prefill of the prompt. */
    public double timeToFirstTokenSeconds() {
        return prefillSeconds;
    }
}
