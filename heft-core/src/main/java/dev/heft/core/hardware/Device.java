package dev.heft.core.hardware;

import java.util.Map;
import java.util.Optional;

/**
 * One device: how much memory a model may use on it, how fast that memory is, and its peak dense throughput per dtype.
 *
 * @param id             short lowercase id ({@code h200}, {@code rtx-4090}, {@code m3-max}, {@code rpi5}, {@code webgpu})
 * @param name           what the vendor calls it
 * @param category       datacenter GPU, consumer GPU, Apple silicon, CPU, edge, phone, browser, custom
 * @param memoryBytes    capacity as sold
 * @param usableBytes    what one process may allocate (OS/API limits: Apple's GPU working set, a phone app's limit,
 *                       wasm32's 4 GiB); equals memoryBytes for discrete GPUs
 * @param bandwidth      peak memory bandwidth, bytes per second
 * @param peakFlops      peak dense FLOP/s (or OP/s) by dtype key: fp32, tf32, bf16, fp16, fp8, int8, int4
 * @param maxBufferBytes largest single allocation, when the platform limits it (WebGPU maxBufferSize)
 * @param notes          caveats a user should read
 * @param source         datasheet or specification the numbers come from
 */
public record Device(String id, String name, DeviceCategory category, long memoryBytes, long usableBytes,
                     double bandwidth, Map<String, Double> peakFlops, Optional<Long> maxBufferBytes, String notes,
                     String source) {
    public Device {
        peakFlops = Map.copyOf(peakFlops);
        if (memoryBytes <= 0 || usableBytes <= 0 || usableBytes > memoryBytes || bandwidth <= 0) {
            throw new IllegalArgumentException(id + ": memory, usable memory and bandwidth must be positive");
        }
    }

    /**
     * Peak FLOP/s for matrix work in {@code dtypeKey}; falls back to the nearest slower path the hardware has
     * (no fp8 units: bf16 rate; no bf16 units, as on T4/V100: fp16 for fp16 models, fp32 for bf16).
     */
    public double peakFlopsFor(String dtypeKey) {
        Double v = peakFlops.get(dtypeKey);
        if (v != null) {
            return v * 1e12;
        }
        String fallback = switch (dtypeKey) {
            case "int4" -> "int8";
            case "int8", "fp8" -> peakFlops.containsKey("fp8") ? "fp8" : "bf16";
            case "bf16" -> "fp32";
            case "fp16" -> "bf16";
            case "tf32" -> "fp32";
            default -> "fp32";
        };
        if (fallback.equals(dtypeKey) || !peakFlops.containsKey(fallback) && fallback.equals("fp32")) {
            Double fp32 = peakFlops.get("fp32");
            return fp32 == null ? 0 : fp32 * 1e12;
        }
        return peakFlopsFor(fallback);
    }

    /** A copy with N devices' memory and bandwidth (tensor parallel: each device holds 1/N of the weights). */
    public Device times(int n) {
        if (n == 1) {
            return this;
        }
        Map<String, Double> flops = new java.util.HashMap<>();
        peakFlops.forEach((k, v) -> flops.put(k, v * n));
        return new Device(n + "x" + id, n + " x " + name, category, Math.multiplyExact(memoryBytes, (long) n),
                Math.multiplyExact(usableBytes, (long) n), bandwidth * n, flops, maxBufferBytes, notes, source);
    }
}
