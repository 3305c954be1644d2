package dev.heft.core.api.request;

import java.util.Optional;

/** {@code heft compare}: @param dtype every model's weights at this precision (as stored when absent). */
public record CompareRequest(Optional<String> dtype, Workload workload) {
    public static CompareRequest defaults() {
        return new CompareRequest(Optional.empty(), Workload.defaults());
    }
}
