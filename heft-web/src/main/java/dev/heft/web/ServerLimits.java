package dev.heft.web;

import java.time.Duration;

/**
 * How much a request may cost the server.
 *
 * @param workers        threads that run requests (engine calls are CPU-bound and short: about one per core)
 * @param queue          requests that may wait for a worker; beyond that the accepting thread runs them itself,
 *                       which stops it accepting more (back-pressure instead of an unbounded queue)
 * @param maxJsonBytes   a JSON request body: options and at most a config.json, which are a few KiB
 * @param maxHeaderBytes an uploaded model header: safetensors' own cap on a header (100,000,000 bytes) plus its
 *                       8-byte length, see {@link dev.heft.core.format.HeaderOnly#MAX_HEAD_BYTES}
 * @param requestTime    the longest a request may take to arrive (the JDK server closes slower connections)
 */
public record ServerLimits(int workers, int queue, int maxJsonBytes, int maxHeaderBytes, Duration requestTime) {
    public ServerLimits {
        if (workers < 1 || queue < 0 || maxJsonBytes < 1 || maxHeaderBytes < 1 || requestTime.isNegative()) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static ServerLimits defaults() {
        return new ServerLimits(Math.max(2, Runtime.getRuntime().availableProcessors()), 256, 1 << 20,
                dev.heft.core.format.HeaderOnly.MAX_HEAD_BYTES, Duration.ofSeconds(60));
    }
}
