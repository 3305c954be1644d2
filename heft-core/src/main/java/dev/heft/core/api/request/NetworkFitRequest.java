package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * {@code heft fit} for a torch.nn network: every device at every precision, with the largest batch and images per
 * second.
 *
 * @param devices     device ids ({@code h200}, {@code 8xh100-sxm}, {@code custom:mem=24GB,bw=936,bf16=71})
 * @param dtypes      precisions (fp32, fp16, bf16, int8, fp8)
 * @param onlyFitting leave out the rows that do not fit
 * @param batch       images per forward pass; the input's own first dimension when absent
 * @param input       the input shape, batch first; the model's default (or the spec's) when absent
 */
public record NetworkFitRequest(
        List<String> devices,
        List<String> dtypes,
        boolean onlyFitting,
        Optional<Long> batch,
        Optional<List<Long>> input) {
    /** From data-centre GPUs to phones and the browser, with the inference cards vision models are served on. */
    public static final List<String> DEFAULT_DEVICES = List.of(
            "h200",
            "h100-sxm",
            "a100-80gb",
            "l40s",
            "l4",
            "t4",
            "rtx-4090",
            "rtx-3060",
            "m3-max",
            "m2",
            "cpu-ddr5",
            "jetson-orin",
            "rpi5",
            "snapdragon-8g3",
            "a17-pro",
            "webgpu");
    /** Every precision a network is deployed in, most precise first. */
    public static final List<String> DEFAULT_DTYPES = List.of("fp32", "fp16", "bf16", "int8", "fp8");

    public NetworkFitRequest {
        devices = List.copyOf(devices);
        dtypes = List.copyOf(dtypes);
        input = input.map(List::copyOf);
        batch.ifPresent(NetworkMemoryRequest::checkBatch);
        if (devices.isEmpty() || dtypes.isEmpty()) {
            throw new InvalidInputException("fit: give at least one device and one precision");
        }
    }

    public static NetworkFitRequest defaults() {
        return new NetworkFitRequest(DEFAULT_DEVICES, DEFAULT_DTYPES, false, Optional.empty(), Optional.empty());
    }

    public NetworkFitRequest withDevices(List<String> d) {
        return new NetworkFitRequest(d, dtypes, onlyFitting, batch, input);
    }

    public NetworkFitRequest withDtypes(List<String> d) {
        return new NetworkFitRequest(devices, d, onlyFitting, batch, input);
    }

    public NetworkFitRequest withBatch(long b) {
        return new NetworkFitRequest(devices, dtypes, onlyFitting, Optional.of(b), input);
    }
}
