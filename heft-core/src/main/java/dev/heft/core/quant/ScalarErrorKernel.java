package dev.heft.core.quant;

/** The reference twin: the ggml round trips through their byte blocks, and a plain double accumulation. */
final class ScalarErrorKernel implements ErrorKernel {
    private static final ThreadLocal<byte[]> BLOCKS = ThreadLocal.withInitial(() -> new byte[34 * 1024]);

    @Override
    public void roundTripQ8_0(float[] x, int off, int n, float[] y) {
        viaBlocks(GgmlQuantType.Q8_0, x, off, n, y);
    }

    @Override
    public void roundTripQ4_0(float[] x, int off, int n, float[] y) {
        viaBlocks(GgmlQuantType.Q4_0, x, off, n, y);
    }

    private static void viaBlocks(GgmlQuantType t, float[] x, int off, int n, float[] y) {
        byte[] buf = BLOCKS.get();
        int perPass = buf.length / t.blockBytes();
        int blocks = n / t.blockElements();
        for (int b = 0; b < blocks; b += perPass) {
            int nb = Math.min(perPass, blocks - b);
            int o = off + b * t.blockElements();
            t.quantize(x, o, buf, 0, nb, null);
            t.dequantize(buf, 0, y, o, nb);
        }
    }

    @Override
    public void accumulate(float[] x, float[] y, int off, int n, ErrorSums s) {
        double e2 = 0;
        double max = s.maxAbsErr;
        double x2 = 0;
        double y2 = 0;
        double xy = 0;
        for (int i = off; i < off + n; i++) {
            double a = x[i];
            double b = y[i];
            double d = b - a;
            e2 += d * d;
            double ad = Math.abs(d);
            if (ad > max || Double.isNaN(ad)) {
                max = ad;
            }
            x2 += a * a;
            y2 += b * b;
            xy += a * b;
        }
        s.n += n;
        s.sumErr2 += e2;
        s.maxAbsErr = max;
        s.sumX2 += x2;
        s.sumY2 += y2;
        s.sumXY += xy;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
