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
 */
public record EstimateRequest(List<Long> contexts, boolean macs, Optional<List<Long>> input, boolean tensors) {
    public EstimateRequest {
        contexts = List.copyOf(contexts);
        if (contexts.isEmpty()) {
            throw new InvalidInputException("context: give at least one context length");
        }
        input = input.map(List::copyOf);
    }

    public static EstimateRequest defaults() {
        return new EstimateRequest(List.of(4096L), false, Optional.empty(), false);
    }

    public EstimateRequest withContexts(List<Long> c) {
        return new EstimateRequest(c, macs, input, tensors);
    }
}
