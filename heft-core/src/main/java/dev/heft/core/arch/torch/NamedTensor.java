package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.tensor.TensorRole;

/**
 * One tensor of a whole network under its fully qualified torch name ({@code 0.self_attn.in_proj_weight}), as
 * {@code named_parameters()} and {@code named_buffers()} would list it, with the class of the module that owns it.
 *
 * @param role {@link TensorRole#WEIGHT} for parameters, {@link TensorRole#BUFFER} for registered buffers
 */
public record NamedTensor(String name, Shape shape, TensorRole role, String moduleClass, LayerKind kind) {
    public long elements() {
        return shape.numel();
    }
}
