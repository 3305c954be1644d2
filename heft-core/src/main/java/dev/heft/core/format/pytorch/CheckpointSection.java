package dev.heft.core.format.pytorch;

import dev.heft.core.tensor.TensorRole;

/** Where in a checkpoint's object tree a tensor was found, which decides its role. */
public enum CheckpointSection {
    /** The model's state dict (the whole file, or the {@code model}/{@code state_dict} entry of a training checkpoint). */
    MODEL,
    /** Optimizer state ({@code optimizer}, Lightning's {@code optimizer_states}): AdamW exp_avg, exp_avg_sq, step. */
    OPTIMIZER,
    /** TorchScript {@code constants.pkl}: tensors the compiled code uses as constants. */
    CONSTANTS,
    /** Anything else a file holds (EMA copies, scheduler or callback state): stored bytes, not parameters. */
    OTHER;

    /** The role of a tensor of this section, before the per-tensor refinement for buffers. */
    TensorRole role() {
        return switch (this) {
            case MODEL -> TensorRole.WEIGHT;
            case OPTIMIZER -> TensorRole.OPTIMIZER_STATE;
            case CONSTANTS -> TensorRole.CONSTANT;
            case OTHER -> TensorRole.BUFFER;
        };
    }
}
