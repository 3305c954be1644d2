package dev.heft.core.compress;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises packed quantized weights in a stored inventory and says what they are: the tensor that holds the packed
 * values gets its logical parameter count ({@link Tensor#withParameters}), and scales, zero points, group indices and
 * code books become {@link TensorRole#QUANT_OVERHEAD}. Everything else is returned unchanged.
 *
 * <p>Recognised, by the tensors one module stores (layouts as documented on the format records):
 * <ul>
 *   <li>GPTQ ({@link GroupQuantFormat}): {@code qweight} I32 [in*bits/32, out], {@code qzeros}, {@code scales},
 *       {@code g_idx}; bits from qzeros' width (out*bits/32 words), else g_idx's length, else config.json's
 *       {@code quantization_config.bits}</li>
 *   <li>AWQ: {@code qweight} I32 [in, out*bits/32] whose width times 32/bits is scales' width</li>
 *   <li>bitsandbytes 4-bit ({@link Nf4Format}): {@code weight} U8 beside {@code weight.quant_state.bitsandbytes__nf4}
 *       (or {@code __fp4}); the logical shape is read from that small JSON tensor when the file can be read, else
 *       taken as two values per byte</li>
 *   <li>bitsandbytes LLM.int8 ({@link LlmInt8Format}): {@code weight} I8 with {@code SCB} and {@code weight_format}</li>
 *   <li>MXFP4 (gpt-oss, {@link Mxfp4Format}): {@code X_blocks} U8 [..., G, 16] with {@code X_scales} U8 [..., G]</li>
 *   <li>FP8 / int8 checkpoints: {@code weight_scale}, {@code weight_scale_inv}, {@code input_scale},
 *       {@code weight_zero_point} beside an 8-bit {@code weight}</li>
 * </ul>
 */
public final class PackedWeights {

    /** The quant_state JSON is a few hundred bytes; anything much larger is not one. */
    private static final long MAX_QUANT_STATE_BYTES = 1 << 20;

    private PackedWeights() {
    }

    public static TensorInventory reinterpret(TensorInventory inventory) {
        Map<String, Tensor> byName = new HashMap<>();
        for (Tensor t : inventory.tensors()) {
            byName.putIfAbsent(t.name(), t);
        }
        Map<String, Tensor> changed = new HashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Optional<Integer> configBits = configBits(inventory);
        for (Tensor t : inventory.tensors()) {
            String n = t.name();
            if (n.endsWith(".qweight")) {
                String m = n.substring(0, n.length() - ".qweight".length());
                String kind = groupQuant(t, m, byName, configBits, changed);
                counts.merge(kind, 1, Integer::sum);
            } else if (n.endsWith(".weight_packed")) {
                String m = n.substring(0, n.length() - ".weight_packed".length());
                counts.merge(packQuantized(t, m, byName, configBits, changed), 1, Integer::sum);
            } else if (n.endsWith(".weight.quant_state.bitsandbytes__nf4")
                    || n.endsWith(".weight.quant_state.bitsandbytes__fp4")) {
                String w = n.substring(0, n.indexOf(".quant_state.bitsandbytes__"));
                String kind = bnb4bit(t, w, byName, changed);
                counts.merge(kind, 1, Integer::sum);
            } else if (n.endsWith(".SCB")) {
                String m = n.substring(0, n.length() - ".SCB".length());
                Tensor w = byName.get(m + ".weight");
                if (w != null && w.dtype() == DType.I8) {
                    overhead(changed, t);
                    Tensor format = byName.get(m + ".weight_format");
                    if (format != null) {
                        overhead(changed, format);
                    }
                    counts.merge("bitsandbytes LLM.int8", 1, Integer::sum);
                }
            } else if (n.endsWith("_blocks") && t.dtype() == DType.U8) {
                String x = n.substring(0, n.length() - "_blocks".length());
                Tensor scales = byName.get(x + "_scales");
                if (scales != null && mxfp4Matches(t, scales)) {
                    changed.put(n, t.withParameters(Math.multiplyExact(t.elements(), 2L)));
                    overhead(changed, scales);
                    counts.merge("MXFP4", 1, Integer::sum);
                }
            } else if (n.endsWith(".weight_scale") || n.endsWith(".weight_scale_inv") || n.endsWith(".input_scale")
                    || n.endsWith(".weight_zero_point")) {
                String m = n.substring(0, n.lastIndexOf('.'));
                Tensor w = byName.get(m + ".weight");
                if (w != null && (w.dtype().blockBytes() == 1 && w.dtype().blockElements() == 1)) {
                    overhead(changed, t);
                    if (n.endsWith(".weight_scale") || n.endsWith(".weight_scale_inv")) {
                        counts.merge(w.dtype().isFloat() ? "FP8 with scales" : "int8 with scales", 1, Integer::sum);
                    }
                }
            }
        }
        if (changed.isEmpty()) {
            return inventory;
        }
        List<Tensor> out = new ArrayList<>(inventory.tensors().size());
        for (Tensor t : inventory.tensors()) {
            out.add(changed.getOrDefault(t.name(), t));
        }
        List<String> notes = new ArrayList<>();
        counts.forEach((kind, c) -> notes.add(c + " packed weight(s): " + kind
                + "; their scales, zero points and indices are quantization overhead, not parameters"));
        return inventory.withTensors(out).withNotes(notes);
    }

    private static void overhead(Map<String, Tensor> changed, Tensor t) {
        changed.put(t.name(), t.withRole(TensorRole.QUANT_OVERHEAD));
    }

    /** GPTQ or AWQ: sets qweight's parameters, marks the rest; returns what was recognised. */
    private static String groupQuant(Tensor qweight, String m, Map<String, Tensor> byName,
                                     Optional<Integer> configBits, Map<String, Tensor> changed) {
        Tensor scales = byName.get(m + ".scales");
        Tensor qzeros = byName.get(m + ".qzeros");
        Tensor gIdx = byName.get(m + ".g_idx");
        long[] q = qweight.shape();
        if (qweight.dtype() != DType.I32 || q.length < 2 || scales == null || scales.rank() < 2) {
            throw new CorruptModelException(qweight.file(), qweight.name(), "a packed qweight needs dtype I32, rank"
                    + " >= 2 and a " + m + ".scales tensor of rank >= 2 (GPTQ/AWQ layout); found "
                    + qweight.dtype() + " " + Shapes.format(q) + (scales == null ? " and no scales" : ""));
        }
        long qRows = q[q.length - 2];
        long qCols = q[q.length - 1];
        long[] s = scales.shape();
        long out = s[s.length - 1];
        long lead = Shapes.elements(qweight.shape()) / Math.max(1, Math.multiplyExact(qRows, qCols));
        long params;
        String kind;
        if (qCols == out) {
            // GPTQ: qweight [in*bits/32, out]; qzeros [groups, out*bits/32].
            int bits = gptqBits(qweight, qzeros, gIdx, out, configBits);
            if (Math.multiplyExact(qRows, 32L) % bits != 0) {
                throw new CorruptModelException(qweight.file(), qweight.name(), qRows + " packed rows do not hold a"
                        + " whole number of " + bits + "-bit values (expected in*" + bits + "/32 rows)");
            }
            long in = qRows * 32 / bits;
            if (gIdx != null && in > 0 && gIdx.elements() % in != 0) {
                throw new CorruptModelException(qweight.file(), gIdx.name(), "g_idx has " + gIdx.elements()
                        + " entries but qweight packs " + in + " input features at " + bits + " bits");
            }
            params = Math.multiplyExact(Math.multiplyExact(in, out), lead);
            kind = "GPTQ " + bits + "-bit";
        } else {
            // AWQ: qweight [in, out*bits/32].
            int bits = configBits.orElse(4);
            if (32 % bits != 0 || Math.multiplyExact(qCols, 32L / bits) != out) {
                throw new UnsupportedModelException(qweight.file(), qweight.name(), "qweight " + Shapes.format(q)
                        + " and scales " + Shapes.format(s) + " match neither GPTQ (qweight width = scales width)"
                        + " nor AWQ (qweight width * 32/bits = scales width) at " + bits + " bits");
            }
            params = Math.multiplyExact(Math.multiplyExact(qRows, out), lead);
            kind = "AWQ " + bits + "-bit";
        }
        changed.put(qweight.name(), qweight.withParameters(params));
        overhead(changed, scales);
        if (qzeros != null) {
            overhead(changed, qzeros);
        }
        if (gIdx != null) {
            overhead(changed, gIdx);
        }
        return kind;
    }

    private static int gptqBits(Tensor qweight, Tensor qzeros, Tensor gIdx, long out, Optional<Integer> configBits) {
        if (qzeros != null && qzeros.rank() >= 2 && out % 32 == 0 && out > 0) {
            long zCols = qzeros.shape()[qzeros.rank() - 1];
            if (Math.multiplyExact(zCols, 32L) % out == 0) {
                long bits = zCols * 32 / out;
                if (bits == 2 || bits == 3 || bits == 4 || bits == 8) {
                    return (int) bits;
                }
            }
            throw new CorruptModelException(qzeros.file(), qzeros.name(), "qzeros width " + zCols + " is not "
                    + "out_features*bits/32 for out_features " + out + " and bits 2, 3, 4 or 8");
        }
        long[] q = qweight.shape();
        if (gIdx != null && gIdx.rank() >= 1) {
            long in = gIdx.shape()[gIdx.rank() - 1];
            long rows = q[q.length - 2];
            if (in > 0 && Math.multiplyExact(rows, 32L) % in == 0) {
                long bits = rows * 32 / in;
                if (bits == 2 || bits == 3 || bits == 4 || bits == 8) {
                    return (int) bits;
                }
            }
        }
        return configBits.orElseThrow(() -> new UnsupportedModelException(qweight.file(), qweight.name(),
                "cannot tell the GPTQ bit width: no qzeros or g_idx that fit and no quantization_config.bits"));
    }

    private static Optional<Integer> configBits(TensorInventory inventory) {
        if (inventory.config().isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<JsonObject> qc = inventory.config().get().getObject("quantization_config");
            if (qc.isPresent() && qc.get().has("bits")) {
                long b = qc.get().getLong("bits", 0);
                if (b == 2 || b == 3 || b == 4 || b == 8) {
                    return Optional.of((int) b);
                }
            }
            // compressed-tensors: quantization_config.config_groups.<group>.weights.num_bits
            Optional<JsonObject> groups = qc.isPresent() ? qc.get().getObject("config_groups") : Optional.empty();
            if (groups.isPresent()) {
                for (JsonValue g : groups.get().members().values()) {
                    if (g instanceof JsonObject go && go.getObject("weights").isPresent()) {
                        long b = go.getObject("weights").get().getLong("num_bits", 0);
                        if (b == 2 || b == 3 || b == 4 || b == 8) {
                            return Optional.of((int) b);
                        }
                    }
                }
            }
        } catch (HeftException e) {
            return Optional.empty(); // a malformed config is reported by whoever reads config.json, not here
        }
        return Optional.empty();
    }

    private static String bnb4bit(Tensor quantState, String weightName, Map<String, Tensor> byName,
                                  Map<String, Tensor> changed) {
        Tensor w = byName.get(weightName);
        if (w == null || w.dtype() != DType.U8) {
            throw new CorruptModelException(quantState.file(), quantState.name(), "bitsandbytes quant_state without"
                    + " a packed U8 " + weightName + " beside it");
        }
        String type = quantState.name().endsWith("nf4") ? "NF4" : "FP4";
        Optional<Long> logical = quantStateShape(quantState);
        long params = logical.orElse(Math.multiplyExact(w.elements(), 2L));
        if (params > Math.multiplyExact(w.elements(), 2L) || params < Math.multiplyExact(w.elements(), 2L) - 1) {
            throw new CorruptModelException(quantState.file(), quantState.name(), "quant_state shape holds " + params
                    + " values but " + weightName + " packs " + Math.multiplyExact(w.elements(), 2L) + " (2 per byte)");
        }
        changed.put(weightName, w.withParameters(params));
        overhead(changed, quantState);
        for (String suffix : List.of(".absmax", ".quant_map", ".nested_absmax", ".nested_quant_map")) {
            Tensor t = byName.get(weightName + suffix);
            if (t != null) {
                overhead(changed, t);
            }
        }
        boolean nested = byName.containsKey(weightName + ".nested_absmax");
        return "bitsandbytes " + type + (nested ? " (double quantization)" : "")
                + (logical.isEmpty() ? ", shape not read (2 values per byte assumed)" : "");
    }

    /**
     * The "shape" member of the quant_state JSON (bitsandbytes {@code pack_dict_to_tensor}: the JSON text as U8), read
     * from the file when the tensor has a location there.
     */
    private static Optional<Long> quantStateShape(Tensor qs) {
        Path file = qs.file();
        if (file == null || qs.offset() < 0 || qs.dtype() != DType.U8) {
            return Optional.empty();
        }
        byte[] text = readSmall(qs, "quant_state");
        if (text == null) {
            return Optional.empty(); // unreadable file: the caller falls back to two values per byte
        }
        JsonValue v;
        try {
            v = Json.parse(text);
        } catch (HeftException e) {
            throw new CorruptModelException(file, qs.offset(), qs.name(), "quant_state is not valid JSON: "
                    + e.getMessage());
        }
        if (!(v instanceof JsonObject o) || !(o.members().get("shape") instanceof JsonValue.JsonArray dims)) {
            throw new CorruptModelException(file, qs.offset(), qs.name(), "quant_state JSON has no \"shape\" array");
        }
        long n = 1;
        for (JsonValue d : dims.elements()) {
            if (!(d instanceof JsonValue.JsonNumber num) || !num.isIntegral() || num.value().signum() < 0) {
                throw new CorruptModelException(file, qs.offset(), qs.name(), "quant_state shape entries must be"
                        + " non-negative integers, found " + d);
            }
            try {
                n = Math.multiplyExact(n, num.longValueExact("shape"));
            } catch (ArithmeticException | HeftException e) {
                throw new CorruptModelException(file, qs.offset(), qs.name(), "quant_state shape overflows 64 bits");
            }
        }
        return Optional.of(n);
    }

    /**
     * The bytes of a small metadata tensor (bnb quant_state JSON, compressed-tensors weight_shape), read from its file
     * with the length capped and checked against the file size before anything is allocated; null when the file
     * cannot be opened.
     */
    private static byte[] readSmall(Tensor t, String what) {
        Path file = t.file();
        if (t.bytes() > MAX_QUANT_STATE_BYTES) {
            throw new CorruptModelException(file, t.offset(), t.name(), what + " of " + t.bytes()
                    + " bytes; expected at most " + MAX_QUANT_STATE_BYTES);
        }
        byte[] data = new byte[(int) t.bytes()];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (t.offset() > ch.size() - data.length) {
                throw new CorruptModelException(file, t.offset(), t.name(), what + " runs past the end of the"
                        + " file (" + ch.size() + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.wrap(data);
            long pos = t.offset();
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) {
                    throw new CorruptModelException(file, pos, t.name(), "file ended inside " + what);
                }
                pos += r;
            }
        } catch (IOException e) {
            return null;
        }
        return data;
    }

    /**
     * compressed-tensors "pack-quantized" (llm-compressor's GPTQ/AWQ output, {@code quantization_config.format =
     * "pack-quantized"}): {@code weight_packed} I32 [out, ceil(in / (32 / bits))], {@code weight_scale} [out, groups],
     * optional {@code weight_zero_point} (packed along out) and {@code weight_g_idx} [in], and {@code weight_shape}
     * I64 [2] holding [out, in]. The logical shape is read from weight_shape when the file can be read; otherwise
     * from the packed width and quantization_config bits.
     */
    private static String packQuantized(Tensor packed, String m, Map<String, Tensor> byName,
                                        Optional<Integer> configBits, Map<String, Tensor> changed) {
        long[] p = packed.shape();
        if (packed.dtype() != DType.I32 || p.length != 2) {
            throw new CorruptModelException(packed.file(), packed.name(), "weight_packed must be I32 [out, words],"
                    + " found " + packed.dtype() + " " + Shapes.format(p));
        }
        Tensor shapeT = byName.get(m + ".weight_shape");
        long out = -1;
        long in = -1;
        if (shapeT != null && shapeT.file() != null && shapeT.offset() >= 0 && shapeT.elements() == 2
                && (shapeT.dtype() == DType.I64 || shapeT.dtype() == DType.I32)) {
            byte[] raw = readSmall(shapeT, "weight_shape");
            if (raw != null) {
                ByteBuffer b = ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                out = shapeT.dtype() == DType.I64 ? b.getLong() : b.getInt();
                in = shapeT.dtype() == DType.I64 ? b.getLong() : b.getInt();
                if (out < 0 || in < 0) {
                    throw new CorruptModelException(shapeT.file(), shapeT.offset(), shapeT.name(),
                            "weight_shape [" + out + ", " + in + "] has a negative dimension");
                }
            }
        }
        int bits;
        if (out >= 0) {
            bits = -1;
            for (int candidate : new int[] {8, 4, 3, 2}) {
                long perWord = 32 / candidate;
                if (out == p[0] && in > 0 && (in + perWord - 1) / perWord == p[1]) {
                    bits = candidate;
                    break;
                }
            }
            if (bits < 0) {
                throw new CorruptModelException(shapeT.file(), shapeT.offset(), shapeT.name(), "weight_shape ["
                        + out + ", " + in + "] does not fit weight_packed " + Shapes.format(p)
                        + " at 2, 3, 4 or 8 bits");
            }
        } else {
            bits = configBits.orElseThrow(() -> new UnsupportedModelException(packed.file(), packed.name(),
                    "cannot tell the packed bit width: weight_shape unreadable and no quantization_config bits"));
            out = p[0];
            in = Math.multiplyExact(p[1], 32L / bits); // upper bound when the last word is padded
        }
        changed.put(packed.name(), packed.withParameters(Math.multiplyExact(out, in)));
        for (String suffix : List.of(".weight_scale", ".weight_zero_point", ".weight_g_idx", ".weight_shape")) {
            Tensor t = byName.get(m + suffix);
            if (t != null) {
                overhead(changed, t);
            }
        }
        return "compressed-tensors pack-quantized " + bits + "-bit";
    }

    private static boolean mxfp4Matches(Tensor blocks, Tensor scales) {
        long[] b = blocks.shape();
        long[] s = scales.shape();
        if (scales.dtype() != DType.U8 || b.length != s.length + 1 || b[b.length - 1] != 16) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (b[i] != s[i]) {
                return false;
            }
        }
        return true;
    }
}
