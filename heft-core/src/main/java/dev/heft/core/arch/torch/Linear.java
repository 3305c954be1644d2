package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;

/** {@code torch.nn.Linear(in_features, out_features, bias=True)}: weight {@code [out, in]}, bias {@code [out]}. */
public final class Linear extends Module {
    private final long in;
    private final long out;

    public Linear(long in, long out, boolean bias) {
        this("Linear", LayerKind.MLP, in, out, bias);
    }

    /** For subclasses torch names apart, e.g. MultiheadAttention's {@code NonDynamicallyQuantizableLinear}. */
    public Linear(String torchClass, LayerKind kind, long in, long out, boolean bias) {
        super(torchClass, kind);
        this.in = in;
        this.out = out;
        parameter("weight", out, in);
        if (bias) {
            parameter("bias", out);
        }
    }

    public long inFeatures() {
        return in;
    }

    public long outFeatures() {
        return out;
    }

    /**
     * F.linear on {@code [*, in]}: flattened to one {@code addmm}/{@code mm} of {@code [prod(*), in] @ [in, out]}. A 1-d
     * input becomes {@code aten.mv}, for which FlopCounterMode has no formula.
     */
    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        require(input.rank() >= 1 && input.dim(-1) == in, input, "last dimension " + in);
        if (input.rank() == 1) {
            flops.uncounted("Linear on a 1-d input runs aten.mv, which FlopCounterMode does not count");
        } else {
            flops.mm(input.product(0, input.rank() - 1), in, out);
        }
        return input.with(-1, out);
    }
}
