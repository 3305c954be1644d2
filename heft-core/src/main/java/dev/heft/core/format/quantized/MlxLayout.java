package dev.heft.core.format.quantized;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * MLX quantized safetensors (mlx {@code python/mlx/nn/layers/quantized.py} QuantizedLinear / QuantizedEmbedding,
 * {@code mx.quantize}): {@code weight} uint32 [out, in * bits / 32] packed along the input dimension, {@code scales}
 * [out, in / group] and, in the default "affine" mode, {@code biases} of the same shape. Bits and group size come from
 * config.json {@code quantization} (mlx-lm writes {@code {group_size, bits}} and per-module overrides); without them
 * the scales width still gives in / group, and mlx's defaults (group 64, 4 bits) are assumed with a note.
 */
record MlxLayout() implements PackedLayout {

    @Override
    public List<String> anchorSuffixes() {
        return List.of(".scales");
    }

    @Override
    public Optional<Match> match(Tensor scales, LayoutContext ctx) {
        String m = PackedLayout.module(scales.name(), ".scales");
        if (m == null) {
            return Optional.empty();
        }
        Tensor w = ctx.byName().get(m + ".weight");
        if (w == null || w.dtype() != DType.U32 || w.rank() < 2 || scales.rank() != w.rank()) {
            return Optional.empty();
        }
        QuantizationConfig cfg = ctx.config();
        Optional<int[]> own = cfg.mlxFor(m);
        String note = "";
        int group;
        int bits;
        if (own.isPresent()) {
            group = own.get()[0];
            bits = own.get()[1];
        } else {
            group = 64;
            bits = 4;
            note = "MLX quantization not given in config.json: mlx's defaults (group 64, 4 bits) assumed";
        }
        long[] ws = w.shape();
        long[] ss = scales.shape();
        long in = Math.multiplyExact(ws[ws.length - 1], 32L) / bits;
        if (Math.multiplyExact(ws[ws.length - 1], 32L) % bits != 0
                || Math.multiplyExact(ss[ss.length - 1], (long) group) != in
                || !Arrays.equals(Arrays.copyOf(ws, ws.length - 1), Arrays.copyOf(ss, ss.length - 1))) {
            throw new CorruptModelException(
                    w.file(),
                    w.name(),
                    "MLX weight " + Shapes.format(ws) + " and scales " + Shapes.format(ss) + " do not fit " + bits
                            + "-bit values in groups of " + group);
        }
        long[] logical = ws.clone();
        logical[logical.length - 1] = in;
        List<Tensor> overhead = new ArrayList<>(List.of(scales));
        ctx.get(m + ".biases").ifPresent(overhead::add);
        String mode = cfg.format().isEmpty() || cfg.format().equals("affine") ? "" : " " + cfg.format();
        return Optional.of(new Match(
                w,
                new Packing(
                        "MLX",
                        "MLX" + mode + " " + bits + "-bit, group " + group,
                        bits,
                        logical,
                        PackedLayout.bytesOf(overhead)),
                overhead,
                note));
    }
}
