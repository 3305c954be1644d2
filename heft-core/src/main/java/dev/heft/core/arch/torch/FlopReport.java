package dev.heft.core.arch.torch;

import java.util.List;

/**
 * FLOPs of one forward pass at {@code input}, counted like torch's FlopCounterMode.
 *
 * @param flops  floating-point operations (2 per multiply-accumulate), matrix products and convolutions only
 * @param output the output shape the pass produces
 * @param notes  work FlopCounterMode does not see (fused kernels), so neither does {@code flops}
 */
public record FlopReport(Shape input, Shape output, long flops, List<String> notes) {
    public FlopReport {
        notes = List.copyOf(notes);
    }

    /** Multiply-accumulates: every op FlopCounterMode counts is 2 FLOPs per multiply-accumulate. */
    public long macs() {
        return flops / 2;
    }
}
