package dev.heft.core.plan;

import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.memory.MemoryEstimate;
import java.util.Optional;

/**
 * One cell of {@code heft fit}: a model at one precision on one device.
 *
 * @param device      the device (possibly N x a device)
 * @param weights     the weights at this precision
 * @param memory      the inference estimate at the requested batch and context
 * @param fits        peak within the device's usable memory (and every tensor within its buffer limit)
 * @param headroom    usable memory minus peak (negative when it does not fit)
 * @param maxContext  longest context that fits at batch 1 (0 when even the weights do not fit)
 * @param speed       decode and prefill estimates, when the model's shape is known
 * @param why         the reason it does not fit, when it does not
 */
public record FitRow(Device device, WeightPlan weights, MemoryEstimate memory, boolean fits, long headroom,
                     long maxContext, Optional<SpeedEstimate> speed, String why) {
}
