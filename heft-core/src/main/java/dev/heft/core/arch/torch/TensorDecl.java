package dev.heft.core.arch.torch;

/**
 * A tensor a module registers directly on itself ({@code register_parameter} / {@code register_buffer}), named as
 * torch names the attribute ({@code weight}, {@code in_proj_bias}, {@code weight_hh_l0_reverse}).
 *
 * @param buffer true for registered buffers (BatchNorm running statistics), which are not parameters
 */
public record TensorDecl(String name, Shape shape, boolean buffer) {
    /** Biases are totalled apart from weights; torch names every bias-like tensor with "bias". */
    public boolean isBias() {
        return name.contains("bias");
    }
}
