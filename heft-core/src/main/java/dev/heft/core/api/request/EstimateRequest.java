package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * {@code heft estimate}.
 *
 * @param contexts context lengths for the scaling table (the first is the headline's)
 * @param macs     also give multiply-accumulates (FLOPs / 2)
 * @param input    input shape N,C,H,W for a network's forward pass (its default input when absent)
 * @param tensors  list every weight as transformers names it
 * @param layers   a torch.nn network's torchinfo-style table: one row per module call
 */
public record EstimateRequest(
        List<Long> contexts, boolean macs, Optional<List<Long>> input, boolean tensors, boolean layers) {
    public EstimateRequest {
        contexts = List.copyOf(contexts);
        if (contexts.isEmpty()) {
            throw new InvalidInputException("context: give at least one context length");
        }
        input = input.map(List::copyOf);
    }

    /** Without the per-layer table. */
    public EstimateRequest(List<Long> contexts, boolean macs, Optional<List<Long>> input, boolean tensors) {
        this(contexts, macs, input, tensors, false);
    }

    public static EstimateRequest defaults() {
        return new EstimateRequest(List.of(4096L), false, Optional.empty(), false, false);
    }

    public EstimateRequest withContexts(List<Long> c) {
        return new EstimateRequest(c, macs, input, tensors, layers);
    }

    public EstimateRequest withInput(List<Long> shape) {
        return new EstimateRequest(contexts, macs, Optional.of(shape), tensors, layers);
    }

    public EstimateRequest withLayers() {
        return new EstimateRequest(contexts, macs, input, tensors, true);
    }
}
