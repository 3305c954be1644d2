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
 * @param maxUploads     uploaded headers held for {@code model: "upload:ID"} ({@link Uploads})
 * @param maxUploadBytes the header bytes those uploads may add up to (at least one header of {@code maxHeaderBytes}
 *                       is always held: the one just uploaded)
 */
public record ServerLimits(int workers, int queue, int maxJsonBytes, int maxHeaderBytes, Duration requestTime,
                           int maxUploads, long maxUploadBytes) {
    public ServerLimits {
        if (workers < 1 || queue < 0 || maxJsonBytes < 1 || maxHeaderBytes < 1 || requestTime.isNegative()
                || maxUploads < 1 || maxUploadBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public ServerLimits(int workers, int queue, int maxJsonBytes, int maxHeaderBytes, Duration requestTime) {
        this(workers, queue, maxJsonBytes, maxHeaderBytes, requestTime, 16, 4L * maxHeaderBytes);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(Math.max(2, Runtime.getRuntime().availableProcessors()), 256, 1 << 20,
                dev.heft.core.format.HeaderOnly.MAX_HEAD_BYTES, Duration.ofSeconds(60));
    }
}
