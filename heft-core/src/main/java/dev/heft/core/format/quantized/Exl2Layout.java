package dev.heft.core.format.quantized;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * EXL2 (exllamav2 {@code exllamav2/conversion/adaptivegptq.py} AdaptiveGPTQ.pack): {@code q_weight} int32 [packed
 * rows, out] whose groups mix bit widths, {@code q_invperm} int32 [in] (or {@code q_perm}), {@code q_scale} int32
 * [groups, out / 8], {@code q_scale_max} float16 [groups], {@code q_groups} int16 [2 * groups]. The layer is
 * [out, in]: in from the permutation's length, out from q_weight's width (exllamav2 pads it to a multiple of 32).
 */
record Exl2Layout() implements PackedLayout {

    @Override
    public List<String> anchorSuffixes() {
        return List.of(".q_weight");
    }

    @Override
    public Optional<Match> match(Tensor qw, LayoutContext ctx) {
        String m = PackedLayout.module(qw.name(), ".q_weight");
        if (m == null) {
            return Optional.empty();
        }
        Tensor perm = ctx.get(m + ".q_invperm").orElse(ctx.byName().get(m + ".q_perm"));
        if (perm == null || !ctx.byName().containsKey(m + ".q_groups")) {
            return Optional.empty();
        }
        if (qw.dtype() != DType.I32 || qw.rank() != 2 || perm.rank() != 1) {
            throw new CorruptModelException(
                    qw.file(),
                    qw.name(),
                    "EXL2 q_weight must be I32 [rows, out] with a 1-D"
                            + " q_invperm; found " + qw.dtype() + " " + Shapes.format(qw.shape()) + " and "
                            + Shapes.format(perm.shape()));
        }
        long[] logical = {qw.shape()[1], perm.elements()};
        List<Tensor> overhead = new ArrayList<>();
        for (String s : List.of(".q_invperm", ".q_perm", ".q_scale", ".q_scale_max", ".q_groups")) {
            ctx.get(m + s).ifPresent(overhead::add);
        }
        return Optional.of(new Match(
                qw, new Packing("EXL2", "EXL2 mixed-bit", 0, logical, PackedLayout.bytesOf(overhead)), overhead));
    }
}
