package dev.heft.web;

import java.time.Duration;

/**
 * How much a request, and a client, may cost the server.
 *
 * <p>The {@link #defaults()} fit the heap that {@code ./heft serve} gives the JVM ({@code -Xmx2g}, see the launcher),
 * by admission rather than by luck. Measured with bench/serve-load.sh's upload client (a 94 MB safetensors header of
 * 900,000 tensors, the worst shape for its size): the parse peaks at about 600 MB of live objects (the body included)
 * and the parsed model keeps about 1.3 bytes per header byte. So the live set stays under about: 50 MB of server and
 * catalog, plus one parse at a time ({@code heavyWorkers} 1: 600 MB), plus the upload store ({@code maxUploadBytes} of
 * one largest header: 130 MB), plus the bodies held while they arrive ({@code maxBytesInFlight}, mostly the body of
 * that same parse, and {@link #cheapBytesInFlight()}, 32 MB) - under 900 MB. A cheap request holds a few KiB. The heap
 * is twice that because ZGC needs room to collect while the server allocates (bench/RESULTS-serve.md).
 *
 * @param workers          requests computing at once (engine calls are CPU-bound and short: about one per core).
 *                         Connections themselves cost a virtual thread each, so a slow client holds no worker
 * @param queue            requests that may wait for a worker; beyond that, or after {@code queueTime}, 503
 * @param maxJsonBytes     a JSON request body: options and at most a config.json, which are a few KiB
 * @param maxHeaderBytes   an uploaded model header: safetensors' own cap on a header (100,000,000 bytes) plus its
 *                         8-byte length, see {@link dev.heft.core.format.HeaderOnly#MAX_HEAD_BYTES}
 * @param requestTime      the longest a request body may take to arrive (a client trickling a 100 MB body is cut off)
 * @param headerTime       the longest a request line and headers may take to arrive, from their first byte (slow-loris)
 * @param idleTime         how long a kept-alive connection may wait for its next request
 * @param queueTime        the longest a request waits for a worker or for memory before it is answered 503
 * @param maxConnections   open connections at once; more are answered 503 and closed
 * @param maxBytesInFlight upload body bytes held at once, over all connections (a 71 MB header parses into ~1 GB of
 *                         objects: parallel uploads wait their turn rather than share the heap); at least one upload
 * @param maxUploads       uploaded headers held for {@code model: "upload:ID"} ({@link Uploads})
 * @param maxUploadBytes   the header bytes those uploads may add up to (at least one header of {@code maxHeaderBytes}
 *                         is always held: the one just uploaded)
 * @param heavyWorkers     heavy requests (header uploads, Hub reads: seconds of CPU or network and up to a GB of
 *                         parsed objects each) running at once, on their own threads ({@link HttpFront}): they never
 *                         take one of the {@code workers}, so cheap requests (estimate, catalog, the page) do not queue
 *                         behind them
 * @param heavyQueue       heavy requests that may wait for a heavy worker; beyond that 503 with {@code Retry-After}
 */
public record ServerLimits(
        int workers,
        int queue,
        int maxJsonBytes,
        int maxHeaderBytes,
        Duration requestTime,
        Duration headerTime,
        Duration idleTime,
        Duration queueTime,
        int maxConnections,
        long maxBytesInFlight,
        int maxUploads,
        long maxUploadBytes,
        int heavyWorkers,
        int heavyQueue) {
    public ServerLimits {
        if (workers < 1
                || queue < 0
                || maxJsonBytes < 1
                || maxHeaderBytes < 1
                || maxConnections < 1
                || !positive(requestTime)
                || !positive(headerTime)
                || !positive(idleTime)
                || !positive(queueTime)
                || maxBytesInFlight < Math.max(maxJsonBytes, maxHeaderBytes)
                || maxUploads < 1
                || maxUploadBytes < 1
                || heavyWorkers < 1
                || heavyQueue < 0) {
            throw new IllegalArgumentException(
                    "limits must be positive, and the bytes in flight must hold one " + "largest body");
        }
    }

    /** The first five limits; the connection and upload limits as {@link #defaults()} sets them. */
    public ServerLimits(int workers, int queue, int maxJsonBytes, int maxHeaderBytes, Duration requestTime) {
        this(
                workers,
                queue,
                maxJsonBytes,
                maxHeaderBytes,
                requestTime,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                512,
                Math.max(maxJsonBytes, maxHeaderBytes) + (8L << 20),
                16,
                maxHeaderBytes,
                1,
                2);
    }

    /** These limits with other deadlines and caps for connections (tests shorten them). */
    public ServerLimits withConnections(
            Duration headerTime, Duration idleTime, Duration queueTime, int maxConnections, long maxBytesInFlight) {
        return new ServerLimits(
                workers,
                queue,
                maxJsonBytes,
                maxHeaderBytes,
                requestTime,
                headerTime,
                idleTime,
                queueTime,
                maxConnections,
                maxBytesInFlight,
                maxUploads,
                maxUploadBytes,
                heavyWorkers,
                heavyQueue);
    }

    /** These limits with another lane for heavy requests (tests narrow it). */
    public ServerLimits withHeavyLane(int heavyWorkers, int heavyQueue) {
        return new ServerLimits(
                workers,
                queue,
                maxJsonBytes,
                maxHeaderBytes,
                requestTime,
                headerTime,
                idleTime,
                queueTime,
                maxConnections,
                maxBytesInFlight,
                maxUploads,
                maxUploadBytes,
                heavyWorkers,
                heavyQueue);
    }

    /** These limits with another store size for uploaded headers. */
    public ServerLimits withUploads(int maxUploads, long maxUploadBytes) {
        return new ServerLimits(
                workers,
                queue,
                maxJsonBytes,
                maxHeaderBytes,
                requestTime,
                headerTime,
                idleTime,
                queueTime,
                maxConnections,
                maxBytesInFlight,
                maxUploads,
                maxUploadBytes,
                heavyWorkers,
                heavyQueue);
    }

    /**
     * Request body bytes held at once by the requests that are not uploads (JSON bodies of at most
     * {@code maxJsonBytes}): a budget of their own, so they never wait behind an upload's reservation; 32 largest JSON
     * bodies (32 MiB by default), while the usual body is under 100 bytes and reserves 1 KiB.
     */
    public long cheapBytesInFlight() {
        return 32L * maxJsonBytes;
    }

    public static ServerLimits defaults() {
        return new ServerLimits(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                256,
                1 << 20,
                dev.heft.core.format.HeaderOnly.MAX_HEAD_BYTES,
                Duration.ofSeconds(60));
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
