package dev.heft.core.hardware;

/**
 * A speed answer that cannot be mistaken for a number that means nothing: either an estimate (on the device alone, or
 * with part of the model in host memory, as {@code placement} says) or no speed, with the reason.
 */
public sealed interface SpeedResult {
    /** @param placement where the weights run: "all on the device", "40 of 81 layers on the GPU, the rest on the CPU" */
    record Estimated(SpeedEstimate estimate, String placement) implements SpeedResult {}

    /** @param reason why there is no speed: the model does not fit and cannot be offloaded, or its shape is unknown */
    record NoSpeed(String reason) implements SpeedResult {}

    default java.util.Optional<SpeedEstimate> estimated() {
        return this instanceof Estimated e ? java.util.Optional.of(e.estimate()) : java.util.Optional.empty();
    }
}
