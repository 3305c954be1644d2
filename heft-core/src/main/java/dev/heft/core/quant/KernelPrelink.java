package dev.heft.core.quant;

import java.util.concurrent.atomic.AtomicBoolean;

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
 * (bench/RESULTS-quant.md, session 6). Calling the kernel more times does not pay: the cache holds no method
 * profiles either (its dump log counts 0 MethodTrainingData, beside 0 AOT-linked classes and "archivedBootLayer not
 * available, disabling full module graph"), so C2 compiles the kernel only after ~30 interpreted calls of the
 * 256-element stretch, and a thread making those calls during start-up competed with the main thread and the compiler
 * for the two cores (session 7: 0.1-0.3 s more CPU under load, no gain in wall time). This is only the one-time
 * linking.
 *
 * <p>Results never depend on it: the thread works on its own arrays and sums. Without the Vector API the preferred
 * kernel is the scalar one and the thread has nearly nothing to do.
 */
public final class KernelPrelink {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private KernelPrelink() {}

    /**
     * Starts the linking thread (a daemon: the JVM does not wait for it) and returns it at once; null when one was
     * started before in this JVM (the launcher's entry for quant-error starts it, then {@code HeftCli.main} asks again,
     * and a second thread would only link what the first one does).
     */
    public static Thread startInBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return null;
        }
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
