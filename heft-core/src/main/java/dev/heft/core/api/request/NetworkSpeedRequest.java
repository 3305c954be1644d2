package dev.heft.core.api.request;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft speed} for a torch.nn network on one device: images per second at one precision and batch.
 *
 * @param dtype fp32 (when absent), fp16, bf16, int8 or fp8
 * @param batch images per forward pass; the input's own first dimension when absent
 * @param input the input shape, batch first; the model's default (or the spec's) when absent
 */
public record NetworkSpeedRequest(
        String device, Optional<String> dtype, Optional<Long> batch, Optional<List<Long>> input) {
    public NetworkSpeedRequest {
        input = input.map(List::copyOf);
        batch.ifPresent(NetworkMemoryRequest::checkBatch);
    }

    public static NetworkSpeedRequest on(String device) {
        return new NetworkSpeedRequest(device, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public NetworkSpeedRequest withDtype(String d) {
        return new NetworkSpeedRequest(device, Optional.of(d), batch, input);
    }

    public NetworkSpeedRequest withBatch(long b) {
        return new NetworkSpeedRequest(device, dtype, Optional.of(b), input);
    }
}
