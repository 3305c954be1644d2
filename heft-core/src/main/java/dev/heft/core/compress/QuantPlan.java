package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
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
 * @param applicability whether the format quantized anything in this model, and why not when it did not
 */
public record QuantPlan(String format, List<PlannedTensor> tensors, List<String> notes, Applicability applicability) {

    public QuantPlan {
        tensors = List.copyOf(tensors);
        notes = List.copyOf(notes);
        if (applicability == null) {
            throw new IllegalArgumentException("applicability required");
        }
    }

    /** A plan whose every tensor is what the format asked for (plain types, llama.cpp mixtures). */
    public QuantPlan(String format, List<PlannedTensor> tensors, List<String> notes) {
        this(format, tensors, notes, new Applicability.Applies(tensors.size(), tensors.size()));
    }

    /** Exact stored bytes of every planned tensor (tensor data only: no file header, no alignment padding). */
    public long bytes() {
        long n = 0;
        try {
            for (PlannedTensor t : tensors) {
                n = Math.addExact(n, t.bytes());
            }
        } catch (ArithmeticException e) {
            throw new InvalidInputException("plan " + format + ": total bytes exceed 2^63");
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

    /** The plan as plain maps and lists for {@link dev.heft.core.json.JsonWriter} (the {@code --json} contract). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", format);
        m.put("tensor_bytes", bytes());
        m.put("elements", elements());
        m.put("bits_per_weight", bitsPerWeight());
        m.put("fp16_bytes", fp16Bytes());
        m.put("savings_vs_fp16", savingsVsFp16());
        m.put("encoding_counts", encodingCounts());
        m.put("notes", notes);
        m.put("applicable", applicability instanceof Applicability.Applies);
        if (applicability instanceof Applicability.NotApplicable na) {
            m.put("not_applicable_reason", na.reason());
        }
        List<Object> ts = new java.util.ArrayList<>(tensors.size());
        for (PlannedTensor t : tensors) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            tm.put("shape", t.shape());
            tm.put("elements", t.elements());
            tm.put("encoding", t.encoding());
            tm.put("bytes", t.bytes());
            tm.put("reason", t.reason());
            List<Object> stored = new java.util.ArrayList<>();
            for (StoredTensor st : t.stored()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("name", st.name());
                sm.put("shape", st.shape());
                sm.put("dtype", st.dtype().displayName());
                sm.put("role", st.role().name().toLowerCase(java.util.Locale.ROOT));
                sm.put("bytes", st.bytes());
                stored.add(sm);
            }
            tm.put("stored", stored);
            ts.add(tm);
        }
        m.put("tensors", ts);
        return m;
    }
}
