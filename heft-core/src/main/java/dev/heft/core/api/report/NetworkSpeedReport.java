package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft speed} for a torch.nn network (schema {@value #SCHEMA}, shared with transformers; {@code kind} is
 * {@value NetworkMemoryReport#KIND}): images per second from a per-layer roofline, with the factors stated.
 *
 * @param computeDtype      the units the matrix work runs on ({@code fp16} for bf16 on a T4)
 * @param flops             FLOPs of one forward pass at the batch (FlopCounterMode's count)
 * @param bytesMoved        weights, inputs and outputs every layer reads and writes
 * @param totalBytes        the memory the pass needs on the device
 * @param usableBytes       the device's usable memory
 * @param secondsPerBatch   time of one forward pass (absent when there is no speed)
 * @param imagesPerS        batch / seconds (absent when there is no speed)
 * @param computeBoundShare share of the time in layers limited by compute rather than memory
 * @param noSpeedReason     why there is no speed: the batch does not fit on the device
 */
public record NetworkSpeedReport(
        String model,
        String kind,
        String device,
        String deviceName,
        String dtype,
        String computeDtype,
        List<Long> input,
        long batch,
        long flops,
        long bytesMoved,
        long totalBytes,
        long usableBytes,
        @JsonName("bandwidth_bytes_per_s") long bandwidthBytesPerS,
        double peakTflops,
        Optional<Double> secondsPerBatch,
        @JsonName("images_per_s") Optional<Double> imagesPerS,
        Optional<Double> computeBoundShare,
        List<String> assumptions,
        Optional<String> noSpeedReason)
        implements Report {
    public static final String SCHEMA = SpeedReport.SCHEMA;

    @Override
    public String schema() {
        return SCHEMA;
    }
}
