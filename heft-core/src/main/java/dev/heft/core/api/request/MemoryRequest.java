package dev.heft.core.api.request;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft memory} for inference.
 *
 * @param dtype      the weights' precision ({@code bf16}, {@code q4_k_m}, {@code gptq-4bit-g128}, ...); as stored (bf16
 *                   for descriptions) when absent
 * @param precisions the precision table's rows ({@code --dtypes})
 * @param budget     a memory size ({@code 24GB}) or a device id: report the longest context and largest batch within it
 */
public record MemoryRequest(
        Optional<String> dtype, Workload workload, Optional<List<String>> precisions, Optional<String> budget) {
    public MemoryRequest {
        precisions = precisions.map(List::copyOf);
    }

    public static MemoryRequest defaults() {
        return new MemoryRequest(Optional.empty(), Workload.defaults(), Optional.empty(), Optional.empty());
    }

    public MemoryRequest withDtype(String d) {
        return new MemoryRequest(Optional.of(d), workload, precisions, budget);
    }

    public MemoryRequest withWorkload(Workload w) {
        return new MemoryRequest(dtype, w, precisions, budget);
    }

    public MemoryRequest withPrecisions(List<String> p) {
        return new MemoryRequest(dtype, workload, Optional.of(p), budget);
    }

    public MemoryRequest withBudget(String b) {
        return new MemoryRequest(dtype, workload, precisions, Optional.of(b));
    }
}
