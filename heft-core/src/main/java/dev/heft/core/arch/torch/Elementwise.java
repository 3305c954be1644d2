package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;

/**
 * A layer that keeps its input's shape and does no matrix product: activations, dropout, identity, softmax, and
 * {@code PReLU} (weight {@code [num_parameters]}). FlopCounterMode counts 0 for all of them.
 */
public final class Elementwise extends Module {
    private final long channels;

    public Elementwise(String torchClass) {
        super(torchClass, LayerKind.OTHER);
        this.channels = 0;
    }

    private Elementwise(long numParameters) {
        super("PReLU", LayerKind.OTHER);
        this.channels = numParameters;
        parameter("weight", numParameters);
    }

    /** {@code PReLU(num_parameters=1)}: one slope, or one per channel (dimension 1 of the input). */
    public static Elementwise prelu(long numParameters) {
        return new Elementwise(numParameters);
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        if (channels > 1) {
            require(input.rank() >= 2 && input.dim(1) == channels, input, "[N, " + channels + ", *]");
        }
        return input;
    }
}
