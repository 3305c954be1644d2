package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * {@code heft memory} for a torch.nn network (a torchvision model, a layer spec): inference memory at one precision
 * and batch, with the parts a forward pass holds.
 *
 * @param dtype      fp32 (when absent), fp16, bf16, int8 or fp8: weights and activations alike
 * @param precisions the precision table's rows ({@code --dtypes}); absent: no table
 * @param budget     a memory size ({@code 24GB}) or a device id: report the largest batch within it; a device id also
 *                   decides the runtime overhead (the CUDA context on a GPU)
 * @param batch      images per forward pass; the input's own first dimension when absent
 * @param input      the input shape, batch first; the model's default (or the spec's) when absent
 */
public record NetworkMemoryRequest(
        Optional<String> dtype,
        Optional<List<String>> precisions,
        Optional<String> budget,
        Optional<Long> batch,
        Optional<List<Long>> input) {
    public NetworkMemoryRequest {
        precisions = precisions.map(List::copyOf);
        input = input.map(List::copyOf);
        batch.ifPresent(NetworkMemoryRequest::checkBatch);
    }

    public static NetworkMemoryRequest defaults() {
        return new NetworkMemoryRequest(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public NetworkMemoryRequest withDtype(String d) {
        return new NetworkMemoryRequest(Optional.of(d), precisions, budget, batch, input);
    }

    /** The precision table for these formats; an empty list means the network defaults (fp32 ... fp8). */
    public NetworkMemoryRequest withPrecisions(List<String> p) {
        return new NetworkMemoryRequest(dtype, Optional.of(p), budget, batch, input);
    }

    public NetworkMemoryRequest withBudget(String b) {
        return new NetworkMemoryRequest(dtype, precisions, Optional.of(b), batch, input);
    }

    public NetworkMemoryRequest withBatch(long b) {
        return new NetworkMemoryRequest(dtype, precisions, budget, Optional.of(b), input);
    }

    public NetworkMemoryRequest withInput(List<Long> shape) {
        return new NetworkMemoryRequest(dtype, precisions, budget, batch, Optional.of(shape));
    }

    /** A batch of images as every network request takes it: 1 to {@link Workload#MAX_BATCH}. */
    static void checkBatch(long batch) {
        if (batch < 1 || batch > Workload.MAX_BATCH) {
            throw new InvalidInputException("batch: " + batch + " is outside 1.." + Workload.MAX_BATCH);
        }
    }
}
