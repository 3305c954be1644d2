package dev.heft.core.format.quantized;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * MXFP4 as gpt-oss ships it (transformers {@code integrations/mxfp4.py}): {@code X_blocks} uint8 [..., G, 16] (32 E2M1
 * values per block, two per byte) with {@code X_scales} uint8 [..., G] (E8M0 exponents); the weight is [..., G * 32].
 */
record Mxfp4Layout() implements PackedLayout {

    @Override
    public List<String> anchorSuffixes() {
        return List.of("_blocks");
    }

    @Override
    public Optional<Match> match(Tensor blocks, LayoutContext ctx) {
        String x = PackedLayout.module(blocks.name(), "_blocks");
        if (x == null || blocks.dtype() != DType.U8) {
            return Optional.empty();
        }
        Tensor scales = ctx.byName().get(x + "_scales");
        if (scales == null || scales.dtype() != DType.U8) {
            return Optional.empty();
        }
        long[] b = blocks.shape();
        long[] s = scales.shape();
        if (s.length == 0
                || b.length != s.length + 1
                || b[b.length - 1] != 16
                || !Arrays.equals(s, Arrays.copyOf(b, s.length))) {
            return Optional.empty();
        }
        long[] logical = Arrays.copyOf(s, s.length);
        logical[s.length - 1] = Math.multiplyExact(s[s.length - 1], 32L);
        return Optional.of(new Match(
                blocks,
                new Packing("MXFP4", "MXFP4 (E2M1, E8M0 scale per 32)", 4, logical, scales.bytes()),
                List.of(scales)));
    }
}
