package dev.heft.core.format.quantized;

import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognises packed quantized weights in an inventory right after it is read, whatever the container (safetensors,
 * PyTorch .bin/.pt): each packed weight gets its logical shape and parameter count ({@link Tensor#packed}), and the
 * scales, zero points, indices, code books and metadata stored to decode it become
 * {@link TensorRole#QUANT_OVERHEAD}, never parameters. Stored bytes never change.
 *
 * <p>Only names, shapes, dtypes and config.json are looked at, plus, with a bounded read, the few small metadata
 * tensors some layouts keep their shapes in. The layouts are listed in {@link #LAYOUTS}; each cites the save code it
 * follows.
 */
public final class QuantizedLayouts {
    /** Every layout, in the order they are tried (package-private: AnchorSuffixesTest checks their anchors). */
    static final List<PackedLayout> LAYOUTS = List.of(
            new GroupQuantLayout(),
            new BitsandbytesLayout(),
            new CompressedTensorsLayout(),
            new ScaledWeightLayout(),
            new MlxLayout(),
            new HqqLayout(),
            new Exl2Layout(),
            new Mxfp4Layout());

    private static final AnchorSuffixes ANCHORS = new AnchorSuffixes(LAYOUTS);

    private QuantizedLayouts() {}

    /** Recognises packed layouts, reading small metadata tensors from the inventory's files where needed. */
    public static TensorInventory recognise(TensorInventory inventory) {
        return recognise(inventory, true);
    }

    /**
     * @param readData false where the files are not there (header-only uploads): layouts whose logical shape lives in
     *                 a metadata tensor fall back to what the packed shape implies, and say so in a note
     */
    public static TensorInventory recognise(TensorInventory inventory, boolean readData) {
        boolean anchored = false;
        for (Tensor t : inventory.tensors()) {
            if (t.packing().isPresent()) {
                return inventory; // already recognised
            }
            anchored = anchored || ANCHORS.anyEnds(t.name());
        }
        QuantizationConfig config = QuantizationConfig.of(inventory.config());
        if (!anchored) {
            return withNotes(inventory, config, List.of());
        }
        Map<String, Tensor> byName = HashMap.newHashMap(inventory.tensors().size());
        for (Tensor t : inventory.tensors()) {
            byName.putIfAbsent(t.name(), t); // the first of a name wins
        }
        LayoutContext ctx = new LayoutContext(byName, config, new SmallTensors(readData), inventory.tensors());
        Found found = new Found(inventory.tensors().size());
        for (Tensor anchor : inventory.tensors()) {
            found.match(anchor, ctx);
        }
        Map<String, Tensor> changed = found.changed;
        List<String> notes = new ArrayList<>();
        found.perLayout.forEach((layout, n) -> notes.add(n + " packed quantized weight" + (n == 1 ? "" : "s") + ": "
                + layout + "; counted as the unquantized layer's parameters, their scales, zero points and indices "
                + "as quantization overhead"));
        notes.addAll(found.caveats);
        if (changed.isEmpty()) {
            return withNotes(inventory, config, notes);
        }
        List<Tensor> out = new ArrayList<>(inventory.tensors().size());
        for (Tensor t : inventory.tensors()) {
            out.add(changed.getOrDefault(t.name(), t));
        }
        return inventory.withTensors(out).withNotes(notes);
    }

    /**
     * An inventory in which no layout changed a tensor, with the layouts' notes and, where config.json says the weights
     * are quantized, that nothing packed was found.
     */
    private static TensorInventory withNotes(TensorInventory inventory, QuantizationConfig config, List<String> notes) {
        List<String> all = new ArrayList<>(notes);
        if (!config.method().isEmpty() || config.mlx().isPresent()) {
            all.add("config.json says the weights are quantized ("
                    + (config.mlx().isPresent() ? "mlx" : config.method())
                    + ") but no packed layout heft knows was found among the tensors; "
                    + "the weights are counted as stored");
        }
        return all.isEmpty() ? inventory : inventory.withNotes(all);
    }

    /*
     * The per-tensor steps are methods rather than loop bodies: C1 compiles a method after a few hundred calls, but a
     * loop inside one call only after Tier3BackEdgeThreshold back edges (60,000 unless the launcher lowers it), so on a
     * 45k-tensor checkpoint the loops ran interpreted (issue 12).
     */

    /** What the layouts found: the tensors they change, by name, and what the notes say. */
    private static final class Found {
        /** Sized for every tensor up front: FP8 checkpoints change nearly all of them (weight and scale). */
        final Map<String, Tensor> changed;

        final Map<String, Integer> perLayout = new LinkedHashMap<>();
        final Set<String> caveats = new LinkedHashSet<>();

        Found(int tensors) {
            changed = HashMap.newHashMap(tensors);
        }

        /** Asks each layout in turn about {@code anchor}; the first that recognises it wins. */
        void match(Tensor anchor, LayoutContext ctx) {
            for (PackedLayout layout : LAYOUTS) {
                var found = layout.match(anchor, ctx);
                if (found.isEmpty()) {
                    continue;
                }
                Match m = found.get();
                if (isPacked(m.weight().name())) {
                    return; // a weight is recognised once
                }
                changed.put(m.weight().name(), m.weight().packed(m.packing()));
                for (Tensor o : m.overhead()) {
                    if (!isPacked(o.name())) {
                        changed.put(o.name(), o.withRole(TensorRole.QUANT_OVERHEAD));
                    }
                }
                perLayout.merge(m.packing().layout(), 1, Integer::sum);
                if (!m.note().isEmpty()) {
                    caveats.add(m.note());
                }
                return;
            }
        }

        /** Whether {@code name} was recognised as a packed weight already (one lookup). */
        private boolean isPacked(String name) {
            Tensor t = changed.get(name);
            return t != null && t.packing().isPresent();
        }
    }
}
