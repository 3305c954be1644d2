package dev.heft.core.arch.hf;

import dev.heft.core.classify.LayerKind;
import java.util.List;
import java.util.Optional;

/**
 * One parameter of the model transformers builds, under its {@code named_parameters()} name.
 *
 * @param name        e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param shape       outermost first, as {@code torch.Tensor.shape}
 * @param kind        where it sits
 * @param moduleClass torch module class that owns it directly
 * @param tiedTo      the parameter this name shares storage with ({@code lm_head.weight -> model.embed_tokens.weight})
 */
public record HfTensor(String name, List<Long> shape, LayerKind kind, String moduleClass, Optional<String> tiedTo) {
    public HfTensor {
        shape = List.copyOf(shape);
    }

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
