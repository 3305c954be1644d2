package dev.heft.core.format.quantized;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * 8-bit weights stored one value per byte with scales beside them, anchored on the scale:
 * <ul>
 *   <li>FP8 with block scales, DeepSeek-V3 style ({@code inference/kernel.py} weight_dequant): {@code weight}
 *       float8_e4m3fn [out, in] with {@code weight_scale_inv} float32 [ceil(out / 128), ceil(in / 128)]
 *       (quantization_config.weight_block_size);</li>
 *   <li>compressed-tensors "float-quantized" (FP8) and "int-quantized" (INT8) ({@code naive_quantized.py}):
 *       {@code weight} with {@code weight_scale} per tensor, channel ([out, 1]) or group, optional
 *       {@code weight_zero_point} and the activation's {@code input_scale}.</li>
 * </ul>
 * The weight holds one value per stored element, so its parameters do not change; recognising it marks the scales as
 * overhead and says the weight is already quantized.
 */
record ScaledWeightLayout() implements PackedLayout {
    /** Optional tensors stored beside a scaled weight, counted as its overhead when present. */
    private static final String[] SIBLINGS = {".weight_zero_point", ".input_scale", ".input_zero_point"};

    @Override
    public List<String> anchorSuffixes() {
        return List.of(".weight_scale_inv", ".weight_scale");
    }

    @Override
    public Optional<Match> match(Tensor scale, LayoutContext ctx) {
        String suffix = scale.name().endsWith(".weight_scale_inv")
                ? ".weight_scale_inv"
                : scale.name().endsWith(".weight_scale") ? ".weight_scale" : null;
        if (suffix == null) {
            return Optional.empty();
        }
        String m = PackedLayout.module(scale.name(), suffix);
        Tensor w = ctx.byName().get(m + ".weight");
        if (w == null
                || w.dtype().blockElements() != 1
                || w.dtype().blockBytes() != 1
                || w.dtype() == DType.BOOL
                || w.dtype() == DType.F8_E8M0) {
            return Optional.empty(); // a bf16 weight's "weight_scale" (a learned scale) is not quantization overhead
        }
        List<Tensor> overhead = new ArrayList<>(4);
        overhead.add(scale);
        for (String s : SIBLINGS) {
            Optional<Tensor> sibling = ctx.sibling(m, s);
            if (sibling.isPresent()) {
                overhead.add(sibling.get());
            }
        }
        // The config's weight_block_size names the block (a layer no wider than one block has a single scale): then
        // the layout's name is the same for every weight of a dtype, built once.
        DType dtype = w.dtype();
        String layout = suffix.equals(".weight_scale_inv")
                        && !ctx.config().weightBlockSize().isEmpty()
                ? ctx.text(
                        List.of(dtype, suffix),
                        () -> layout(dtype, "block " + ctx.config().weightBlockSize() + " scales", suffix))
                : ctx.shared(layout(dtype, granularity(w.shape(), scale.shape()), suffix));
        return Optional.of(new Match(
                w,
                new Packing(w.dtype().isFloat() ? "FP8" : "INT8", layout, 8, w.shape(), PackedLayout.bytesOf(overhead)),
                overhead));
    }

    private static String layout(DType weight, String grain, String suffix) {
        String type = weight.isFloat() ? "FP8 " + weight.displayName().replace("F8_", "") : "INT8";
        return type + ", " + grain + " (" + suffix.substring(1) + ")";
    }

    private static String granularity(long[] w, long[] s) {
        long n = Shapes.elements(s);
        if (n == 1) {
            return "per-tensor scale";
        }
        if (w.length == 2 && (n == w[0]) && (s.length == 1 || s[s.length - 1] == 1)) {
            return "per-channel scales";
        }
        if (w.length == 2 && s.length == 2 && s[0] > 0 && s[1] > 0) {
            long rows = (w[0] + s[0] - 1) / s[0];
            long cols = (w[1] + s[1] - 1) / s[1];
            if (s[0] == w[0]) {
                return "group " + cols + " scales";
            }
            return "block " + pow2(rows) + "x" + pow2(cols) + " scales";
        }
        return "scales " + Shapes.format(s);
    }

    /** Block sizes are powers of two (128 in DeepSeek-V3); a ragged last block makes the quotient fall short. */
    private static long pow2(long v) {
        long p = Long.highestOneBit(Math.max(1, v));
        return p == v ? v : p << 1;
    }
}
