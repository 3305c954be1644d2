package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;

/**
 * {@code torch.nn.Bilinear(in1_features, in2_features, out_features, bias=True)}: weight {@code [out, in1, in2]}, bias
 * {@code [out]}. Its forward is {@code aten._trilinear}, which FlopCounterMode has no formula for (0 FLOPs there).
 */
public final class Bilinear extends Module {
    private final long in1;
    private final long in2;
    private final long out;

    public Bilinear(long in1, long in2, long out, boolean bias) {
        super("Bilinear", LayerKind.MLP);
        this.in1 = in1;
        this.in2 = in2;
        this.out = out;
        parameter("weight", out, in1, in2);
        if (bias) {
            parameter("bias", out);
        }
    }

    /** In a sequential spec both inputs are the same tensor, so {@code in1 == in2} is required there. */
    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        require(
                input.rank() >= 1 && input.dim(-1) == in1 && in1 == in2,
                input,
                "last dimension " + in1 + " and in1_features == in2_features (a spec feeds one tensor to both inputs)");
        flops.uncounted("Bilinear runs aten._trilinear, which FlopCounterMode does not count");
        return input.with(-1, out);
    }
}
