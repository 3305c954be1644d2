package dev.heft.core.api.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heft devices}: the device catalog with the datasheet behind each number (schema {@value #SCHEMA}); with the
 * CLI's {@code local} (this machine) last, saying what was detected and what was assumed.
 */
public record DevicesReport(List<Entry> devices) implements Report {
    public static final String SCHEMA = "heft.devices/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * @param usableBytes        memory a model can use (less the runtime's and OS's share)
     * @param bandwidthBytesPerS peak memory bandwidth; null only for {@code local} when the hardware is not in the
     *                           catalog (then {@code peak_tflops} is empty and no speed is estimated on it)
     * @param peakTflops         dense peak throughput per compute type (TOPS for int8)
     * @param maxBufferBytes     the largest single allocation (WebGPU), when limited
     * @param detected           {@code local} only: the facts read from this machine (nvidia-smi, sysctl, /proc)
     * @param assumed            {@code local} only: what heft filled in, and from which catalog entry
     */
    public record Entry(
            String id,
            String name,
            String category,
            long memoryBytes,
            long usableBytes,
            @JsonName("bandwidth_bytes_per_s") Optional<Long> bandwidthBytesPerS,
            Map<String, Double> peakTflops,
            Optional<Long> maxBufferBytes,
            String notes,
            String source,
            @OmitWhenEmpty Optional<List<String>> detected,
            @OmitWhenEmpty Optional<List<String>> assumed) {
        public Entry {
            detected = detected.map(List::copyOf);
            assumed = assumed.map(List::copyOf);
        }
    }
}
