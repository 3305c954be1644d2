package dev.heft.core.hub;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import dev.heft.core.testing.FuzzBudget;
import dev.heft.core.testing.SeedCorpus;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over what a server sends on one of heft's HTTP/1.1 connections: the bytes go through the real
 * {@link Connection} (its buffer, line reads and fills; an in-memory {@link Connection.Wire} in place of the socket),
 * {@link Http1#readHead} (status line, interim answers, header fields and their bounds), {@link Exchange} (framing:
 * Content-Length, chunked with extensions and trailers, read-to-close, 204/304, the keep-alive decision) and
 * {@link Http.Answer}'s {@code readAll} and {@code readExactly} (caps, truncation, the messages), answer after answer
 * while the connection stays reusable, as a kept-alive connection serves them. Oracle:
 * <ul>
 *   <li>only the client's own failures: an {@link IOException} from the head (the protocol refused, the connection
 *       closed), a {@link RemoteModelException} (or {@link Http.Dropped}, a broken body the caller retries) from the
 *       body; never an unchecked exception, and never a timeout (the bytes are all there, nothing waits);</li>
 *   <li>a head within {@link Http1#MAX_FIELDS} fields and {@link Http1#MAX_HEAD} bytes, a status from 200 to 999;</li>
 *   <li>every error message one line (what heft prints), the status's wording too ({@link HttpStatus#generic()});</li>
 *   <li>the body bytes counted ({@code transferred_bytes}) equal the bytes handed to the caller, and never more than
 *       the server sent; a whole body read by {@code readAll} is as long as a valid Content-Length says;</li>
 *   <li>a connection given back exactly once per answer, and offered for the next request only when its body was read
 *       to the end.</li>
 * </ul>
 *
 * <p>Input layout: byte 0 sets how many bytes each read of the wire returns at most (1 to 64, or all that is left for
 * 192 and up: lines and chunk sizes split across reads and buffer fills); byte 1 picks how bodies are read (modulo 3:
 * {@code readAll} with a cap of 64 KiB, {@code readExactly(n)}, or {@code n} bytes then close, leaving the rest); byte 2
 * sets {@code n} (times 7); the rest is what the server sends. Seeds ({@link #seeds()}): the scripted answers of
 * Http1ClientTest and the Hub's own answers (302 to the CDN, 206 with Content-Range, 404 with X-Error-Code, 429 with
 * Retry-After).
 */
class Http1FuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    private static final URI URL = URI.create("https://huggingface.co/o/n/resolve/main/model.safetensors");
    private static final Origin ORIGIN = Origin.of(URL);
    private static final int CAP = 64 << 10;
    private static final int MAX_ANSWERS = 4;
    private static final NetworkSettings SETTINGS = NetworkSettings.defaults();
    /** Makes no connection: the target hands it exchanges on an in-memory connection. */
    private static final Http HTTP = new Http(
            new ConnectionPool(SETTINGS), SETTINGS, URI.create("https://huggingface.co"), Optional::empty, "f");

    enum BodyRead {
        ALL,
        EXACTLY,
        PARTIAL
    }

    @FuzzTest(maxDuration = "60s")
    void answers(byte[] data) throws Exception {
        if (data.length < 3) {
            return;
        }
        int perRead = (data[0] & 0xff) >= 192 ? Integer.MAX_VALUE : (data[0] & 0x3f) + 1;
        BodyRead mode = BodyRead.values()[(data[1] & 0xff) % BodyRead.values().length];
        int n = (data[2] & 0xff) * 7;
        byte[] sent = Arrays.copyOfRange(data, 3, data.length);
        FuzzBudget.run(data.length, () -> connection(new MemoryWire(sent, perRead), mode, n, sent.length));
    }

    private static void connection(MemoryWire wire, BodyRead mode, int n, int sentBytes) {
        Connection c = new Connection(ORIGIN, wire);
        AtomicLong received = new AtomicLong();
        long handedOver = 0;
        for (int answer = 0; answer < MAX_ANSWERS; answer++) {
            Deadline deadline = Deadline.in(Duration.ofHours(1));
            Http1.Head head;
            Exchange exchange;
            try {
                head = Http1.readHead(c, deadline);
                checkHead(head);
                exchange = new Exchange(head, c, (conn, reusable) -> wire.released(reusable), received);
            } catch (Http1.Timeout e) {
                throw new AssertionError("a timeout with every byte already there", e);
            } catch (IOException e) {
                oneLine(HTTP.malformed("w", URL, e).getMessage());
                return;
            }
            int releasesBefore = wire.releases;
            Http.Answer a = HTTP.new Answer(exchange, URL, Optional.empty(), deadline, "w");
            try {
                handedOver += switch (mode) {
                    case ALL -> {
                        byte[] body = a.readAll(CAP, "body");
                        boolean lengthFramed = head.fields()
                                        .allValues("Transfer-Encoding")
                                        .isEmpty()
                                && head.fields().allValues("Content-Length").size() == 1
                                && head.status() != 204
                                && head.status() != 304;
                        a.headers()
                                .firstValueAsLong("Content-Length")
                                .ifPresent(len -> require(
                                        !lengthFramed || body.length == len,
                                        "a body of " + body.length + " bytes under Content-Length " + len));
                        yield body.length;
                    }
                    case EXACTLY -> a.readExactly(n).length;
                    case PARTIAL -> {
                        byte[] some = new byte[n];
                        int got = a.read(some, 0, n);
                        yield Math.max(got, 0);
                    }
                };
            } catch (RemoteModelException e) {
                require(e.reason() != Reason.TIMEOUT, "a timeout with every byte already there: " + e.getMessage());
                oneLine(e.getMessage());
                a.close();
                require(wire.releases == releasesBefore + 1, "a failed body did not give its connection back once");
                // A body shorter than the caller needed, but whole by its framing, leaves the connection clean (found
                // by the first run: crash-782c8c...); one read only part of the way must not be kept.
                require(!wire.lastReusable || exchange.atEnd(), "a connection kept after a failed body, unread");
                return;
            } catch (Http.Dropped e) {
                oneLine(e.failure.getMessage());
                a.close();
                require(wire.releases == releasesBefore + 1, "a broken body did not give its connection back once");
                require(!wire.lastReusable, "a connection kept after a broken body");
                return;
            }
            require(received.get() == handedOver, received.get() + " bytes counted, " + handedOver + " handed over");
            require(received.get() <= sentBytes, "more body bytes counted than the server sent");
            a.close();
            a.close();
            require(wire.releases == releasesBefore + 1, "an answer gave its connection back " + wire.releases + "x");
            require(!wire.lastReusable || exchange.atEnd(), "a connection kept with its body unread");
            if (head.status() >= 300) {
                oneLine(HttpStatus.of(head.status(), head.fields(), URL, "w")
                        .generic()
                        .getMessage());
            }
            if (!wire.lastReusable) {
                return;
            }
        }
    }

    private static void checkHead(Http1.Head head) {
        require(head.status() >= 200 && head.status() <= 999, "status " + head.status());
        require(head.fields().fields().size() <= Http1.MAX_FIELDS, "more fields than the bound");
        long bytes = 0;
        for (HttpFields.Field f : head.fields().fields()) {
            require(!f.name().isEmpty() && f.name().indexOf(':') < 0, "field name '" + f.name() + "'");
            bytes += f.name().length() + f.value().length() + 3;
        }
        require(bytes <= Http1.MAX_HEAD, "a head of " + bytes + " bytes");
        head.fields().firstValueAsLong("Content-Length").ifPresent(len -> require(len >= 0, "length " + len));
        head.fields().hasToken("Connection", "close");
    }

    private static void oneLine(String message) {
        require(message != null && message.indexOf('\n') < 0 && message.indexOf('\r') < 0, "not one line: " + message);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** The server's bytes, handed out at most {@code perRead} at a time; what heft writes is dropped. */
    static final class MemoryWire implements Connection.Wire {
        private final byte[] bytes;
        private final int perRead;
        private int pos;
        int releases;
        boolean lastReusable;

        MemoryWire(byte[] bytes, int perRead) {
            this.bytes = bytes;
            this.perRead = perRead;
        }

        @Override
        public int read(byte[] dst, int off, int len, int timeoutMillis) {
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, perRead), bytes.length - pos);
            System.arraycopy(bytes, pos, dst, off, n);
            pos += n;
            return n;
        }

        @Override
        public void write(byte[] request) {}

        @Override
        public void close() {}

        void released(boolean reusable) {
            releases++;
            lastReusable = reusable;
        }
    }

    // ----- seeds

    private static byte[] input(int perRead, BodyRead mode, int n, String answer) {
        byte[] a = answer.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[3 + a.length];
        out[0] = (byte) perRead;
        out[1] = (byte) mode.ordinal();
        out[2] = (byte) n;
        System.arraycopy(a, 0, out, 3, a.length);
        return out;
    }

    /** The answers of Http1ClientTest's scripted server, and the Hub's own, each read in whole and in pieces. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        s.put("keep-alive-twice", input(255, BodyRead.ALL, 0, ok + ok));
        s.put("keep-alive-bytewise", input(0, BodyRead.ALL, 0, ok + ok));
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n"
                + "7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n";
        s.put("chunked-trailers", input(255, BodyRead.ALL, 0, chunked + chunked));
        s.put("chunked-trailers-split", input(2, BodyRead.ALL, 0, chunked));
        String partial = "HTTP/1.1 206 Partial Content\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n";
        s.put("chunked-read-exactly", input(255, BodyRead.EXACTLY, 4, partial + partial));
        s.put("until-close", input(255, BodyRead.ALL, 0, "HTTP/1.1 200 OK\r\n\r\nuntil close"));
        s.put(
                "length-longer-than-body",
                input(255, BodyRead.ALL, 0, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly"));
        s.put(
                "bytes-past-length",
                input(255, BodyRead.ALL, 0, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcGARBAGE\r\n\r\n"));
        s.put(
                "head-fields-past-bound",
                input(
                        255,
                        BodyRead.ALL,
                        0,
                        "HTTP/1.1 200 OK\r\n" + ("X-Padding: " + "a".repeat(1000) + "\r\n").repeat(70)));
        s.put(
                "overlong-line",
                input(63, BodyRead.ALL, 0, "HTTP/1.1 200 OK\r\nX-Long: " + "b".repeat(9000) + "\r\n\r\n"));
        String[] contradictions = {
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n",
            "HTTP/2 200\r\n\r\n",
            "SSH-2.0-OpenSSH_9.6\r\n"
        };
        for (int i = 0; i < contradictions.length; i++) {
            s.put("framing-" + i, input(255, BodyRead.ALL, 0, contradictions[i]));
        }
        s.put(
                "interim",
                input(
                        5,
                        BodyRead.ALL,
                        0,
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" + ok));
        s.put(
                "hub-redirect",
                input(
                        255,
                        BodyRead.PARTIAL,
                        20,
                        "HTTP/1.1 302 Found\r\nLocation: https://cdn-lfs.hf.co/repos/ab/cd/"
                                + "0123456789abcdef?X-Amz-Expires=3600\r\nX-Repo-Commit: 0123456789abcdef0123456789abcdef01234567\r\n"
                                + "Content-Length: 0\r\n\r\n" + ok));
        s.put(
                "cdn-range",
                input(
                        255,
                        BodyRead.EXACTLY,
                        2,
                        "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-13/2200119864\r\n"
                                + "Content-Length: 14\r\nAccept-Ranges: bytes\r\nETag: \"abc\"\r\n\r\n\u0010\0\0\0\0\0\0\0{\"a\":1}\n"));
        s.put(
                "hub-404",
                input(
                        255,
                        BodyRead.ALL,
                        0,
                        "HTTP/1.1 404 Not Found\r\nX-Error-Code: EntryNotFound\r\nX-Error-Message: "
                                + "Entry not found\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{\"error\":\"Entry not found\"}"));
        s.put(
                "hub-429",
                input(
                        255,
                        BodyRead.ALL,
                        0,
                        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nConnection: close\r\n"
                                + "Content-Length: 0\r\n\r\n"));
        s.put("no-content", input(255, BodyRead.ALL, 0, "HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n" + ok));
        s.put("http10", input(255, BodyRead.ALL, 0, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok" + ok));
        return s;
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        SeedCorpus.verify(SeedCorpus.dir(Http1FuzzTest.class, "answers"), seeds());
    }

    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(Http1FuzzTest.class, "answers"), seeds());
    }
}
