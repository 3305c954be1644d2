package dev.heft.core.hub;

import java.time.Duration;

/**
 * How heft talks to servers: limits that keep a slow, broken or hostile server from holding it or flooding it.
 *
 * @param connectTimeout   to open a connection
 * @param requestTimeout   for one request, from sending it to the last byte of its answer
 * @param totalTimeout     for everything one MODEL argument needs (listing, config, index, every header)
 * @param connections      requests in flight at once, and connections open per origin (headers of a 169-shard
 *                         checkpoint are fetched this many at a time, over as many kept-alive connections)
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

    /** Defaults for the Hub over the internet: 16 requests at a time, 4 tries, 30 s a request, 5 min in all. */
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
