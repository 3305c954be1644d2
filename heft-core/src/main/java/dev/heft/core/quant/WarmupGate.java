package dev.heft.core.quant;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets one worker thread run the Q8_0/Q4_0 vector kernel alone until the JIT has compiled it, then opens for the
 * rest. Until C2's code is installed, every Vector API operation runs as interpreted Java that allocates (hundreds of
 * ns per element, against under one when compiled); with every worker interpreting, a 2-core machine spent about as
 * much CPU in that phase as in the rest of a 1.3 GB scan, and the compiler thread competed with them for the cores
 * (bench/RESULTS-quant.md). One thread's slices are enough to trigger the compile.
 *
 * <p>The gate opens when the first thread's kernel call runs below {@link #COMPILED_NS_PER_ELEMENT} (compiled code),
 * or after {@link #MAX_WAIT_MS} whatever happens (a JVM that never compiles it, a machine too loaded to tell), so it
 * can delay a scan, never stall it. Results do not depend on it: each chunk's sums are its own, whichever thread
 * computes them.
 */
final class WarmupGate {
    /** Per-element time of a kernel call below which the code is taken to be compiled (C2: ~0.3-1 ns). */
    static final double COMPILED_NS_PER_ELEMENT = 20;

    /** Longest a thread waits for the first one's kernel to be compiled. */
    static final long MAX_WAIT_MS = 1500;

    private final CountDownLatch open;
    private final AtomicReference<Thread> leader = new AtomicReference<>();

    private WarmupGate(boolean closed) {
        this.open = new CountDownLatch(closed ? 1 : 0);
    }

    /** A gate for {@code threads} workers running the vector kernel; already open for one thread or a scalar kernel. */
    static WarmupGate forScan(int threads, ErrorKernel kernel) {
        return new WarmupGate(threads > 1 && kernel instanceof VectorErrorKernel);
    }

    /** Returns at once for the first thread to arrive and once the gate is open; other threads wait for it. */
    void await() {
        if (open.getCount() == 0
                || leader.compareAndSet(null, Thread.currentThread())
                || leader.get() == Thread.currentThread()) {
            return;
        }
        try {
            if (!open.await(MAX_WAIT_MS, TimeUnit.MILLISECONDS)) {
                open.countDown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the scan's own wait sees it and stops
        }
    }

    /** Whether the calling thread's kernel timings still matter (the gate is closed and it is the one running). */
    boolean measuring() {
        return open.getCount() != 0 && leader.get() == Thread.currentThread();
    }

    /** The first thread's kernel call over {@code elements} took {@code nanos}: opens the gate if that was compiled code. */
    void kernelCall(int elements, long nanos) {
        if (elements > 0 && nanos < COMPILED_NS_PER_ELEMENT * elements) {
            open.countDown();
        }
    }

    boolean isOpen() {
        return open.getCount() == 0;
    }
}
