package dev.heft.core.arch.torch;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * FLOPs of one forward pass at {@code input}, counted like torch's FlopCounterMode.
 *
 * @param flops  floating-point operations (2 per multiply-accumulate), matrix products and convolutions only
 * @param output the output shape the pass produces
 * @param byOp   {@code flops} split by op family (convolution, mm/addmm, bmm/attention)
 * @param notes  work FlopCounterMode does not see (fused kernels), so neither does {@code flops}
 */
public record FlopReport(Shape input, Shape output, long flops, Map<FlopCounter.Op, Long> byOp, List<String> notes) {
    public FlopReport {
        byOp = Map.copyOf(new EnumMap<>(byOp.isEmpty() ? new EnumMap<>(FlopCounter.Op.class) : byOp));
        notes = List.copyOf(notes);
    }

    /** Multiply-accumulates: every op FlopCounterMode counts is 2 FLOPs per multiply-accumulate. */
    public long macs() {
        return flops / 2;
    }
}
