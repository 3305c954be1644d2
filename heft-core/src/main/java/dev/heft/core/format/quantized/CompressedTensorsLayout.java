package dev.heft.core.format.quantized;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * compressed-tensors (llm-compressor's output), anchored on {@code weight_packed}:
 * <ul>
 *   <li>"pack-quantized" ({@code compressors/quantized_compressors/pack_quantized.py}): weight_packed int32
 *       [out, ceil(in / (32 / bits))], {@code weight_shape} = torch.tensor(weight.shape) (int64 [2], read with a
 *       bounded read), weight_scale [out, in / group], for asymmetric group/channel weights weight_zero_point packed
 *       along dim 0, and weight_g_idx [in] with activation ordering.</li>
 *   <li>"nvfp4-pack-quantized" ({@code nvfp4_quantized.py}): weight_packed uint8 [out, in / 2] (two E2M1 values per
 *       byte), weight_scale float8 [out, in / 16], weight_global_scale float32 [1].</li>
 * </ul>
 * Its unpacked forms ("float-quantized" FP8, "int-quantized" INT8) are {@link ScaledWeightLayout}.
 */
record CompressedTensorsLayout() implements PackedLayout {
    private static final List<String> OVERHEAD = List.of(
            ".weight_scale",
            ".weight_zero_point",
            ".weight_g_idx",
            ".weight_shape",
            ".weight_global_scale",
            ".input_global_scale",
            ".input_scale");

    @Override
    public List<String> anchorSuffixes() {
        return List.of(".weight_packed");
    }

    @Override
    public Optional<Match> match(Tensor packed, LayoutContext ctx) {
        String m = PackedLayout.module(packed.name(), ".weight_packed");
        if (m == null) {
            return Optional.empty();
        }
        long[] p = packed.shape();
        if ((packed.dtype() != DType.I32 && packed.dtype() != DType.U8) || p.length != 2) {
            throw new CorruptModelException(
                    packed.file(),
                    packed.name(),
                    "weight_packed must be I32 or U8 [out, packed" + " in], found " + packed.dtype() + " "
                            + Shapes.format(p));
        }
        Optional<long[]> stored =
                ctx.get(m + ".weight_shape").flatMap(s -> ctx.small().readDims(s, "weight_shape"));
        QuantizationConfig cfg = ctx.config();
        long[] logical;
        int bits;
        String note = "";
        if (packed.dtype() == DType.U8) {
            bits = 4;
            logical = stored.orElse(new long[] {p[0], Math.multiplyExact(p[1], 2L)});
            checkFits(packed, stored, logical, 2);
        } else if (stored.isPresent()) {
            long[] shape = stored.get();
            if (shape.length != 2) {
                throw corrupt(packed, ctx, "weight_shape " + Shapes.format(shape) + " is not [out, in]");
            }
            IntStream candidates =
                    cfg.bits().isPresent() ? IntStream.of(cfg.bits().getAsInt(), 4, 8, 2, 3) : IntStream.of(4, 8, 2, 3);
            bits = candidates
                    .filter(b -> 32 % b == 0 || b == 3)
                    .filter(b -> shape[0] == p[0] && (shape[1] + 32 / b - 1) / (32 / b) == p[1])
                    .findFirst()
                    .orElseThrow(() -> corrupt(
                            packed,
                            ctx,
                            "weight_shape " + Shapes.format(shape) + " does not fit weight_packed " + Shapes.format(p)
                                    + " at 2, 3, 4 or 8 bits"));
            logical = shape;
        } else {
            bits = cfg.bits()
                    .orElseThrow(
                            () -> new UnsupportedModelException(
                                    packed.file(),
                                    packed.name(),
                                    "cannot tell the packed bit width: weight_shape unreadable and no quantization_config bits"));
            if (bits <= 0 || bits > 8) {
                throw new UnsupportedModelException(
                        packed.file(),
                        packed.name(),
                        bits + "-bit values do not pack" + " into int32 words as compressed-tensors packs them");
            }
            logical = new long[] {p[0], Math.multiplyExact(p[1], 32L / bits)};
            note = "compressed-tensors weight_shape not read: input width taken as packed words x " + (32 / bits)
                    + " (an upper bound when the last word is padded)";
        }
        List<Tensor> overhead = new ArrayList<>();
        for (String suffix : OVERHEAD) {
            ctx.get(m + suffix).ifPresent(overhead::add);
        }
        String format = packed.dtype() == DType.U8 ? "nvfp4-pack-quantized" : "pack-quantized " + bits + "-bit";
        String group =
                cfg.groupSize().isPresent() ? ", group " + cfg.groupSize().getAsInt() : "";
        return Optional.of(new Match(
                packed,
                new Packing(
                        "compressed-tensors",
                        "compressed-tensors " + format + group,
                        bits,
                        logical,
                        PackedLayout.bytesOf(overhead)),
                overhead,
                note));
    }

    private static void checkFits(Tensor packed, Optional<long[]> stored, long[] logical, int perByte) {
        if (stored.isPresent()
                && (logical.length != 2
                        || logical[0] != packed.shape()[0]
                        || (logical[1] + perByte - 1) / perByte != packed.shape()[1])) {
            throw new CorruptModelException(
                    packed.file(),
                    packed.name(),
                    "weight_shape " + Shapes.format(logical)
                            + " does not fit weight_packed " + Shapes.format(packed.shape()) + " at " + perByte
                            + " values per byte");
        }
    }

    private static CorruptModelException corrupt(Tensor packed, LayoutContext ctx, String problem) {
        Tensor shape = ctx.byName().get(packed.name().replace(".weight_packed", ".weight_shape"));
        return new CorruptModelException(shape.file(), shape.offset(), shape.name(), problem);
    }
}
