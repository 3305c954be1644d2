package dev.heft.core.quant;

import dev.heft.core.error.InvalidInputException;

/**
 * How the error scan runs.
 *
 * @param threads        worker threads (tensors and chunks of one tensor run in parallel); at least 1
 * @param chunkBytes     stored bytes of input handed to one task; memory use is about threads x chunk x 3, whatever
 *                       the model size (chunks are whole rows, so a chunk may exceed this for very long rows)
 * @param includeVectors also scan 1-D tensors (norm weights, biases); llama-quantize never quantizes them, so the
 *                       default leaves them out
 * @param topSensitive   how many tensors each scheme's sensitivity ranking lists
 */
public record QuantErrorOptions(int threads, long chunkBytes, boolean includeVectors, int topSensitive) {
    public QuantErrorOptions {
        if (threads < 1 || threads > 1024) {
            throw new InvalidInputException("threads must be 1..1024, got " + threads);
        }
        if (chunkBytes < 4096 || chunkBytes > (1L << 30)) {
            throw new InvalidInputException("chunk size must be 4 KiB..1 GiB, got " + chunkBytes);
        }
        if (topSensitive < 0) {
            throw new InvalidInputException("top-sensitive count must be >= 0, got " + topSensitive);
        }
    }

    /** All available processors, 2 MiB chunks, matrices only, top 10. */
    public static QuantErrorOptions defaults() {
        return new QuantErrorOptions(Runtime.getRuntime().availableProcessors(), 2L << 20, false, 10);
    }

    public QuantErrorOptions withThreads(int n) {
        return new QuantErrorOptions(n, chunkBytes, includeVectors, topSensitive);
    }

    public QuantErrorOptions withChunkBytes(long n) {
        return new QuantErrorOptions(threads, n, includeVectors, topSensitive);
    }

    public QuantErrorOptions withIncludeVectors(boolean b) {
        return new QuantErrorOptions(threads, chunkBytes, b, topSensitive);
    }
}
