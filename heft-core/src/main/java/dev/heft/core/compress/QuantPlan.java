package dev.heft.core.compress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A per-tensor precision plan and its totals.
 *
 * @param format  the format planned, as a user would type it ("Q4_K_M", "gptq-4bit-g128")
 * @param tensors every planned tensor, in the order the planner visited them
 * @param notes   facts a user should see (how many tensors needed fallback types, overhead not counted, ...)
 */
public record QuantPlan(String format, List<PlannedTensor> tensors, List<String> notes) {

    public QuantPlan {
        tensors = List.copyOf(tensors);
        notes = List.copyOf(notes);
    }

    /** Exact stored bytes of every planned tensor (tensor data only: no file header, no alignment padding). */
    public long bytes() {
        long n = 0;
        for (PlannedTensor t : tensors) {
            n = Math.addExact(n, t.bytes());
        }
        return n;
    }

    /** Logical parameters. */
    public long elements() {
        long n = 0;
        for (PlannedTensor t : tensors) {
            n = Math.addExact(n, t.elements());
        }
        return n;
    }

    /** 8 x bytes / elements, the figure llama.cpp and gguf-py print as bits per weight (scales and norms included). */
    public double bitsPerWeight() {
        long e = elements();
        return e == 0 ? 0 : bytes() * 8.0 / e;
    }

    /** Bytes of every tensor in fp16. */
    public long fp16Bytes() {
        return Math.multiplyExact(elements(), 2L);
    }

    /** Fraction of the fp16 size saved: 1 - bytes / fp16Bytes (negative when the plan is larger, as F32 is). */
    public double savingsVsFp16() {
        long f = fp16Bytes();
        return f == 0 ? 0 : 1.0 - (double) bytes() / f;
    }

    public Optional<PlannedTensor> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** How many planned tensors use each encoding, in first-seen order (compare gguf-py's tensor_type_counts). */
    public Map<String, Integer> encodingCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (PlannedTensor t : tensors) {
            counts.merge(t.encoding(), 1, Integer::sum);
        }
        return counts;
    }
}
