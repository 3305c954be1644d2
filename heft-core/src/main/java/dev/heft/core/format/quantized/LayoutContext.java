package dev.heft.core.format.quantized;

import dev.heft.core.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** What a layout may look at: every tensor by name, the config's quantization keys, and the small-tensor reader. */
record LayoutContext(
        Map<String, Tensor> byName,
        QuantizationConfig config,
        SmallTensors small,
        List<Tensor> tensors,
        Map<String, Boolean> endings,
        Map<Object, String> texts) {

    /** @param tensors every tensor in the inventory's order (the order their names were allocated in memory) */
    LayoutContext(Map<String, Tensor> byName, QuantizationConfig config, SmallTensors small, List<Tensor> tensors) {
        this(byName, config, small, tensors, new HashMap<>(), new HashMap<>());
    }

    /**
     * One instance of each distinct text: a layout name built per weight (thousands alike) is then one String whose
     * hash is computed once, by every map that groups weights by it (the notes per layout, the report's totals).
     */
    String shared(String text) {
        String first = texts.putIfAbsent(text, text);
        return first == null ? text : first;
    }

    /** The text made for {@code key} the first time it is asked for; {@link #shared} for a text built each time. */
    String text(Object key, Supplier<String> make) {
        String text = texts.get(key);
        if (text == null) {
            text = shared(make.get());
            texts.put(key, text);
        }
        return text;
    }

    Optional<Tensor> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The tensor {@code module + suffix}, for a suffix that may be on no tensor at all (an optional sibling such as
     * {@code .input_scale}): whether any name ends with it is answered once per suffix by one walk over the names, so
     * a layout anchored on tens of thousands of tensors does not build and look up a name per anchor that no tensor
     * has (each a hash-table miss in a table of every name, issue 12).
     */
    Optional<Tensor> sibling(String module, String suffix) {
        Boolean any = endings.get(suffix);
        if (any == null) {
            any = anyEndsWith(suffix);
            endings.put(suffix, any);
        }
        return any ? get(module + suffix) : Optional.empty();
    }

    /**
     * Walks the tensors in list order, not the map's keys: those come in hash order, a cache miss per name on a large
     * checkpoint, while the names of the list lie in memory in the order they were parsed.
     */
    private boolean anyEndsWith(String suffix) {
        for (Tensor t : tensors) {
            if (t.name().endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
