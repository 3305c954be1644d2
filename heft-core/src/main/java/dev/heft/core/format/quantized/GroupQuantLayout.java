package dev.heft.core.format.quantized;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * GPTQ and AWQ: a {@code qweight} int32 of packed integers with {@code scales}, {@code qzeros} and (GPTQ) {@code g_idx}
 * beside it. The three layouts differ in which dimension is packed:
 * <ul>
 *   <li>GPTQ (AutoGPTQ {@code auto_gptq/nn_modules/qlinear/qlinear_cuda_old.py} QuantLinear, and GPTQModel's
 *       {@code gptq_v2} checkpoint_format, same shapes): qweight [in * bits / 32, out], qzeros
 *       [ceil(in / group), out * bits / 32], scales [ceil(in / group), out], g_idx [in]; bits 2, 3, 4 or 8 (3-bit
 *       packs 32 values in 3 words).</li>
 *   <li>AWQ GEMM (AutoAWQ {@code awq/modules/linear/gemm.py} WQLinear_GEMM): qweight [in, out * bits / 32], qzeros
 *       [in / group, out * bits / 32], scales [in / group, out].</li>
 *   <li>AWQ GEMV ({@code awq/modules/linear/gemv.py} WQLinear_GEMV): qweight [out, in / 8], qzeros
 *       [out, calculate_zeros_width], scales [out, calculate_zeros_width * 8] (zero-padded).</li>
 * </ul>
 * GPTQ's bit width is read from qzeros' width (out * bits / 32 words), else g_idx's length, else the config; AWQ's from
 * the config (AutoAWQ writes 4-bit only).
 */
record GroupQuantLayout() implements PackedLayout {

    @Override
    public List<String> anchorSuffixes() {
        return List.of(".qweight");
    }

    @Override
    public Optional<Match> match(Tensor qweight, LayoutContext ctx) {
        String m = PackedLayout.module(qweight.name(), ".qweight");
        if (m == null) {
            return Optional.empty();
        }
        Tensor scales = ctx.byName().get(m + ".scales");
        Tensor qzeros = ctx.byName().get(m + ".qzeros");
        Tensor gIdx = ctx.byName().get(m + ".g_idx");
        long[] q = qweight.shape();
        if (qweight.dtype() != DType.I32 || q.length < 2 || scales == null || scales.rank() < 2) {
            throw new CorruptModelException(
                    qweight.file(),
                    qweight.name(),
                    "a packed qweight needs dtype I32, rank"
                            + " >= 2 and a " + m + ".scales tensor of rank >= 2 (GPTQ/AWQ layout); found "
                            + qweight.dtype() + " " + Shapes.format(q) + (scales == null ? " and no scales" : ""));
        }
        long qRows = q[q.length - 2];
        long qCols = q[q.length - 1];
        long[] s = scales.shape();
        long sRows = s[s.length - 2];
        long sCols = s[s.length - 1];
        long[] lead = Arrays.copyOf(q, q.length - 2);
        QuantizationConfig cfg = ctx.config();
        boolean awqConfig = cfg.is("awq");
        boolean gemvConfig = awqConfig && cfg.version().equalsIgnoreCase("gemv");
        long in;
        long out;
        String layout;
        int bits;
        if (!awqConfig && qCols == sCols) {
            bits = gptqBits(qweight, qzeros, gIdx, qCols, cfg);
            if (Math.multiplyExact(qRows, 32L) % bits != 0) {
                throw new CorruptModelException(
                        qweight.file(),
                        qweight.name(),
                        qRows + " packed rows do not hold a" + " whole number of " + bits + "-bit values (expected in*"
                                + bits + "/32 rows)");
            }
            in = qRows * 32 / bits;
            out = qCols;
            if (gIdx != null && in > 0 && gIdx.elements() % in != 0) {
                throw new CorruptModelException(
                        qweight.file(),
                        gIdx.name(),
                        "g_idx has " + gIdx.elements() + " entries but qweight packs " + in + " input features at "
                                + bits + " bits");
            }
            layout = "GPTQ " + bits + "-bit, " + group(in, sRows)
                    + (cfg.checkpointFormat().isEmpty() ? "" : ", checkpoint_format " + cfg.checkpointFormat())
                    + (cfg.descAct() ? ", act-order" : "");
        } else {
            bits = cfg.bits().orElse(4);
            if (32 % bits != 0) {
                throw new UnsupportedModelException(
                        qweight.file(), qweight.name(), "AWQ at " + bits + " bits does not pack into 32-bit words");
            }
            long perWord = 32L / bits;
            if (!gemvConfig && Math.multiplyExact(qCols, perWord) == sCols) {
                in = qRows;
                out = sCols;
                layout = "AWQ " + bits + "-bit GEMM, " + group(in, sRows);
            } else if (qRows == sRows && (awqConfig || qCols != sCols)) {
                out = qRows;
                in = Math.multiplyExact(qCols, perWord);
                layout = "AWQ " + bits + "-bit GEMV"
                        + cfg.groupSize().stream()
                                .mapToObj(g -> ", group " + g)
                                .findFirst()
                                .orElse("");
            } else {
                throw new UnsupportedModelException(
                        qweight.file(),
                        qweight.name(),
                        "qweight " + Shapes.format(q)
                                + " and scales " + Shapes.format(s)
                                + " match neither GPTQ (qweight width = scales width)"
                                + " nor AWQ (qweight width * 32/bits = scales width, or GEMV rows = scales rows) at "
                                + bits + " bits");
            }
        }
        long[] logical = Arrays.copyOf(lead, lead.length + 2);
        logical[lead.length] = out;
        logical[lead.length + 1] = in;
        List<Tensor> overhead = new ArrayList<>();
        overhead.add(scales);
        if (qzeros != null) {
            overhead.add(qzeros);
        }
        if (gIdx != null) {
            overhead.add(gIdx);
        }
        String method = layout.startsWith("GPTQ") ? "GPTQ" : "AWQ";
        return Optional.of(new Match(
                qweight, new Packing(method, layout, bits, logical, PackedLayout.bytesOf(overhead)), overhead));
    }

    private static String group(long in, long groups) {
        if (groups <= 1) {
            return "per-channel";
        }
        return in % groups == 0 ? "group " + in / groups : "group ~" + (in + groups - 1) / groups;
    }

    private static int gptqBits(Tensor qweight, Tensor qzeros, Tensor gIdx, long out, QuantizationConfig cfg) {
        if (qzeros != null && qzeros.rank() >= 2 && out % 32 == 0 && out > 0) {
            long zCols = qzeros.shape()[qzeros.rank() - 1];
            if (Math.multiplyExact(zCols, 32L) % out == 0) {
                long bits = zCols * 32 / out;
                if (bits == 2 || bits == 3 || bits == 4 || bits == 8) {
                    return (int) bits;
                }
            }
            throw new CorruptModelException(
                    qzeros.file(),
                    qzeros.name(),
                    "qzeros width " + zCols + " is not " + "out_features*bits/32 for out_features " + out
                            + " and bits 2, 3, 4 or 8");
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
        int bits = cfg.bits()
                .orElseThrow(() -> new UnsupportedModelException(
                        qweight.file(),
                        qweight.name(),
                        "cannot tell the GPTQ bit width: no qzeros or g_idx that fit and no quantization_config.bits"));
        if (bits != 2 && bits != 3 && bits != 4 && bits != 8) {
            throw new UnsupportedModelException(
                    qweight.file(), qweight.name(), "GPTQ at " + bits + " bits; GPTQ packs 2, 3, 4 or 8");
        }
        return bits;
    }
}
