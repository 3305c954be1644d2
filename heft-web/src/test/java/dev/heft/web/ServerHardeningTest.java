package dev.heft.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server against clients that misbehave on purpose (issue 16): slow-loris heads and trickled bodies, declared
 * lengths with nothing behind them, malformed and ambiguous requests, spoofed Host headers, too many connections.
 * Every answer is heft's one-line JSON error with the right status; none names an exception class; a well-behaved
 * client is served meanwhile.
 */
class ServerHardeningTest {
    /** Short deadlines so the test need not wait a minute: heads 2 s, bodies 3 s, waits for memory 1 s. */
    static final ServerLimits LIMITS = new ServerLimits(2, 16, 1 << 20, 4 << 20, Duration.ofSeconds(3))
            .withConnections(
                    Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1), 24, (4 << 20) + (1 << 20));

    static HeftServer server;

    @BeforeAll
    static void start() throws IOException {
        server = HeftServer.start("127.0.0.1", 0, LIMITS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(15_000);
        return s;
    }

    /** Sends {@code request} verbatim and returns everything the server answers before closing. */
    static String raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String raw(byte[] request) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int r;
            while ((r = in.read(buf)) >= 0) {
                out.write(buf, 0, r);
            }
        } catch (SocketException reset) {
            // the server closed after answering; what arrived is the answer
        }
        return out.toByteArray();
    }

    /** The status of a raw response, after checking it is heft's JSON error shape and names no exception. */
    static int jsonError(String response) {
        assertThat(response).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(response.substring(9, 12));
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        JsonValue.JsonObject o = (JsonValue.JsonObject) Json.parse(body);
        assertThat(o.getLong("status", -1)).isEqualTo(status);
        assertThat(o.getString("error", ""))
                .isNotBlank()
                .doesNotContainIgnoringCase("exception")
                .doesNotContain("\n");
        assertThat(response).containsIgnoringCase("X-Content-Type-Options: nosniff");
        return status;
    }

    static String get(String pathAndHost) throws IOException {
        return raw("GET " + pathAndHost + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    @Test
    void malformedRequestsGetHeftsOwnJsonAnswers() throws IOException {
        assertThat(jsonError(raw("GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("GET /a|b<c> HTTP/1.1\r\nHost: localhost\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("GET / HTTP/2.0\r\nHost: localhost\r\n\r\n"))).isEqualTo(505);
        assertThat(jsonError(raw("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
                        + "Content-Length: 2\r\n\r\n{}")))
                .isEqualTo(400);
        assertThat(jsonError(raw("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n{}")))
                .isEqualTo(400);
        assertThat(jsonError(raw("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n")))
                .isEqualTo(501);
        assertThat(jsonError(raw("GET / HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("GET / HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\n  folded\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\u0000b\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: " + "a".repeat(9000) + "\r\n\r\n")))
                .isEqualTo(431);
        assertThat(jsonError(raw("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "zz\r\n{}\r\n0\r\n\r\n")))
                .isEqualTo(400);
        assertThat(jsonError(raw("GET / HTTP/1.1\r\n\r\n"))).isEqualTo(400);
    }

    /**
     * Traversal spelled every way a static URL can spell it (percent-encoded dots and slashes, backslashes, double
     * encoding, a NUL, the classpath folder the page comes from) reaches no file: only the page's four names are served.
     */
    @Test
    void encodedTraversalInStaticUrlsReachesNoFile() throws IOException {
        for (String path : List.of(
                "/%2e%2e/%2e%2e/etc/passwd",
                "/..%2f..%2fpom.xml",
                "/%2E%2E%5C%2E%2E%5Cpom.xml",
                "/%252e%252e/%252e%252e/etc/passwd",
                "/app.js/../../pom.xml",
                "/./app.js",
                "/app.js%00.html",
                "/static/index.html",
                "/dev/heft/web/static/app.js",
                "//etc/passwd",
                "/%2fetc%2fpasswd",
                "/..;/pom.xml",
                "/index.html/.")) {
            String response = get(path);
            assertThat(jsonError(response)).as(path).isIn(400, 404);
            assertThat(response)
                    .as(path)
                    .doesNotContain("<html")
                    .doesNotContain("root:")
                    .doesNotContain("<project");
        }
        assertThat(get("/app.js")).startsWith("HTTP/1.1 200");
    }

    @Test
    void hostHeadersMustNameLoopbackExactlyOnce() throws IOException {
        int port = server.port();
        for (String host : List.of(
                "127.0.0.1:" + port + "@evil.example",
                "127.0.0.1@evil.example",
                "localhost.",
                "localhost:80x",
                "127.0.0.1.evil.example",
                "evil.example",
                "localhost:123456",
                "[::1].evil")) {
            assertThat(jsonError(raw("GET /api/catalog HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")))
                    .as(host)
                    .isEqualTo(403);
        }
        assertThat(jsonError(raw("GET /api/catalog HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n")))
                .isEqualTo(400);
        assertThat(raw("GET /api/catalog HTTP/1.1\r\nHost: LOCALHOST:" + port + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void slowLorisHeadsAndTrickledBodiesNeitherStallOthersNorLast() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Socket s = connect();
                s.getOutputStream().write("GET /api/catalog HTTP/1.1\r\nHo".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            for (int i = 0; i < 4; i++) {
                Socket s = connect();
                s.getOutputStream()
                        .write(("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                                        + "application/json\r\nContent-Length: 1000\r\n\r\n{")
                                .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            long t0 = System.nanoTime();
            assertThat(get("/api/catalog")).startsWith("HTTP/1.1 200");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            // The deadlines (2 s for heads, 3 s for bodies) close every slow connection without an answer.
            for (Socket s : slow) {
                s.setSoTimeout(10_000);
                long start = System.nanoTime();
                int r;
                try {
                    r = s.getInputStream().read();
                } catch (SocketException reset) {
                    r = -1;
                }
                assertThat(r).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void declaredUploadsReserveMemoryBeforeAByteArrivesAndWaitTheirTurn() throws Exception {
        // 4 MiB declared by each: the server holds at most 5 MiB of bodies, so the second waits 1 s and is refused.
        try (Socket first = connect();
                Socket second = connect()) {
            String head = "POST /api/inspect-header?size=4194304 HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + "application/octet-stream\r\nContent-Length: 4194304\r\n\r\n";
            first.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            first.getOutputStream().flush();
            Thread.sleep(300);
            second.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            second.getOutputStream().flush();
            String answer = new String(readAll(second.getInputStream()), StandardCharsets.UTF_8);
            assertThat(jsonError(answer)).isEqualTo(503);
            assertThat(get("/api/catalog")).startsWith("HTTP/1.1 200");
        }
        // A body declared larger than the path accepts is refused before it is read.
        assertThat(jsonError(raw("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000000\r\n\r\n")))
                .isEqualTo(413);
    }

    @Test
    void anOverflowingHeaderUploadIsA400() throws IOException {
        // A safetensors header whose one U8 tensor fills a declared file of 2^63 - 1 bytes: ~2^63 elements, which no
        // model has. The crafted upload answered 500 (an overflow); it is the client's input, so 400.
        long size = Long.MAX_VALUE;
        String json = "";
        int padded = 0;
        for (int i = 0; i < 3; i++) { // the header's length and the tensor's size depend on each other
            long n = size - 8 - padded;
            json = "{\"w\":{\"dtype\":\"U8\",\"shape\":[" + n + "],\"data_offsets\":[0," + n + "]}}";
            padded = (json.length() + 7) / 8 * 8;
        }
        ByteBuffer file = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(padded).put(json.getBytes(StandardCharsets.UTF_8));
        while (file.hasRemaining()) {
            file.put((byte) ' ');
        }
        byte[] body = file.array();
        String head = "POST /api/inspect-header?name=x.safetensors&size=" + size + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] request = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, request, 0, head.length());
        System.arraycopy(body, 0, request, head.length(), body.length);
        String answer = raw(request);
        assertThat(jsonError(answer)).as(answer).isEqualTo(400);
        assertThat(answer).contains("2^53");
    }

    @Test
    void keepAliveAndHeadWork() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/devices HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD / HTTP/1.1\r\nHost: localhost\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String both = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            assertThat(both).startsWith("HTTP/1.1 200");
            int second = both.indexOf("HTTP/1.1 200", 12);
            assertThat(second).isPositive();
            assertThat(both.substring(second)).endsWith("\r\n\r\n");
        }
    }

    @Test
    void connectionsBeyondTheCapAreAnswered503() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < LIMITS.maxConnections(); i++) {
                idle.add(connect());
            }
            Thread.sleep(300);
            // A connection of an earlier test may still be counted while its server thread winds down, or freed just
            // now: then one of ours is the refused one, or the first extra is let in (it hears nothing and stays idle).
            // Either way the server never holds more than the cap, and the next connection is answered 503.
            String answer = null;
            for (int extraTries = 0; answer == null; extraTries++) {
                assertThat(extraTries).as("connections let in beyond the cap").isLessThan(3);
                Socket extra = connect();
                extra.setSoTimeout(3_000);
                int first;
                try {
                    first = extra.getInputStream().read();
                } catch (SocketTimeoutException letIn) {
                    idle.add(extra);
                    continue;
                }
                try (extra) {
                    assertThat(first)
                            .as("the extra connection was closed without an answer")
                            .isNotNegative();
                    answer = (char) first + new String(readAll(extra.getInputStream()), StandardCharsets.UTF_8);
                }
            }
            assertThat(jsonError(answer)).isEqualTo(503);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        Thread.sleep(300);
        assertThat(get("/api/catalog")).startsWith("HTTP/1.1 200");
    }
}
