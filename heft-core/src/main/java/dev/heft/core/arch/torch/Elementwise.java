package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;

/**
 * A layer that keeps its input's shape and does no matrix product: activations, dropout, identity, softmax, and
 * {@code PReLU} (weight {@code [num_parameters]}). FlopCounterMode counts 0 for all of them.
 */
public final class Elementwise extends Module {
    /** Layers whose eval-mode output is their input tensor itself or a view of it: no new storage. */
    private static final java.util.Set<String> ALIASING = java.util.Set.of(
            "Dropout",
            "Dropout1d",
            "Dropout2d",
            "Dropout3d",
            "AlphaDropout",
            "Identity",
            "StochasticDepth",
            "Permute",
            "Unflatten");

    private final long channels;
    private final boolean inplace;

    public Elementwise(String torchClass) {
        this(torchClass, false);
    }

    /** {@code inplace}: an activation built with {@code inplace=True} ({@code nn.ReLU(inplace=True)}). */
    public Elementwise(String torchClass, boolean inplace) {
        super(torchClass, LayerKind.OTHER);
        this.channels = 0;
        this.inplace = inplace;
    }

    private Elementwise(long numParameters) {
        super("PReLU", LayerKind.OTHER);
        this.channels = numParameters;
        this.inplace = false;
        parameter("weight", numParameters);
    }

    /** {@code nn.ReLU(inplace=True)} and friends: writes into its input. */
    public static Elementwise inplace(String torchClass) {
        return new Elementwise(torchClass, true);
    }

    @Override
    public boolean outputAliasesInput() {
        return inplace || ALIASING.contains(torchClass());
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
