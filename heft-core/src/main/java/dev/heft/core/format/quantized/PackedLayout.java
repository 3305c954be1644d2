package dev.heft.core.format.quantized;

import dev.heft.core.tensor.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * One quantizer's on-disk layout. Each is asked about every tensor; it answers for the one tensor that anchors its
 * layout (GPTQ's {@code qweight}, bitsandbytes' {@code quant_state}, MLX's {@code scales}, ...) and looks up the
 * rest by name. A layout that recognises its anchor but finds the siblings inconsistent throws a typed error naming
 * the tensor; one that does not recognise the anchor answers empty.
 */
sealed interface PackedLayout
        permits GroupQuantLayout,
                BitsandbytesLayout,
                CompressedTensorsLayout,
                ScaledWeightLayout,
                MlxLayout,
                HqqLayout,
                Exl2Layout,
                Mxfp4Layout {

    Optional<Match> match(Tensor anchor, LayoutContext ctx);

    /**
     * How the names of this layout's anchors end: {@link #match} answers empty for every tensor whose name ends with
     * none of them, so a checkpoint where no name does (every unquantized one) is not looked at further.
     */
    List<String> anchorSuffixes();

    /** The module prefix of {@code name} when it ends with {@code suffix}, else null. */
    static String module(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
    }

    static long bytesOf(Iterable<Tensor> tensors) {
        long n = 0;
        for (Tensor t : tensors) {
            n = Math.addExact(n, t.bytes());
        }
        return n;
    }
}
