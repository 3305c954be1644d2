package dev.heft.core.format.pytorch;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.pickle.PickleValue;
import dev.heft.core.format.pickle.PickleValue.PyBool;
import dev.heft.core.format.pickle.PickleValue.PyDict;
import dev.heft.core.format.pickle.PickleValue.PyFloat;
import dev.heft.core.format.pickle.PickleValue.PyInt;
import dev.heft.core.format.pickle.PickleValue.PyList;
import dev.heft.core.format.pickle.PickleValue.PyObject;
import dev.heft.core.format.pickle.PickleValue.PyStr;
import dev.heft.core.format.pickle.PickleValue.PyTuple;
import dev.heft.core.format.pickle.PickleValue.TensorView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the tensors in an unpickled checkpoint and decides which are the model's weights.
 *
 * <p>A file is either a state dict (every tensor is the model's) or a training checkpoint: a dict whose entries hold
 * the state dict ({@code model}, {@code state_dict}, {@code model_state_dict}, ... the first of {@link #MODEL_KEYS}
 * that holds a tensor), the optimizer state (any entry whose name contains {@code optim}: {@code optimizer},
 * Lightning's {@code optimizer_states}), and other things (step counters, learning rates, EMA copies, callback
 * state). Weights of a nested checkpoint are named as in the model's own state dict (the {@code model.} prefix is
 * dropped); everything else keeps its full dotted path. Scalars outside the weights are kept as entries.
 *
 * <p>The walk is bounded: containers are visited once each (a pickle may build a self-referencing list, or a DAG of
 * tuples through its memo whose paths would double at every level), depth is capped,
 * and only the first {@link #MAX_ENTRIES} scalar entries are kept.
 */
final class CheckpointWalker {
    /** Entries that hold a model's state dict in the checkpoints training code writes, in order of preference. */
    static final List<String> MODEL_KEYS = List.of(
            "state_dict", "model_state_dict", "model", "module", "net", "network", "model_state", "weights", "params");

    static final int MAX_DEPTH = 200;
    static final int MAX_ENTRIES = 128;

    record Found(String name, TensorView view, CheckpointSection section) {}

    record Result(
            List<Found> tensors,
            Map<String, Object> entries,
            Optional<String> modelKey,
            int entriesOmitted,
            Map<String, CheckpointSection> topLevel) {}

    private final Path file;
    private final List<Found> found = new ArrayList<>();
    private final Map<String, Object> entries = new LinkedHashMap<>();
    private final Set<PickleValue> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private int omitted;

    private CheckpointWalker(Path file) {
        this.file = file;
    }

    /** Walks {@code root}; tensors under it belong to {@code rootSection} unless a training-checkpoint layout says otherwise. */
    static Result walk(PickleValue root, CheckpointSection rootSection, String prefix, Path file) {
        CheckpointWalker w = new CheckpointWalker(file);
        Map<String, CheckpointSection> top = new LinkedHashMap<>();
        Optional<String> modelKey = Optional.empty();
        if (rootSection == CheckpointSection.MODEL && root instanceof PyDict d && !isStateDict(d)) {
            modelKey = findModelKey(d);
            for (Map.Entry<PickleValue, PickleValue> e : d.entries().entrySet()) {
                String key = keyName(e.getKey());
                CheckpointSection section;
                String path;
                if (modelKey.isPresent() && modelKey.get().equals(key)) {
                    section = CheckpointSection.MODEL;
                    path = prefix;
                } else if (isOptimizerKey(key) && !(e.getValue() instanceof TensorView)) {
                    section = CheckpointSection.OPTIMIZER;
                    path = join(prefix, key);
                } else {
                    section = modelKey.isPresent() ? CheckpointSection.OTHER : CheckpointSection.MODEL;
                    path = join(prefix, key);
                }
                top.put(key, section);
                w.visit(e.getValue(), path, section, 1);
            }
        } else {
            w.visit(root, prefix, rootSection, 0);
        }
        return new Result(w.found, w.entries, modelKey, w.omitted, top);
    }

    /** A dict whose values are all tensors is a state dict: no layout to find. */
    private static boolean isStateDict(PyDict d) {
        for (PickleValue v : d.entries().values()) {
            if (!(v instanceof TensorView)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> findModelKey(PyDict d) {
        for (String k : MODEL_KEYS) {
            PickleValue v = d.get(k);
            if (v != null && holdsTensor(v, 0, Collections.newSetFromMap(new IdentityHashMap<>()))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static boolean holdsTensor(PickleValue v, int depth, Set<PickleValue> seen) {
        if (depth > MAX_DEPTH || !seen.add(v)) {
            return false;
        }
        return switch (v) {
            case TensorView t -> true;
            case PyDict d -> d.entries().values().stream().anyMatch(x -> holdsTensor(x, depth + 1, seen));
            case PyList l -> l.items().stream().anyMatch(x -> holdsTensor(x, depth + 1, seen));
            case PyTuple t -> t.items().stream().anyMatch(x -> holdsTensor(x, depth + 1, seen));
            case PyObject o -> o.state() != null && holdsTensor(o.state(), depth + 1, seen);
            default -> false;
        };
    }

    static boolean isOptimizerKey(String key) {
        return key.toLowerCase(Locale.ROOT).contains("optim");
    }

    private void visit(PickleValue v, String path, CheckpointSection section, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CorruptModelException(file, path, "checkpoint objects nested more than " + MAX_DEPTH + " deep");
        }
        switch (v) {
            case TensorView t -> found.add(new Found(path, t, section));
            case PyDict d -> {
                if (visited.add(d)) {
                    for (Map.Entry<PickleValue, PickleValue> e : d.entries().entrySet()) {
                        visit(e.getValue(), join(path, keyName(e.getKey())), section, depth + 1);
                    }
                }
            }
            case PyList l -> {
                if (visited.add(l)) {
                    List<PickleValue> items = l.items();
                    for (int i = 0; i < items.size(); i++) {
                        visit(items.get(i), join(path, Integer.toString(i)), section, depth + 1);
                    }
                }
            }
            case PyTuple t -> {
                // tuples too are visited once: memo references can make a DAG of tuples whose paths double per level
                if (visited.add(t)) {
                    for (int i = 0; i < t.size(); i++) {
                        visit(t.get(i), join(path, Integer.toString(i)), section, depth + 1);
                    }
                }
            }
            case PyObject o -> {
                // a TorchScript module: its BUILD state is its attribute dict (parameters, buffers, submodules)
                if (visited.add(o) && o.state() != null) {
                    visit(o.state(), path, section, depth + 1);
                }
            }
            case PyInt i
            when section != CheckpointSection.MODEL && i.asLong().isPresent() ->
                entry(path, i.asLong().getAsLong());
            case PyFloat f when section != CheckpointSection.MODEL -> entry(path, f.value());
            case PyBool b when section != CheckpointSection.MODEL -> entry(path, b.value());
            case PyStr s when section != CheckpointSection.MODEL -> entry(path, s.value());
            default -> {}
        }
    }

    private void entry(String path, Object value) {
        if (entries.size() < MAX_ENTRIES) {
            entries.put(path, value);
        } else {
            omitted++;
        }
    }

    static String keyName(PickleValue key) {
        return switch (key) {
            case PyStr s -> s.value();
            case PyInt i -> i.value().toString();
            case PyBool b -> b.value() ? "True" : "False";
            default -> "<" + key.describe() + ">";
        };
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
