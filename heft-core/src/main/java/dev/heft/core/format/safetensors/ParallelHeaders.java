package dev.heft.core.format.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads many shards' headers. Each read is a few small blocking file reads plus a small JSON parse. From the page cache
 * that is CPU work, and on a 2-core machine a thread pool only adds thread start-up and contention (about 65 ms of
 * CPU for 191 shards, bench/RESULTS.md); on a cold disk or a network file system the time is latency, and overlapping
 * the reads is what makes a 191-shard checkpoint cheap. So shards are read in order on the calling thread while they
 * come back fast, and the rest go to a pool as soon as reads turn out to wait on storage.
 *
 * <p>"Waiting on storage" is measured, not guessed from wall time: on a busy machine a page-cache read also takes
 * long in wall time, because the thread waits for a CPU, and the old wall-time trigger started 16 threads there
 * (about 0.4 s of extra CPU at load 17 on 2 cores, issue 12). Linux reports per thread the time it ran and the time it
 * waited runnable for a CPU ({@code /proc/thread-self/schedstat}); wall time minus both is the time the thread was
 * blocked, which for a header read is the storage. Where that file is missing the median wall time of the window is
 * the fallback. The pool never has more threads than the machine has cores.
 *
 * <p>Results come back in the order asked; if several shards fail, the first in that order is reported, so the error a
 * user sees does not depend on thread timing.
 */
final class ParallelHeaders {
    /** Enough reads in flight to hide disk latency without holding hundreds of file descriptors open. */
    private static final int MAX_THREADS = 16;
    /**
     * The first shards also pay for class loading and interpreted code, so they say nothing about the storage; the
     * reads after them do.
     */
    private static final int WARM_UP_READS = 2;
    /**
     * Blocked time per header read above which reads are taken to wait on storage: a header read from the page cache
     * blocks for well under 0.1 ms, a cold disk seek or a network round trip for several ms.
     */
    static final long BLOCKED_NANOS = 2_000_000L;
    /**
     * Without schedstat: the median wall time of a window above which reads are taken to be slow. A read from the
     * page cache takes about 0.4 to 2 ms while the code is still interpreted; the median, not the mean, so that a read
     * descheduled on a busy machine (5 ms spikes were seen at load 5 on 2 cores) does not look like slow storage.
     */
    static final long SLOW_WALL_NANOS = 4_000_000L;

    static final int WINDOW = 8;
    /**
     * Windows in a row that must look slow before the pool starts. The blocked time is measured over a whole window,
     * not per read, because Linux updates a running thread's CPU time in schedstat only at a scheduler tick or switch
     * (a read of 0.4 ms often shows 0 ns on a CPU; measured here, issue 12), and over 8 reads that error stays under a
     * tick. But a window also counts as blocked the time the thread stood at a safepoint: one young collection of the
     * serial collector (up to ~90 ms on a 45,000-tensor checkpoint) makes one window look like slow storage. Slow
     * storage makes every window slow, so two in a row tell them apart, at the cost of 8 more reads in order on a
     * cold disk.
     */
    static final int SLOW_WINDOWS_IN_A_ROW = 2;

    private ParallelHeaders() {}

    static List<SafetensorsHeader> read(List<Path> files) throws IOException {
        return read(files, null);
    }

    /**
     * {@link #read}, the headers read in order taking their tensors' names from {@code index} (whose
     * {@link IndexColumns#shards()} are {@code files}, in that order), may be {@code null}.
     */
    static List<SafetensorsHeader> read(List<Path> files, IndexColumns index) throws IOException {
        List<SafetensorsHeader> out = new ArrayList<>(files.size());
        long[] wall = new long[WINDOW];
        int timed = 0;
        long windowStart = 0;
        long[] schedStart = null;
        int slowWindows = 0;
        HeaderReader.Sequence reader = new HeaderReader.Sequence(); // one buffer and parser for the reads in order
        for (Path f : files) {
            if (out.size() == WARM_UP_READS + timed && timed % WINDOW == 0) {
                windowStart = System.nanoTime();
                schedStart = ThreadSchedule.current();
            }
            long start = System.nanoTime();
            out.add(reader.read(f, index == null ? null : index.knownNames(out.size())));
            if (out.size() > WARM_UP_READS) {
                wall[timed++ % WINDOW] = System.nanoTime() - start;
                if (timed % WINDOW == 0) {
                    boolean slow =
                            waitsOnStorage(wall, System.nanoTime() - windowStart, schedStart, ThreadSchedule.current());
                    slowWindows = slow ? slowWindows + 1 : 0;
                    if (slowWindows == SLOW_WINDOWS_IN_A_ROW && out.size() < files.size() - 1) {
                        out.addAll(readInParallel(files.subList(out.size(), files.size())));
                        return out;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether a window of {@link #WINDOW} reads, which took {@code windowNanos} together (each {@code wall[i]}),
     * waited on storage; {@code schedStart} and {@code schedEnd} are {@link ThreadSchedule#current()} around it.
     */
    static boolean waitsOnStorage(long[] wall, long windowNanos, long[] schedStart, long[] schedEnd) {
        if (schedStart != null && schedEnd != null) {
            long ranOrWaitedForCpu = (schedEnd[0] - schedStart[0]) + (schedEnd[1] - schedStart[1]);
            return (windowNanos - ranOrWaitedForCpu) / WINDOW > BLOCKED_NANOS;
        }
        return median(wall) > SLOW_WALL_NANOS;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Pool threads: one per core at most, since a page-cache read is CPU work and a core runs one at a time. */
    static int threads(int files) {
        return Math.max(1, Math.min(Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()), files));
    }

    /** Reads {@code files} on a pool of threads, results in the given order. */
    static List<SafetensorsHeader> readInParallel(List<Path> files) throws IOException {
        int threads = threads(files.size());
        try (ExecutorService pool = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().daemon().factory())) {
            List<Future<SafetensorsHeader>> futures = new ArrayList<>(files.size());
            for (Path f : files) {
                futures.add(pool.submit(() -> HeaderReader.read(f)));
            }
            List<SafetensorsHeader> out = new ArrayList<>(files.size());
            for (Future<SafetensorsHeader> future : futures) {
                out.add(await(future));
            }
            return out;
        }
    }

    private static SafetensorsHeader await(Future<SafetensorsHeader> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading safetensors headers", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case UncheckedIOException io -> throw io.getCause();
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }
}
