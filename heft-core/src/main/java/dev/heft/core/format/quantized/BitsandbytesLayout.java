package dev.heft.core.format.quantized;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.HeftException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * bitsandbytes, as transformers saves it:
 * <ul>
 *   <li>4-bit (NF4/FP4): {@code Linear4bit._save_to_state_dict} writes the packed {@code weight} (two values per byte
 *       of its quant_storage dtype, uint8 [(n + 1) / 2, 1] by default) and {@code QuantState.as_dict(packed=True)}
 *       beside it: {@code weight.absmax}, {@code weight.quant_map}, with double quantization
 *       {@code weight.nested_absmax} and {@code weight.nested_quant_map}, and
 *       {@code weight.quant_state.bitsandbytes__nf4} (or {@code __fp4}): {@code pack_dict_to_tensor}'s uint8 JSON
 *       of quant_type, blocksize, dtype, shape and the nested_* values (bitsandbytes/functional.py,
 *       bitsandbytes/utils.py). The logical shape is read from that JSON with a bounded read.</li>
 *   <li>LLM.int8: {@code Linear8bitLt._save_to_state_dict} (bitsandbytes/nn/modules.py) writes {@code weight} int8
 *       [out, in], {@code SCB} float32 [out] (row scales) and {@code weight_format} uint8.</li>
 * </ul>
 */
record BitsandbytesLayout() implements PackedLayout {
    private static final String QUANT_STATE = ".quant_state.bitsandbytes__";

    @Override
    public List<String> anchorSuffixes() {
        return List.of("__nf4", "__fp4", ".SCB");
    }

    @Override
    public Optional<Match> match(Tensor anchor, LayoutContext ctx) {
        String n = anchor.name();
        int at = n.indexOf(QUANT_STATE);
        if (at > 0 && (n.endsWith("__nf4") || n.endsWith("__fp4"))) {
            return Optional.of(fourBit(anchor, n.substring(0, at), ctx));
        }
        String m = PackedLayout.module(n, ".SCB");
        if (m != null) {
            Tensor w = ctx.byName().get(m + ".weight");
            if (w != null && w.dtype() == DType.I8) {
                List<Tensor> overhead = new ArrayList<>(List.of(anchor));
                ctx.get(m + ".weight_format").ifPresent(overhead::add);
                return Optional.of(new Match(
                        w,
                        new Packing(
                                "bitsandbytes",
                                "bitsandbytes LLM.int8 (row scales SCB)",
                                8,
                                w.shape(),
                                PackedLayout.bytesOf(overhead)),
                        overhead));
            }
        }
        return Optional.empty();
    }

    private static Match fourBit(Tensor quantState, String weightName, LayoutContext ctx) {
        Tensor w = ctx.byName().get(weightName);
        if (w == null || w.dtype().blockElements() != 1 || w.dtype().isQuantized()) {
            throw new CorruptModelException(
                    quantState.file(),
                    quantState.name(),
                    "bitsandbytes quant_state without" + " a packed " + weightName + " beside it");
        }
        String type = quantState.name().endsWith("nf4") ? "NF4" : "FP4";
        long capacity = Math.multiplyExact(w.bytes(), 2L); // two 4-bit values per byte of whatever quant_storage is
        Optional<JsonObject> state = quantStateJson(quantState, ctx.small());
        long[] logical;
        String note = "";
        if (state.isPresent()) {
            logical = shapeOf(state.get(), quantState);
            long params = dev.heft.core.tensor.Shapes.elements(logical);
            if (params > capacity || params < capacity - 1) {
                throw new CorruptModelException(
                        quantState.file(),
                        quantState.name(),
                        "quant_state shape holds " + params + " values but " + weightName + " packs " + capacity
                                + " (2 per byte)");
            }
        } else {
            logical = new long[] {capacity};
            note = "bitsandbytes quant_state not read (no file data): 2 values per byte assumed, shape unknown";
        }
        List<Tensor> overhead = new ArrayList<>();
        overhead.add(quantState);
        for (String suffix : List.of(".absmax", ".quant_map", ".nested_absmax", ".nested_quant_map")) {
            ctx.get(weightName + suffix).ifPresent(overhead::add);
        }
        boolean nested = ctx.byName().containsKey(weightName + ".nested_absmax");
        String block = state.map(s -> s.get("blocksize").orElse(null) instanceof JsonValue.JsonNumber b
                        ? ", blocksize " + b.value().toPlainString()
                        : "")
                .orElse("");
        String layout = "bitsandbytes " + type + block + (nested ? ", double quant" : "");
        return new Match(
                w, new Packing("bitsandbytes", layout, 4, logical, PackedLayout.bytesOf(overhead)), overhead, note);
    }

    private static Optional<JsonObject> quantStateJson(Tensor qs, SmallTensors small) {
        if (qs.dtype() != DType.U8) {
            return Optional.empty();
        }
        Optional<byte[]> text = small.read(qs, "quant_state");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        JsonValue v;
        try {
            v = Json.parse(text.get());
        } catch (HeftException e) {
            throw new CorruptModelException(
                    qs.file(), qs.offset(), qs.name(), "quant_state is not valid JSON: " + e.getMessage());
        }
        if (!(v instanceof JsonObject o)) {
            throw new CorruptModelException(qs.file(), qs.offset(), qs.name(), "quant_state JSON is not an object");
        }
        return Optional.of(o);
    }

    private static long[] shapeOf(JsonObject o, Tensor qs) {
        if (!(o.members().get("shape") instanceof JsonValue.JsonArray dims) || dims.size() > 8) {
            throw new CorruptModelException(
                    qs.file(),
                    qs.offset(),
                    qs.name(),
                    "quant_state JSON has no \"shape\"" + " array of at most 8 dimensions");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonValue d = dims.get(i);
            if (!(d instanceof JsonValue.JsonNumber num)
                    || !num.isIntegral()
                    || num.value().signum() < 0) {
                throw new CorruptModelException(
                        qs.file(),
                        qs.offset(),
                        qs.name(),
                        "quant_state shape entries must be" + " non-negative integers, found " + d);
            }
            try {
                shape[i] = num.longValueExact("shape");
            } catch (HeftException e) {
                throw new CorruptModelException(
                        qs.file(), qs.offset(), qs.name(), "quant_state shape overflows 64 bits");
            }
        }
        try {
            dev.heft.core.tensor.Shapes.elements(shape);
        } catch (ArithmeticException e) {
            throw new CorruptModelException(qs.file(), qs.offset(), qs.name(), "quant_state shape overflows 64 bits");
        }
        return shape;
    }
}
