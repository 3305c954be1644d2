package dev.heft.core.arch.torch;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * A network read from a layer spec: an {@code nn.Sequential} of torch.nn layers, with the input shape the spec gave
 * (if any) for FLOPs.
 */
public final class CustomNetwork {
    private final Sequential root;
    private final Optional<Shape> input;

    CustomNetwork(Sequential root, Optional<Shape> input) {
        this.root = root;
        this.input = input;
    }

    public Module root() {
        return root;
    }

    /** Parameters (shared modules once), buffers, by torch class and by kind. */
    public ArchitectureCounts counts() {
        try {
            return ModuleTree.counts(root);
        } catch (ArithmeticException e) {
            throw new InvalidInputException("the layer spec's parameter count overflows 64 bits", e);
        }
    }

    /** Every parameter and buffer with its torch name and shape. */
    public List<NamedTensor> tensors() {
        return ModuleTree.tensors(root);
    }

    public Optional<Shape> input() {
        return input;
    }

    /** FLOPs of one forward pass at the spec's {@code input}. */
    public FlopReport flops() {
        return flops(input.orElseThrow(
                () -> new InvalidInputException("the layer spec gives no \"input\" shape; pass one to count FLOPs")));
    }

    public FlopReport flops(Shape inputShape) {
        try {
            return ModuleTree.flops(root, inputShape);
        } catch (ArithmeticException e) {
            throw new InvalidInputException("FLOPs at input " + inputShape + " overflow 64 bits", e);
        }
    }
}
