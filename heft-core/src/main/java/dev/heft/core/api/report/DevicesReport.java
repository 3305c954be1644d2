package dev.heft.core.api.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code heft devices}: the device catalog with the datasheet behind each number (schema {@value #SCHEMA}). */
public record DevicesReport(List<Entry> devices) implements Report {
    public static final String SCHEMA = "heft.devices/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * @param usableBytes    memory a model can use (less the runtime's and OS's share)
     * @param peakTflops     dense peak throughput per compute type (TOPS for int8)
     * @param maxBufferBytes the largest single allocation (WebGPU), when limited
     */
    public record Entry(String id, String name, String category, long memoryBytes, long usableBytes,
                        @JsonName("bandwidth_bytes_per_s") long bandwidthBytesPerS, Map<String, Double> peakTflops,
                        Optional<Long> maxBufferBytes, String notes, String source) {
    }
}
