package dev.heft.core.hardware;

/**
 * The efficiency factors that turn datasheet peaks into achievable rates, with where each number comes from.
 * Calibrated on the H200 measurements in ../shared/ground-truth/gpu-measurements.json and applied to every device
 * (an assumption the speed report states):
 *
 * <ul>
 *   <li>{@link #STREAM}: a 1 GiB device-to-device copy moved 4,254 GB/s (read + write) against the 4,800 GB/s
 *       datasheet: 0.886 of peak bandwidth for large streaming reads.</li>
 *   <li>{@link #KERNEL_SECONDS}: a CUDA-graph GEMV chain reading all 113 Linear weights of Llama-3.2-1B
 *       (2,471,493,632 bytes) took 1.0736 ms per step. Streaming at 0.886 x 4.8 TB/s explains 0.581 ms; the other
 *       0.492 ms over 113 kernels is 4.36 us per matrix (ramp-up and tail of each kernel, launch overhead with graphs).
 *       Small matrices pay it proportionally more, so decode of small models sits further below the bandwidth roof.</li>
 *   <li>{@link #MATMUL}: an 8192^3 bf16 matmul ran at 775.7 TFLOP/s against 989.5 peak dense: 0.784.</li>
 * </ul>
 */
public final class Efficiency {
    public static final double STREAM = 4254.49872690992 / 4800.0 / 1.0;
    public static final double KERNEL_SECONDS = (1.0736000537872314e-3 - 2471493632.0 / (4.8e12 * STREAM)) / 113.0;
    public static final double MATMUL = 775.7381988641337 / 989.5;

    private Efficiency() {}

    /** Per-kernel fixed cost: GPUs launch kernels; CPUs and Apple's unified memory paths have much less per-op cost. */
    public static double kernelSeconds(DeviceCategory c) {
        return c.isGpu() || c == DeviceCategory.CUSTOM ? KERNEL_SECONDS : KERNEL_SECONDS / 4;
    }
}
