package dev.heft.core.testing;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.format.HeaderOnly;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link HostileServerContract} run against a deliberately small reference client, so the contract is known to be
 * satisfiable and its server's behaviours are exercised now, before heft has a remote reader: it reads a safetensors
 * header over HTTP with Range requests, a total deadline, a byte cap, http(s)-only redirects of bounded number, and a
 * check that every 206 answers the range asked for. The remote readers (issue 13) replace it with their own
 * subclass; what this client does is what they must do at least.
 */
class ReferenceRangeReaderTest extends HostileServerContract {
    @Override
    protected void read(URI uri) throws Exception {
        new RangeClient(Duration.ofSeconds(15), 1 << 20).readSafetensorsHeader(uri);
    }

    /** The reference client. */
    static final class RangeClient {
        private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
        private final Duration deadline;
        private final int maxBytes;
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private long deadlineNanos;

        RangeClient(Duration deadline, int maxBytes) {
            this.deadline = deadline;
            this.maxBytes = maxBytes;
        }

        void readSafetensorsHeader(URI uri) throws IOException, InterruptedException {
            deadlineNanos = System.nanoTime() + deadline.toNanos();
            byte[] prefix = range(uri, 0, 8);
            long n = java.nio.ByteBuffer.wrap(prefix).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 0 || n > maxBytes - 8) {
                throw new InvalidInputException(uri + ": safetensors header length " + Long.toUnsignedString(n)
                        + " is more than this client reads (" + maxBytes + " bytes)");
            }
            byte[] head = new byte[(int) (8 + n)];
            System.arraycopy(prefix, 0, head, 0, 8);
            System.arraycopy(range(uri, 8, (int) n), 0, head, 8, (int) n);
            HeaderOnly.read(head, "remote.safetensors", head.length);
        }

        /** Bytes [from, from + length) of {@code uri}: only a 206 for exactly that range, read within the deadline. */
        private byte[] range(URI start, long from, int length) throws IOException, InterruptedException {
            URI uri = start;
            for (int hop = 0; ; hop++) {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(remaining())
                        .header("Range", "bytes=" + from + "-" + (from + length - 1)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = r.body()) {
                    if (r.statusCode() / 100 == 3) {
                        URI next = uri.resolve(r.headers().firstValue("Location").orElse(""));
                        if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
                            throw new InvalidInputException(start + ": redirected to a " + next.getScheme()
                                    + " URL; only http(s) is followed");
                        }
                        if (hop >= 10) {
                            throw new InvalidInputException(start + ": more than 10 redirects");
                        }
                        uri = next;
                        continue;
                    }
                    if (r.statusCode() != 206) {
                        throw new InvalidInputException(start + ": answered " + r.statusCode()
                                + " to a range request; the server must support ranges");
                    }
                    Matcher m = RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
                    if (!m.matches() || Long.parseLong(m.group(1)) != from
                            || Long.parseLong(m.group(2)) != from + length - 1) {
                        throw new InvalidInputException(start + ": Content-Range does not match the range asked for");
                    }
                    byte[] out = new byte[length];
                    int got = 0;
                    while (got < length) {
                        if (System.nanoTime() > deadlineNanos) {
                            throw new InvalidInputException(start + ": took longer than " + deadline.toSeconds()
                                    + " s");
                        }
                        int k = body.read(out, got, length - got);
                        if (k < 0) {
                            throw new InvalidInputException(start + ": the body ended after " + got + " of "
                                    + length + " bytes");
                        }
                        got += k;
                    }
                    return out;
                }
            }
        }

        private Duration remaining() {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new InvalidInputException("the read took longer than " + deadline.toSeconds() + " s");
            }
            return Duration.ofNanos(left);
        }
    }
}
