package dev.heft.core.tensor;

/**
 * What a stored tensor is to the model. Only {@link #WEIGHT} tensors carry parameters; the rest are stored bytes that a
 * report shows apart, because users ask "how many parameters" and "how many bytes" separately.
 */
public enum TensorRole {
    /** A learned weight (or bias, norm scale, embedding): counts as parameters. */
    WEIGHT,
    /** Scales, zero points, group indices and the like that a quantization format stores beside the weights. */
    QUANT_OVERHEAD,
    /** Registered buffers: BatchNorm running statistics, rotary tables, attention masks. Not parameters. */
    BUFFER,
    /** Constants of a graph that are not weights (ONNX shape constants feeding Reshape/Expand). */
    CONSTANT,
    /** Optimizer state saved in a training checkpoint (AdamW exp_avg, exp_avg_sq, step). */
    OPTIMIZER_STATE
}
