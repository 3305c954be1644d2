package dev.heft.core.format.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads many shards' headers at once. Each read is a few small blocking file reads, so on a cold cache (or a network
 * file system) the wall time is latency, not CPU: overlapping the reads is what makes a 191-shard checkpoint cheap.
 * Results come back in the order asked; if several shards fail, the first in that order is reported, so the error a
 * user sees does not depend on thread timing.
 */
final class ParallelHeaders {
    /** Enough reads in flight to hide disk latency without holding hundreds of file descriptors open. */
    private static final int MAX_THREADS = 16;

    private ParallelHeaders() {
    }

    static List<SafetensorsHeader> read(List<Path> files) throws IOException {
        if (files.size() == 1) {
            return List.of(HeaderReader.read(files.getFirst()));
        }
        int threads = Math.min(MAX_THREADS, Math.max(1, files.size()));
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().factory())) {
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
