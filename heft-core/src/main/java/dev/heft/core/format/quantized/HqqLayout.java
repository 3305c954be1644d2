package dev.heft.core.format.quantized;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HQQ (mobiusml/hqq {@code hqq/core/quantize.py} HQQLinear.state_dict, as transformers' HQQ integration saves it with
 * {@code encoded_state_dict}): the packed {@code W_q} (uint8 for 8/4/2/1-bit packings, int32 for "3bit_32") beside
 * its meta, each a tensor through {@code utils.encode_safetensor_type}: {@code scale}, {@code zero}, {@code shape}
 * (torch.tensor(W.shape), int64, read with a bounded read for the logical shape), {@code nbits}, {@code group_size},
 * {@code axis}, {@code packing} and flags. Without a readable shape, the config's nbits gives the count from W_q's
 * bytes.
 */
record HqqLayout() implements PackedLayout {
    static final List<String> META = List.of(
            "scale",
            "zero",
            "shape",
            "nbits",
            "group_size",
            "axis",
            "packing",
            "channel_wise",
            "optimize",
            "round_zero",
            "view_as_float",
            "unpack_view_dtype",
            "compute_dtype",
            "quant_scale",
            "quant_zero",
            "encoded_state_dict",
            "stores_quant_config",
            "offload_meta",
            "zero_scale");

    @Override
    public List<String> anchorSuffixes() {
        return List.of(".W_q");
    }

    @Override
    public Optional<Match> match(Tensor wq, LayoutContext ctx) {
        String m = PackedLayout.module(wq.name(), ".W_q");
        if (m == null || !ctx.byName().containsKey(m + ".scale")) {
            return Optional.empty();
        }
        Optional<long[]> shape = ctx.get(m + ".shape").flatMap(s -> ctx.small().readDims(s, "HQQ shape"));
        long[] logical;
        int bits = ctx.config().bits().orElse(0);
        String note = "";
        if (shape.isPresent()) {
            logical = shape.get();
            long params = Shapes.elements(logical);
            if (params == 0 || Math.multiplyExact(wq.bytes(), 8L) / params > 8) {
                throw new CorruptModelException(
                        wq.file(),
                        wq.name(),
                        "HQQ shape " + Shapes.format(logical) + " does not fit W_q's " + wq.bytes()
                                + " bytes at 1 to 8 bits");
            }
            if (bits == 0) {
                bits = (int) Math.max(1, Math.multiplyExact(wq.bytes(), 8L) / params);
            }
        } else {
            if (bits <= 0 || bits > 8) {
                throw new UnsupportedModelException(
                        wq.file(),
                        wq.name(),
                        "cannot tell HQQ's logical shape: no " + "readable " + m
                                + ".shape and no quantization_config nbits");
            }
            long values =
                    bits == 3 ? Math.multiplyExact(wq.bytes() / 4, 10L) : Math.multiplyExact(wq.bytes(), 8L) / bits;
            logical = new long[] {values};
            note = "HQQ shape not read: values counted from W_q's bytes at " + bits + " bits";
        }
        List<Tensor> overhead = new ArrayList<>();
        for (String k : META) {
            ctx.get(m + "." + k).ifPresent(overhead::add);
        }
        String group = ctx.config().groupSize().isPresent()
                ? ", group " + ctx.config().groupSize().getAsInt()
                : "";
        return Optional.of(new Match(
                wq,
                new Packing("HQQ", "HQQ " + bits + "-bit" + group, bits, logical, PackedLayout.bytesOf(overhead)),
                overhead,
                note));
    }
}
