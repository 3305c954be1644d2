package dev.heft.core.api.request;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft fit}: every device at every precision.
 *
 * @param devices     device ids ({@code h200}, {@code 8xh100-sxm}, {@code custom:mem=24GB,bw=936,bf16=71})
 * @param dtypes      precisions
 * @param onlyFitting leave out the rows that do not fit
 * @param host        the host whose memory takes offloaded layers (a CPU device id; cpu-ddr5's bandwidth when absent)
 * @param training    also answer whether each device can train the model (full, LoRA, QLoRA), with {@code --train}
 */
public record FitRequest(
        List<String> devices,
        List<String> dtypes,
        boolean onlyFitting,
        Workload workload,
        Optional<String> host,
        Optional<TrainingRequest> training) {
    public static final List<String> DEFAULT_DEVICES = List.of(
            "h200",
            "h100-sxm",
            "a100-80gb",
            "a100-40gb",
            "l40s",
            "l4",
            "rtx-5090",
            "rtx-4090",
            "rtx-3090",
            "rtx-4070",
            "m3-max",
            "m4-pro",
            "m2",
            "cpu-ddr5",
            "jetson-orin",
            "rpi5",
            "snapdragon-8g3",
            "a17-pro",
            "webgpu");
    /** The model's own precision (as stored or as published) first, then the common choices. */
    public static final List<String> DEFAULT_DTYPES = List.of("native", "bf16", "fp8", "Q8_0", "Q4_K_M");

    public FitRequest {
        devices = List.copyOf(devices);
        dtypes = List.copyOf(dtypes);
    }

    public FitRequest(List<String> devices, List<String> dtypes, boolean onlyFitting, Workload workload) {
        this(devices, dtypes, onlyFitting, workload, Optional.empty(), Optional.empty());
    }

    public static FitRequest defaults() {
        return new FitRequest(DEFAULT_DEVICES, DEFAULT_DTYPES, false, Workload.defaults());
    }

    public FitRequest withDevices(List<String> d) {
        return new FitRequest(d, dtypes, onlyFitting, workload, host, training);
    }

    public FitRequest withDtypes(List<String> d) {
        return new FitRequest(devices, d, onlyFitting, workload, host, training);
    }

    public FitRequest withWorkload(Workload w) {
        return new FitRequest(devices, dtypes, onlyFitting, w, host, training);
    }

    public FitRequest withTraining(TrainingRequest t) {
        return new FitRequest(devices, dtypes, onlyFitting, workload, host, Optional.of(t));
    }
}
