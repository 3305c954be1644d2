package dev.heft.core.hardware;

import java.util.List;
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
 * @param bandwidth      peak memory bandwidth, bytes per second; 0 only for a detected machine whose bandwidth is
 *                       unknown (see {@link #ratesKnown()})
 * @param peakFlops      peak dense FLOP/s (or OP/s) by dtype key: fp32, tf32, bf16, fp16, fp8, int8, int4
 * @param maxBufferBytes largest single allocation, when the platform limits it (WebGPU maxBufferSize)
 * @param notes          caveats a user should read
 * @param source         datasheet or specification the numbers come from
 */
public record Device(
        String id,
        String name,
        DeviceCategory category,
        long memoryBytes,
        long usableBytes,
        double bandwidth,
        Map<String, Double> peakFlops,
        Optional<Long> maxBufferBytes,
        String notes,
        String source) {
    public Device {
        peakFlops = Map.copyOf(peakFlops);
        if (memoryBytes <= 0
                || usableBytes <= 0
                || usableBytes > memoryBytes
                || !(bandwidth >= 0)
                || Double.isInfinite(bandwidth)
                || bandwidth == 0 && !id.endsWith(DeviceRegistry.LOCAL_ID)) {
            throw new IllegalArgumentException(id + ": memory, usable memory and bandwidth must be positive");
        }
    }

    /**
     * Where work in each dtype runs when the device has no units for it, nearest first: no fp8 units (A100) runs fp8
     * at the bf16 rate; no bf16 units (T4, V100) runs bf16 as fp16, which has the same bytes and range enough for
     * inference; a TPU publishes no fp32 matrix rate and XLA computes fp32 products in bf16 passes.
     */
    private static final Map<String, List<String>> FALLBACK = Map.of(
            "int4", List.of("int4", "int8", "fp8", "bf16", "fp16", "fp32"),
            "int8", List.of("int8", "fp8", "bf16", "fp16", "fp32"),
            "fp8", List.of("fp8", "bf16", "fp16", "fp32"),
            "bf16", List.of("bf16", "fp16", "fp32"),
            "fp16", List.of("fp16", "bf16", "fp32"),
            "tf32", List.of("tf32", "fp32", "bf16"),
            "fp32", List.of("fp32", "tf32", "bf16"));

    /**
     * The dtype key whose units run matrix work in {@code dtypeKey} on this device: the key itself when the device has
     * a rate for it, else the nearest one it has (see {@link #FALLBACK}); an unknown key is treated as fp32.
     */
    public String executesAs(String dtypeKey) {
        for (String k : FALLBACK.getOrDefault(dtypeKey, FALLBACK.get("fp32"))) {
            if (peakFlops.containsKey(k)) {
                return k;
            }
        }
        return dtypeKey;
    }

    /** Peak FLOP/s for matrix work in {@code dtypeKey}, at the rate of the units that run it ({@link #executesAs}). */
    public double peakFlopsFor(String dtypeKey) {
        Double v = peakFlops.get(executesAs(dtypeKey));
        return v == null ? 0 : v * 1e12;
    }

    /**
     * What a user should be told when {@code dtypeKey} runs on other units here, e.g. "NVIDIA T4 16GB has no bf16
     * units: bf16 runs as fp16 (same bytes), at the fp16 rate"; empty when the device has such units.
     */
    public Optional<String> substitutionNote(String dtypeKey) {
        String k = executesAs(dtypeKey);
        if (k.equals(dtypeKey)) {
            return Optional.empty();
        }
        String how = dtypeKey.equals("bf16") && k.equals("fp16")
                ? "bf16 runs as fp16 (same bytes), at the fp16 rate"
                : dtypeKey + " work runs at the " + k + " rate";
        return Optional.of(name + " has no " + dtypeKey + " units: " + how);
    }

    /**
     * Whether speed can be estimated here: bandwidth and at least one throughput known. Only a detected machine
     * ({@code local}) can lack them, e.g. a CPU the catalog does not know.
     */
    public boolean ratesKnown() {
        return bandwidth > 0 && !peakFlops.isEmpty();
    }

    /** A copy with N devices' memory and bandwidth (tensor parallel: each device holds 1/N of the weights). */
    public Device times(int n) {
        if (n == 1) {
            return this;
        }
        Map<String, Double> flops = new java.util.HashMap<>();
        peakFlops.forEach((k, v) -> flops.put(k, v * n));
        return new Device(
                n + "x" + id,
                n + " x " + name,
                category,
                Math.multiplyExact(memoryBytes, (long) n),
                Math.multiplyExact(usableBytes, (long) n),
                bandwidth * n,
                flops,
                maxBufferBytes,
                notes,
                source);
    }
}
