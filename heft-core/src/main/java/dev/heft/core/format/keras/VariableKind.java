package dev.heft.core.format.keras;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a saved Keras variable is, decided from where it sits in the weights file and the layer config.
 *
 * <p>Keras' {@code model.summary()} reports "Trainable params" and "Non-trainable params" and sums both into "Total
 * params"; BatchNormalization's moving mean and variance are non-trainable <em>params</em>, not buffers. heft
 * follows Keras: both are {@link dev.heft.core.tensor.TensorRole#WEIGHT} and the split is reported apart. Optimizer
 * slots (saved by {@code model.save} with {@code include_optimizer}) are optimizer state; a SeedGenerator's RNG
 * state (Keras 3 Dropout and friends) is a buffer, because it is RNG bookkeeping rather than anything learned.
 */
enum VariableKind {
    TRAINABLE,
    NON_TRAINABLE,
    OPTIMIZER,
    RNG_STATE;

    /** Layer classes whose last two variables are moving statistics (Keras 3 order: gamma?, beta?, mean, variance). */
    private static final Set<String> MOVING_STATS_LAYERS = Set.of("BatchNormalization", "SyncBatchNormalization");
    /** Layer classes whose variables are all non-trainable statistics (keras.layers.Normalization: mean, variance,
     *  count). */
    private static final Set<String> STATISTICS_LAYERS = Set.of("Normalization");
    /** Legacy (Keras 2 / tf.keras h5) variable names that are non-trainable statistics. */
    private static final Set<String> LEGACY_NON_TRAINABLE =
            Set.of("moving_mean", "moving_variance", "mean", "variance", "count");

    /**
     * Classifies every variable of a Keras 3 weights file ({@code layers/<name>/vars/<i>}, {@code optimizer/vars/<i>}).
     *
     * @param layers the model config's layers, or {@link KerasLayers#NONE} for a bare {@code .weights.h5}; without a
     *               config a layer is recognised as BatchNormalization by Keras' default name
     *               ({@code batch_normalization}, {@code batch_normalization_1}, ...)
     */
    static Map<H5Variable, VariableKind> keras3(List<H5Variable> variables, KerasLayers layers) {
        Map<String, Integer> perGroup = new HashMap<>();
        for (H5Variable v : variables) {
            perGroup.merge(parent(v.path()), 1, Integer::sum);
        }
        Map<H5Variable, VariableKind> kinds = new HashMap<>();
        for (H5Variable v : variables) {
            String[] s = v.segments();
            int vars = List.of(s).lastIndexOf("vars");
            String layerName = vars > 0 ? s[vars - 1] : s.length > 1 ? s[s.length - 2] : s[0];
            VariableKind kind;
            if (s[0].equals("optimizer")) {
                kind = OPTIMIZER;
            } else if (List.of(s).contains("seed_generator")) {
                kind = RNG_STATE;
            } else {
                KerasLayers.Layer layer = layers.layer(layerName).orElse(null);
                String cls = layer != null ? layer.className() : guessClass(layerName);
                int index = index(s[s.length - 1]);
                int count = perGroup.get(parent(v.path()));
                boolean stats =
                        STATISTICS_LAYERS.contains(cls) || (MOVING_STATS_LAYERS.contains(cls) && index >= count - 2);
                kind = stats || (layer != null && !layer.trainable()) ? NON_TRAINABLE : TRAINABLE;
            }
            kinds.put(v, kind);
        }
        return kinds;
    }

    /** Classifies a legacy h5 file ({@code model_weights/<layer>/<layer>/<var>:0}, {@code optimizer_weights/...}). */
    static Map<H5Variable, VariableKind> legacy(List<H5Variable> variables, KerasLayers layers) {
        Map<H5Variable, VariableKind> kinds = new HashMap<>();
        for (H5Variable v : variables) {
            String[] s = v.segments();
            VariableKind kind;
            if (s[0].equals("optimizer_weights")) {
                kind = OPTIMIZER;
            } else {
                int first = s[0].equals("model_weights") && s.length > 1 ? 1 : 0;
                String layerName = s[first];
                String leaf = s[s.length - 1];
                int colon = leaf.lastIndexOf(':');
                String var = colon > 0 ? leaf.substring(0, colon) : leaf;
                boolean frozen =
                        layers.layer(layerName).map(l -> !l.trainable()).orElse(false);
                kind = frozen || LEGACY_NON_TRAINABLE.contains(var) ? NON_TRAINABLE : TRAINABLE;
            }
            kinds.put(v, kind);
        }
        return kinds;
    }

    private static String guessClass(String layerName) {
        return layerName.matches("batch_normalization(_\\d+)?") ? "BatchNormalization" : "";
    }

    private static int index(String leaf) {
        try {
            return Integer.parseInt(leaf);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
