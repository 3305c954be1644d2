package dev.heft.core.hub;

import java.time.Duration;
import java.util.Optional;

/**
 * How heft talks to servers: limits that keep a slow, broken or hostile server from holding it or flooding it.
 *
 * @param connectTimeout   to open a connection
 * @param requestTimeout   for one request, from sending it to the last byte of its answer
 * @param totalTimeout     for everything one MODEL argument needs (listing, config, index, every header)
 * @param connections      requests in flight to one origin at once, and connections open to it (the pool's bound,
 *                         per origin); the headers of a sharded checkpoint are read {@link #readsInFlight()} at a
 *                         time over them
 * @param attempts         tries per request when the answer is 429, a 5xx, or a dropped connection (1 = no retry)
 * @param backoff          the first wait before a retry; it doubles each time (with jitter), capped by
 *                         {@code maxBackoff} and by a server's {@code Retry-After} up to that cap
 * @param maxBackoff       the longest single wait before a retry
 * @param maxRedirects     hops followed per request (the Hub redirects weight files once, to its CDN)
 */
public record NetworkSettings(
        Duration connectTimeout,
        Duration requestTimeout,
        Duration totalTimeout,
        int connections,
        int attempts,
        Duration backoff,
        Duration maxBackoff,
        int maxRedirects) {

    public NetworkSettings {
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("connections must be 1 to 64, not " + connections);
        }
        if (attempts < 1 || maxRedirects < 0) {
            throw new IllegalArgumentException("attempts must be at least 1 and maxRedirects not negative");
        }
    }

    /**
     * Defaults for the Hub over the internet: 16 connections per origin (32 header reads at once), 4 tries, 30 s a
     * request, 5 min in all.
     */
    public static NetworkSettings defaults() {
        return new NetworkSettings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                16,
                4,
                Duration.ofMillis(250),
                Duration.ofSeconds(5),
                5);
    }

    /**
     * Weight-file headers read at once: twice {@link #connections()}. A Hub weight file takes two requests to two
     * origins one after the other (the Hub's 302 to its CDN, then the CDN's 206), so with as many reads as connections
     * each origin's connections would sit idle half of the time; with twice as many, the reads waiting for the Hub
     * and those waiting for the CDN keep both busy, and neither origin ever gets more than {@link #connections()} at
     * once (the pool waits for a free one). With 30 ms a round trip, 169 shards and 16 connections that is about 12 round
     * trips instead of 22 (bench/RESULTS-hub.md). A file on one origin (no redirect)
     * simply waits for a connection.
     */
    public int readsInFlight() {
        return 2 * connections;
    }

    /** About the CPU one header read costs in a fresh JVM (the 302, the 206 and the parse): 0.5-1.5 ms measured. */
    static final Duration CPU_PER_READ = Duration.ofMillis(1);

    /**
     * Weight-file headers read at once, given the fastest answer seen so far ({@code roundTrip}: from a request
     * written to its answer's head; empty before any) and the cores: enough reads in flight to keep every core busy
     * while each read waits a round trip (Little's law at {@link #CPU_PER_READ} a read), at least two per core and
     * at most {@link #readsInFlight()}. A slow or distant server (a round trip of 15 ms or more on 2 cores, any real
     * Hub) gets them all; a fast one (loopback, a mirror on the LAN) leaves the client CPU-bound, and there every
     * thread beyond those costs CPU for nothing: Llama-3.1-405B layout over loopback, 9 interleaved runs at load 5-7,
     * 630 ms of CPU with 32 reads at once, 548 with 16, 526 with 8, 528 with 4 (bench/RESULTS-hub.md).
     */
    public int readsInFlight(Optional<Duration> roundTrip, int cores) {
        if (roundTrip.isEmpty()) {
            return readsInFlight();
        }
        long wanted = cores + (long) Math.ceil((double) cores * roundTrip.get().toNanos() / CPU_PER_READ.toNanos());
        return (int) Math.max(Math.min(2L * cores, readsInFlight()), Math.min(wanted, readsInFlight()));
    }

    public NetworkSettings withTimeouts(Duration request, Duration total) {
        return new NetworkSettings(
                connectTimeout, request, total, connections, attempts, backoff, maxBackoff, maxRedirects);
    }

    public NetworkSettings withRetries(int tries, Duration firstBackoff) {
        return new NetworkSettings(
                connectTimeout,
                requestTimeout,
                totalTimeout,
                connections,
                tries,
                firstBackoff,
                maxBackoff,
                maxRedirects);
    }
}
