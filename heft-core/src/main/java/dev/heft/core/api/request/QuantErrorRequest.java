package dev.heft.core.api.request;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft quant-error}.
 *
 * @param schemes        quantization schemes to round-trip ({@code q8_0}, {@code q4_k}, {@code int4-g128}, ...)
 * @param prune          magnitude-pruning levels to measure as well ({@code 50%}, {@code 2:4})
 * @param threads        worker threads (all cores when absent)
 * @param includeVectors also measure 1-D tensors (norms, biases)
 * @param top            tensors named as most sensitive per scheme
 * @param rows           worst tensors shown in text (JSON lists all)
 */
public record QuantErrorRequest(
        List<String> schemes,
        List<String> prune,
        Optional<Integer> threads,
        boolean includeVectors,
        int top,
        int rows) {
    public static final List<String> DEFAULT_SCHEMES =
            List.of("q8_0", "q4_0", "q4_k", "int8-channel", "int4-g128", "nf4", "fp8-e4m3");

    public QuantErrorRequest {
        schemes = List.copyOf(schemes);
        prune = List.copyOf(prune);
    }

    public static QuantErrorRequest defaults() {
        return new QuantErrorRequest(DEFAULT_SCHEMES, List.of(), Optional.empty(), false, 10, 20);
    }

    public QuantErrorRequest withSchemes(List<String> s) {
        return new QuantErrorRequest(s, prune, threads, includeVectors, top, rows);
    }
}
