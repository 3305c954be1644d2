package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * How long training takes: a token budget on each of these device setups.
 *
 * @param devices device setups ({@code 8xh100-sxm}, {@code rtx-4090})
 * @param tokens  the token budget (1B by default)
 * @param mfu     model FLOPs utilisation; 0.40 for full fine-tuning, 0.30 LoRA, 0.25 QLoRA when absent
 */
public record TrainingTimeRequest(List<String> devices, long tokens, Optional<Double> mfu) {
    public TrainingTimeRequest {
        devices = List.copyOf(devices);
        if (devices.isEmpty()) {
            throw new InvalidInputException("devices: name at least one device to time training on");
        }
        if (tokens < 1) {
            throw new InvalidInputException("tokens: the budget must be at least 1 token");
        }
        if (mfu.isPresent() && !(mfu.get() > 0 && mfu.get() <= 1)) {
            throw new InvalidInputException("mfu: a fraction in (0, 1], got " + mfu.get());
        }
    }
}
