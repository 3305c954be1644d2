package dev.heft.core.memory;

import java.util.List;

/**
 * An estimate made of named parts, plus the assumptions it rests on. {@link #total()} is the sum of the parts;
 * {@code peak} may be less than the total where parts do not coexist (training frees activations as gradients
 * appear), and the estimate says so in its assumptions.
 */
public record MemoryEstimate(List<MemoryPart> parts, long peak, List<String> assumptions) {
    public MemoryEstimate {
        parts = List.copyOf(parts);
        assumptions = List.copyOf(assumptions);
    }

    public long total() {
        long t = 0;
        for (MemoryPart p : parts) {
            t = Math.addExact(t, p.bytes());
        }
        return t;
    }

    public long bytes(MemoryPart.Component c) {
        long t = 0;
        for (MemoryPart p : parts) {
            if (p.component() == c) {
                t = Math.addExact(t, p.bytes());
            }
        }
        return t;
    }
}
