package dev.heft.core.quant;

import dev.heft.core.error.HeftException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The scan's worker pool: runs one pass as a task per chunk of every planned tensor on a fixed pool of daemon
 * threads, waits for all of them and rethrows the first failure (in chunk order) as the scan's own exception. Tasks
 * write their results into per-chunk slots of the plan, so results never depend on which thread ran which chunk.
 */
final class ChunkRunner implements AutoCloseable {
    /** One pass's work on one chunk of one tensor. */
    interface ChunkTask {
        void run(TensorPlan p, int chunk) throws Exception;
    }

    private final ExecutorService pool;

    ChunkRunner(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "heft-quant-error");
            t.setDaemon(true);
            return t;
        });
    }

    void runAll(List<TensorPlan> plans, ChunkTask task) {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (TensorPlan p : plans) {
            for (int c = 0; c < p.chunks; c++) {
                final int chunk = c;
                tasks.add(() -> {
                    task.run(p, chunk);
                    return null;
                });
            }
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeftException("quantization error scan interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Stops the worker threads (idle once {@link #runAll} returned; still busy only if its wait was interrupted). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
