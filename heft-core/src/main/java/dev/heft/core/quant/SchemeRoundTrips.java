package dev.heft.core.quant;

/**
 * Quantize -> dequantize of one chunk (whole rows) for every scheme except pruning, which needs no reconstruction.
 * Chunks start at a row boundary and at a multiple of the scheme's flat granule.
 */
final class SchemeRoundTrips {
    /** Per-thread scratch: ggml blocks and the k-quant work arrays. */
    static final class Work {
        byte[] blocks = new byte[64 * 1024];
        float[] absmax = new float[0];
        final KQuants.Scratch kscratch = KQuants.Scratch.preferred();
    }

    private SchemeRoundTrips() {}

    /**
     * @param amax      the tensor's max |x| (FP8's one scale per tensor)
     * @param nf4Offset the tensor's mean NF4 block absmax (NF4 double quantization)
     */
    static void roundTrip(
            QuantScheme scheme,
            float[] x,
            int n,
            int rowLength,
            float[] y,
            float amax,
            float nf4Offset,
            Work w,
            ErrorKernel kernel) {
        switch (scheme) {
            case QuantScheme.Ggml g -> ggml(g.type(), x, n, y, w, kernel);
            case QuantScheme.Int8PerChannel i -> int8PerRow(x, n, rowLength, y);
            case QuantScheme.Int4Group g -> int4Groups(x, n, g.groupSize(), y);
            case QuantScheme.Nf4Blockwise b
            when b.doubleQuant() -> {
                int blocks = (n + b.blockSize() - 1) / b.blockSize();
                if (w.absmax.length < blocks) {
                    w.absmax = new float[blocks];
                }
                Nf4.roundTripDoubleQuant(x, n, y, b.blockSize(), nf4Offset, w.absmax);
            }
            case QuantScheme.Nf4Blockwise b -> Nf4.roundTrip(x, 0, n, y, b.blockSize());
            case QuantScheme.Fp8 f -> fp8(f.format(), x, n, amax, y);
            case QuantScheme.MagnitudePrune p -> throw new IllegalArgumentException("pruning has no round trip");
        }
    }

    static void ggml(GgmlQuantType t, float[] x, int n, float[] y, Work w, ErrorKernel kernel) {
        if (t == GgmlQuantType.Q8_0) {
            kernel.roundTripQ8_0(x, 0, n, y);
            return;
        }
        if (t == GgmlQuantType.Q4_0) {
            kernel.roundTripQ4_0(x, 0, n, y);
            return;
        }
        int blocks = n / t.blockElements();
        int perPass = w.blocks.length / t.blockBytes();
        for (int b = 0; b < blocks; b += perPass) {
            int nb = Math.min(perPass, blocks - b);
            int o = b * t.blockElements();
            t.quantize(x, o, w.blocks, 0, nb, w.kscratch);
            t.dequantize(w.blocks, 0, y, o, nb);
        }
    }

    /** See {@link QuantScheme.Int8PerChannel}. */
    static void int8PerRow(float[] x, int n, int rowLength, float[] y) {
        for (int r = 0; r < n; r += rowLength) {
            float absmax = 0f;
            for (int i = r; i < r + rowLength; i++) {
                absmax = Math.max(absmax, Math.abs(x[i]));
            }
            float s = absmax / 127f;
            for (int i = r; i < r + rowLength; i++) {
                if (s == 0f) {
                    y[i] = 0f * x[i]; // keeps NaN a NaN, zeros zero
                    continue;
                }
                float q = Math.max(-127f, Math.min(127f, (float) Math.rint(x[i] / s)));
                y[i] = q * s;
            }
        }
    }

    /** See {@link QuantScheme.Int4Group}. */
    static void int4Groups(float[] x, int n, int group, float[] y) {
        for (int g = 0; g < n; g += group) {
            int end = Math.min(n, g + group);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = g; i < end; i++) {
                min = Math.min(min, x[i]);
                max = Math.max(max, x[i]);
            }
            float s = HalfFloats.roundToHalf(Math.max(max - min, 1e-5f) / 15f);
            float z = Math.max(0f, Math.min(15f, (float) -Math.rint(min / s)));
            for (int i = g; i < end; i++) {
                float q = Math.max(0f, Math.min(15f, (float) Math.rint(x[i] / s) + z));
                y[i] = (q - z) * s;
            }
        }
    }

    /** See {@link QuantScheme.Fp8}: x' = fp8(x / s) * s with s = amax / maxFinite. */
    static void fp8(Fp8Format f, float[] x, int n, float amax, float[] y) {
        float s = amax / f.maxFinite();
        for (int i = 0; i < n; i++) {
            y[i] = s == 0f ? 0f * x[i] : f.round(x[i] / s) * s;
        }
    }
}
