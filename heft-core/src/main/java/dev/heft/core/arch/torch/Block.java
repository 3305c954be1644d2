package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;

/**
 * A composite module whose forward is written out in code (a residual block, an inception branch set): the analytic
 * form of a torchvision {@code nn.Module} subclass. Children are registered with {@link #add}; the forward lambda
 * reaches them through {@link #child}.
 */
public final class Block extends Module {
    /** The module's forward over shapes. */
    @FunctionalInterface
    public interface Forward {
        Shape apply(Block self, Shape input, FlopCounter flops);
    }

    private Forward forward;

    public Block(String torchClass, LayerKind kind) {
        super(torchClass, kind);
    }

    public Block(String torchClass) {
        this(torchClass, LayerKind.OTHER);
    }

    /** Sets the forward pass; called once while building. */
    public Block forward(Forward f) {
        this.forward = f;
        return this;
    }

    /** Registers a tensor owned by this module itself (a class token, a layer scale). */
    public Block ownParameter(String name, long... shape) {
        parameter(name, shape);
        return this;
    }

    public Block ownBuffer(String name, long... shape) {
        buffer(name, shape);
        return this;
    }

    /** Runs child {@code name}. */
    public Shape run(String name, Shape x, FlopCounter flops) {
        return child(name).call(name, x, flops);
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        if (forward == null) {
            throw new IllegalStateException(torchClass() + " has no forward");
        }
        return forward.apply(this, input, flops);
    }
}
