package dev.heft.core.quant;

/**
 * The hot loops of the error scan: the Q8_0 and Q4_0 round trips (the schemes users scan first, and the ones whose
 * speed target is memory bandwidth) and the error accumulation every scheme shares. Two implementations: a scalar
 * reference and a jdk.incubator.vector one, chosen once at start-up ({@link #preferred()}); tests run both on the same
 * data and require identical round-trip floats. The Vector API stays behind this package-private interface.
 */
sealed interface ErrorKernel permits ScalarErrorKernel, VectorErrorKernel {

    /** Q8_0 quantize -> dequantize of {@code n} (a multiple of 32) values from {@code off}, into {@code y} at {@code off}. */
    void roundTripQ8_0(float[] x, int off, int n, float[] y);

    /** Q4_0 quantize -> dequantize, as {@link #roundTripQ8_0}. */
    void roundTripQ4_0(float[] x, int off, int n, float[] y);

    /**
     * Q8_0 (q8 true) or Q4_0 round trip and error accumulation in one pass (the scan's hot path); {@code y} is
     * scratch of at least {@code off + n} floats. Same sums as {@link #roundTripQ8_0} + {@link #accumulate}, up to
     * summation order.
     */
    default void roundTripError(boolean q8, float[] x, int off, int n, float[] y, ErrorSums s) {
        if (q8) {
            roundTripQ8_0(x, off, n, y);
        } else {
            roundTripQ4_0(x, off, n, y);
        }
        accumulate(x, y, off, n, s);
    }

    /** Adds the error of {@code y} against {@code x} over {@code [off, off + n)} to {@code s}. */
    void accumulate(float[] x, float[] y, int off, int n, ErrorSums s);

    String name();

    /**
     * The vector kernel when the Vector API module is present and the CPU has at least 256-bit float vectors, else
     * the scalar one; {@code -Dheft.quant.kernel=scalar} forces the scalar reference.
     */
    static ErrorKernel preferred() {
        return Holder.PREFERRED;
    }

    final class Holder {
        static final ErrorKernel PREFERRED = choose();

        private Holder() {}

        private static ErrorKernel choose() {
            if ("scalar".equals(System.getProperty("heft.quant.kernel"))) {
                return new ScalarErrorKernel();
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return new ScalarErrorKernel();
            }
            try {
                return VectorErrorKernel.createIfUseful()
                        .map(k -> (ErrorKernel) k)
                        .orElseGet(ScalarErrorKernel::new);
            } catch (LinkageError e) {
                return new ScalarErrorKernel();
            }
        }
    }
}
