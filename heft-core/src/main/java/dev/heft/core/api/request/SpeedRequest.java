package dev.heft.core.api.request;

import java.util.Optional;

/**
 * {@code heft speed} on one device.
 *
 * @param prompt prompt tokens for prefill and time to first token (the context when absent; at most the context)
 * @param host   the host whose memory takes offloaded layers when the model does not fit (a CPU device id)
 */
public record SpeedRequest(
        String device, Optional<String> dtype, Optional<Long> prompt, Workload workload, Optional<String> host) {
    public SpeedRequest(String device, Optional<String> dtype, Optional<Long> prompt, Workload workload) {
        this(device, dtype, prompt, workload, Optional.empty());
    }

    public static SpeedRequest on(String device) {
        return new SpeedRequest(device, Optional.empty(), Optional.empty(), Workload.defaults());
    }

    public SpeedRequest withDtype(String d) {
        return new SpeedRequest(device, Optional.of(d), prompt, workload, host);
    }

    public SpeedRequest withWorkload(Workload w) {
        return new SpeedRequest(device, dtype, prompt, w, host);
    }
}
