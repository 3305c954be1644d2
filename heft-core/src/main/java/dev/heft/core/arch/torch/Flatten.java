package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import java.util.ArrayList;
import java.util.List;

/** {@code torch.nn.Flatten(start_dim=1, end_dim=-1)}: merges a run of dimensions; no parameters, no FLOPs. */
public final class Flatten extends Module {
    private final int start;
    private final int end;

    public Flatten(int start, int end) {
        super("Flatten", LayerKind.OTHER);
        this.start = start;
        this.end = end;
    }

    /** {@code torch.flatten} of a contiguous tensor is a view. */
    @Override
    public boolean outputAliasesInput() {
        return true;
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        int s = start < 0 ? input.rank() + start : start;
        int e = end < 0 ? input.rank() + end : end;
        require(s >= 0 && e < input.rank() && s <= e, input, "dimensions " + start + ".." + end + " to exist");
        List<Long> o = new ArrayList<>(input.dims().subList(0, s));
        o.add(input.product(s, e + 1));
        o.addAll(input.dims().subList(e + 1, input.rank()));
        return new Shape(o);
    }
}
