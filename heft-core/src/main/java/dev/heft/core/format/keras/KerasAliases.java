package dev.heft.core.format.keras;

import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keras stores variables by layer and position ({@code layers/dense_1/vars/1}) or by layer and Keras name
 * ({@code model_weights/dense_1/dense_1/bias:0}); what a variable is follows from the layer's class and the variable's
 * place in it (Dense: kernel, bias; BatchNormalization: gamma, beta, moving mean, moving variance). This gives each
 * weight a torch-style alias ({@code dense_1.dense.bias}, {@code bn.bn.running_mean}) for the classifier.
 */
final class KerasAliases {
    private KerasAliases() {}

    static Map<String, String> of(List<Tensor> tensors, KerasLayers layers, boolean keras3) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (t.role() != TensorRole.WEIGHT) {
                continue;
            }
            String[] seg = t.name().split("/");
            String layer;
            String variable;
            if (keras3 && seg.length >= 4 && seg[0].equals("layers") && seg[seg.length - 2].equals("vars")) {
                layer = seg[seg.length - 3];
                variable = seg[seg.length - 1];
            } else if (seg.length >= 2) {
                layer = seg[seg.length - 2];
                variable = seg[seg.length - 1].replace(":0", "");
            } else {
                continue;
            }
            String cls = layers.byName().containsKey(layer)
                    ? layers.byName().get(layer).className()
                    : guess(layer);
            String alias = alias(layer, cls.toLowerCase(Locale.ROOT), variable, t.rank());
            if (alias != null) {
                out.put(t.name(), alias);
            }
        }
        return out;
    }

    /** The class a layer's default name implies (Keras names layers after their class in snake case). */
    private static String guess(String layer) {
        String l = layer.toLowerCase(Locale.ROOT);
        if (l.startsWith("batch_normalization")) {
            return "BatchNormalization";
        }
        if (l.startsWith("layer_normalization")) {
            return "LayerNormalization";
        }
        if (l.startsWith("conv") || l.startsWith("depthwise_conv") || l.startsWith("separable_conv")) {
            return "Conv2D";
        }
        if (l.startsWith("dense")) {
            return "Dense";
        }
        if (l.startsWith("embedding")) {
            return "Embedding";
        }
        return "";
    }

    private static String alias(String layer, String cls, String variable, int rank) {
        int index = variable.chars().allMatch(Character::isDigit) && !variable.isEmpty()
                ? Integer.parseInt(variable)
                : switch (variable) {
                    case "kernel", "gamma", "embeddings", "depthwise_kernel" -> 0;
                    case "bias", "beta", "pointwise_kernel" -> 1;
                    case "moving_mean" -> 2;
                    case "moving_variance" -> 3;
                    default -> -1;
                };
        if (cls.equals("dense") || cls.equals("einsumdense")) {
            return layer + ".dense." + (index == 1 || rank == 1 ? "bias" : "weight");
        }
        if (cls.contains("conv")) {
            return layer + ".conv." + (rank == 1 ? "bias" : "weight");
        }
        if (cls.equals("batchnormalization")) {
            return layer + ".bn."
                    + switch (index) {
                        case 0 -> "weight";
                        case 1 -> "bias";
                        case 2 -> "running_mean";
                        default -> "running_var";
                    };
        }
        if (cls.equals("layernormalization") || cls.equals("groupnormalization") || cls.equals("rmsnormalization")) {
            return layer + ".layer_norm." + (index == 1 ? "bias" : "weight");
        }
        if (cls.equals("embedding")) {
            return layer + ".embed_tokens.weight";
        }
        if (cls.equals("multiheadattention")) {
            return layer + ".attention." + (rank == 1 ? "bias" : "weight") + variable;
        }
        return null;
    }
}
