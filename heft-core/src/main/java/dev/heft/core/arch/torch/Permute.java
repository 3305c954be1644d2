package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import java.util.ArrayList;
import java.util.List;

/** torchvision's {@code ops.misc.Permute(dims)}: {@code torch.permute(x, dims)}, a view; no parameters, no FLOPs. */
public final class Permute extends Module {
    private final int[] dims;

    public Permute(int... dims) {
        super("Permute", LayerKind.OTHER);
        this.dims = dims.clone();
    }

    @Override
    public boolean outputAliasesInput() {
        return true;
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        require(input.rank() == dims.length, input, dims.length + " dimensions");
        List<Long> out = new ArrayList<>();
        for (int d : dims) {
            out.add(input.dim(d));
        }
        return new Shape(out);
    }
}
