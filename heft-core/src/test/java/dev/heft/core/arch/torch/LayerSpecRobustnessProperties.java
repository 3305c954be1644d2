package dev.heft.core.arch.torch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.error.HeftException;
import dev.heft.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Structured fuzzing (Jazzer cannot instrument Java 25 class files, so its mutations run blind): random specs made
 * of real layer types with random values for their real keys, random nesting, sharing and inputs. Every outcome is
 * a network or a HeftException, never another exception.
 */
class LayerSpecRobustnessProperties {
    private static final List<String> TYPES =
            new ArrayList<>(TorchLayers.types().keySet());

    @Property(tries = 1000)
    void randomSpecsFailOnlyWithHeftExceptions(@ForAll long seed) {
        Random r = new Random(seed);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("modules", Map.of("shared", layer(r, 0)));
        List<Object> layers = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            layers.add(r.nextInt(6) == 0 ? Map.of("use", r.nextBoolean() ? "shared" : "nope") : layer(r, 0));
        }
        spec.put("layers", layers);
        List<Object> input = new ArrayList<>();
        int rank = 1 + r.nextInt(5);
        for (int i = 0; i < rank; i++) {
            input.add(r.nextInt(20) == 0 ? value(r) : 1 + r.nextInt(12));
        }
        spec.put("input", input);
        String text = JsonWriter.write(spec);
        try {
            CustomNetwork net = LayerSpec.parse(text, LayerSpec.Format.JSON);
            assertThat(net.counts().parameters()).isNotNegative();
            net.tensors();
            net.flops();
            Statistics.collect("network with FLOPs");
        } catch (HeftException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            Statistics.collect(expected.getMessage().contains("cannot take input") ? "shape mismatch" : "spec error");
        }
    }

    private static Map<String, Object> layer(Random r, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (depth < 2 && r.nextInt(8) == 0) {
            m.put("type", "Sequential");
            List<Object> inner = new ArrayList<>();
            for (int i = 0; i < 1 + r.nextInt(3); i++) {
                inner.add(layer(r, depth + 1));
            }
            m.put("layers", inner);
        } else {
            String type = TYPES.get(r.nextInt(TYPES.size()));
            m.put("type", type);
            for (String key : TorchLayers.types().get(type).keys()) {
                if (r.nextInt(3) > 0) {
                    m.put(key, r.nextInt(25) == 0 ? value(r) : plausible(r, key));
                }
            }
            if (r.nextInt(10) == 0) {
                m.put("bogus", 1);
            }
        }
        if (r.nextInt(5) == 0) {
            m.put("repeat", r.nextInt(10) == 0 ? value(r) : 1 + r.nextInt(3));
        }
        return m;
    }

    private static final List<String> FLAGS = List.of(
            "bias",
            "affine",
            "track_running_stats",
            "elementwise_affine",
            "batch_first",
            "bidirectional",
            "add_bias_kv",
            "add_zero_attn",
            "norm_first",
            "ceil_mode",
            "return_indices",
            "count_include_pad",
            "inplace",
            "sparse",
            "scale_grad_by_freq",
            "include_last_offset",
            "_freeze");
    private static final List<String> SKIP = List.of(
            "mode",
            "activation",
            "nonlinearity",
            "padding_mode",
            "approximate",
            "device",
            "dtype",
            "padding_idx",
            "max_norm",
            "divisor_override",
            "dim");

    /** A value of the right type for the key, small enough to build: the common case a user writes. */
    private static Object plausible(Random r, String key) {
        if (FLAGS.contains(key)) {
            return r.nextBoolean();
        }
        if (SKIP.contains(key)) {
            return null;
        }
        if (List.of(
                        "eps",
                        "momentum",
                        "dropout",
                        "p",
                        "init",
                        "negative_slope",
                        "alpha",
                        "beta",
                        "threshold",
                        "norm_type",
                        "layer_norm_eps",
                        "min_val",
                        "max_val")
                .contains(key)) {
            return 0.1;
        }
        if (List.of("padding", "output_padding", "proj_size").contains(key)) {
            return r.nextInt(2);
        }
        if (List.of("start_dim", "end_dim").contains(key)) {
            return r.nextInt(3) - 1;
        }
        return 1 + r.nextInt(r.nextBoolean() ? 3 : 16);
    }

    /** Mostly plausible sizes, sometimes hostile ones: 0, negatives, huge, wrong types, tuples. */
    private static Object value(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> 0;
            case 1 -> -1 - r.nextInt(5);
            case 2 -> 1L << (20 + r.nextInt(43));
            case 3 -> r.nextBoolean();
            case 4 -> "same";
            case 5 -> null;
            case 6 -> List.of(1 + r.nextInt(4), 1 + r.nextInt(4));
            case 7 -> 2.5;
            default -> 1 + r.nextInt(r.nextBoolean() ? 4 : 64);
        };
    }
}
