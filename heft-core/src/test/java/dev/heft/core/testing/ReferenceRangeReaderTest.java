package dev.heft.core.testing;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.format.HeaderOnly;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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

    /**
     * The reference client, on a plain socket (heft-core's tests run inside its module, which does not read
     * java.net.http; a raw HTTP/1.1 exchange also shows exactly which bytes are read).
     */
    static final class RangeClient {
        private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
        private final Duration deadline;
        private final int maxBytes;
        private long deadlineNanos;

        RangeClient(Duration deadline, int maxBytes) {
            this.deadline = deadline;
            this.maxBytes = maxBytes;
        }

        void readSafetensorsHeader(URI uri) throws IOException {
            deadlineNanos = System.nanoTime() + deadline.toNanos();
            byte[] prefix = range(uri, 0, 8);
            long n = java.nio.ByteBuffer.wrap(prefix)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getLong();
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
        private byte[] range(URI start, long from, int length) throws IOException {
            URI uri = start;
            for (int hop = 0; ; hop++) {
                if (!"http".equals(uri.getScheme())) {
                    throw new InvalidInputException(
                            start + ": redirected to a " + uri.getScheme() + " URL; only http(s) is followed");
                }
                try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                    socket.setSoTimeout((int) Math.max(1, remainingMillis()));
                    socket.getOutputStream()
                            .write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost()
                                            + "\r\nRange: bytes=" + from + "-" + (from + length - 1)
                                            + "\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    String status = line(in);
                    Map<String, String> headers = new HashMap<>();
                    int headerLines = 0;
                    for (String h = line(in); !h.isEmpty(); h = line(in)) {
                        if (++headerLines > 100) {
                            // A head that never ends (HUGE_HEADERS): refused, like the JDK client's header cap.
                            throw new InvalidInputException(start + ": more than 100 header lines in an answer");
                        }
                        int colon = h.indexOf(':');
                        if (colon > 0) {
                            headers.put(
                                    h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                                    h.substring(colon + 1).strip());
                        }
                    }
                    int code = status.length() >= 12 ? Integer.parseInt(status.substring(9, 12)) : 0;
                    if (code / 100 == 3) {
                        if (hop >= 10) {
                            throw new InvalidInputException(start + ": more than 10 redirects");
                        }
                        uri = uri.resolve(headers.getOrDefault("location", ""));
                        continue;
                    }
                    if (code != 206) {
                        throw new InvalidInputException(
                                start + ": answered " + code + " to a range request; the server must support ranges");
                    }
                    Matcher m = RANGE.matcher(headers.getOrDefault("content-range", ""));
                    if (!m.matches()
                            || Long.parseLong(m.group(1)) != from
                            || Long.parseLong(m.group(2)) != from + length - 1) {
                        throw new InvalidInputException(start + ": Content-Range does not match the range asked for");
                    }
                    byte[] out = new byte[length];
                    int got = 0;
                    while (got < length) {
                        socket.setSoTimeout((int) Math.max(1, remainingMillis()));
                        int k = in.read(out, got, length - got);
                        if (k < 0) {
                            throw new InvalidInputException(
                                    start + ": the body ended after " + got + " of " + length + " bytes");
                        }
                        got += k;
                    }
                    return out;
                } catch (SocketTimeoutException e) {
                    throw new InvalidInputException(start + ": took longer than " + deadline.toSeconds() + " s");
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0 || sb.length() > 8192) {
                    throw new InvalidInputException("malformed HTTP response head");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        private long remainingMillis() {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new InvalidInputException("the read took longer than " + deadline.toSeconds() + " s");
            }
            return left / 1_000_000;
        }
    }
}
