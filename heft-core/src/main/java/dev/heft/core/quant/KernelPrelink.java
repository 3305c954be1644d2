package dev.heft.core.quant;

/**
 * Runs the error kernel once, on a small made-up block, on a daemon thread started while {@code quant-error} is
 * still starting up (command line, model header), so that the scan's first worker finds the Vector API's call sites
 * already linked.
 *
 * <p>Why it pays: quant-error's JVM has {@code jdk.incubator.vector} on its module graph, and JDK 25 does not archive
 * the full module graph in an AOT cache made with {@code --add-modules} ({@code -Xlog:aot}: "full module graph
 * cannot be loaded: archive was created without full module graph"). Without it the cache holds no resolved lambdas
 * or method handles, so the first vector operations spin about 150 classes (the Vector API's lambdas and lambda
 * forms) through the class-file API, interpreted, before the first block is done: 0.1-0.2 s on the scan's critical
 * path, against a 2-core machine's second core that is mostly idle while the main thread starts up
 * (bench/RESULTS-quant.md, session 6). Calling the kernel a few times more does not get it compiled sooner; this is
 * only the one-time linking.
 *
 * <p>Results never depend on it: the thread works on its own arrays and sums. Without the Vector API the preferred
 * kernel is the scalar one and the thread has nearly nothing to do.
 */
public final class KernelPrelink {
    private KernelPrelink() {}

    /** Starts the linking thread (a daemon: the JVM does not wait for it) and returns it at once. */
    public static Thread startInBackground() {
        Thread t = new Thread(KernelPrelink::run, "heft-kernel-prelink");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The linking itself: the Q8_0 and Q4_0 round trips with their error sums, and the plain accumulation. */
    static void run() {
        ErrorKernel k = ErrorKernel.preferred();
        float[] x = new float[256]; // one stretch of the vector kernel
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7 - 3) * 0.01f;
        }
        float[] y = new float[x.length];
        k.roundTripError(true, x, 0, x.length, y, new ErrorSums());
        k.roundTripError(false, x, 0, x.length, y, new ErrorSums());
        k.accumulate(x, y, 0, x.length, new ErrorSums());
    }
}
