package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * heft's HTTP/1.1 client ({@link Http} over {@link ConnectionPool}, {@link Exchange}, {@link Http1}) against a server
 * scripted byte by byte: the framings RFC 9112 allows (Content-Length, chunked with extensions and trailers, until the
 * connection closes), bodies that lie about their length, kept-alive connections reused and closed under it, heads
 * past the size bounds, the per-origin connection bound, and TLS that checks the server's certificate. The bytes a test
 * expects are the ones its script wrote.
 */
class Http1ClientTest {
    private ScriptedServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static Http http(NetworkSettings s, URI trusted) {
        return new Http(new ConnectionPool(s), s, trusted, () -> Optional.of("secret"), "heft-test");
    }

    private static NetworkSettings settings(int attempts) {
        return NetworkSettings.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withRetries(attempts, Duration.ofMillis(5));
    }

    private static byte[] get(Http http, URI uri, long cap) {
        Deadline d = Deadline.in(Duration.ofSeconds(10));
        return http.withRetries(d, () -> {
            try (Http.Answer a = http.getOnce(uri, Http.Range.NONE, d, "test")) {
                return a.readAll(cap, "body");
            }
        });
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void contentLengthBodiesReuseOneKeptAliveConnection() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
            return true;
        });
        Http http = http(settings(1), server.uri("/"));
        for (int i = 0; i < 3; i++) {
            assertThat(ascii(get(http, server.uri("/a?x=1"), 100))).isEqualTo("hello");
        }
        assertThat(server.connections()).isEqualTo(1);
        assertThat(http.requestCount()).isEqualTo(3);
        assertThat(http.receivedBytes()).isEqualTo(15);
        // The request as written on the wire: origin-form target, Host with the port, identity encoding.
        String first = server.heads().getFirst();
        assertThat(first)
                .startsWith("GET /a?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
                .contains("Accept-Encoding: identity\r\n")
                .contains("Authorization: Bearer secret\r\n");
    }

    @Test
    void theTokenGoesToTheTrustedOriginOnly() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });
        Http http = http(settings(1), URI.create("http://127.0.0.1:1"));
        get(http, server.uri("/"), 10);
        assertThat(server.heads().getFirst()).doesNotContain("Authorization");
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailersAreReadWholeAndTheConnectionKept() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(
                    out,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5;name=value\r\nhello\r\n"
                            + "7\r\n, world\r\n"
                            + "0\r\nX-Trailer: yes\r\n\r\n");
            return true;
        });
        Http http = http(settings(1), server.uri("/"));
        assertThat(ascii(get(http, server.uri("/"), 100))).isEqualTo("hello, world");
        assertThat(ascii(get(http, server.uri("/"), 100))).isEqualTo("hello, world");
        assertThat(server.connections()).isEqualTo(1);
        assertThat(http.receivedBytes()).isEqualTo(24);
    }

    @Test
    void aChunkedBodyReadOnlyAsFarAsNeededEndsFromTheBufferAndKeepsTheConnection() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(
                    out, "HTTP/1.1 206 Partial Content\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
            return true;
        });
        Http http = http(settings(1), server.uri("/"));
        for (int i = 0; i < 2; i++) {
            Deadline d = Deadline.in(Duration.ofSeconds(5));
            try (Http.Answer a = http.getOnce(server.uri("/"), Http.Range.of(0, 4), d, "test")) {
                assertThat(ascii(a.readExactly(4))).isEqualTo("abcd");
            }
        }
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void aBodyWithoutLengthRunsToTheCloseAndTheConnectionIsNotKept() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\n\r\nuntil close");
            return false;
        });
        Http http = http(settings(1), server.uri("/"));
        assertThat(ascii(get(http, server.uri("/"), 100))).isEqualTo("until close");
        assertThat(ascii(get(http, server.uri("/"), 100))).isEqualTo("until close");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aContentLengthLongerThanTheBodyIsADroppedConnectionRetriedThenAnError() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this");
            return false;
        });
        Http http = http(settings(2), server.uri("/"));
        assertThatThrownBy(() -> get(http, server.uri("/"), 10_000))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION))
                .hasMessageContaining("broke while reading the answer")
                .hasMessageContaining("991 bytes of the Content-Length still due");
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void bytesPastTheContentLengthAreNeverReadAsTheNextAnswer() throws IOException {
        // The server sends more than its Content-Length says; the extra bytes must not pass for the next answer.
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcGARBAGE\r\n\r\n");
            return true;
        });
        Http http = http(settings(1), server.uri("/"));
        assertThat(ascii(get(http, server.uri("/"), 100))).isEqualTo("abc");
        assertThat(ascii(get(http, server.uri("/"), 100))).isEqualTo("abc");
        assertThat(http.receivedBytes()).isEqualTo(6);
    }

    @Test
    void aKeptAliveConnectionTheServerClosedIsReplacedOnceWithoutSpendingARetry() throws IOException {
        // Every connection serves one answer and is then closed by the server without saying so.
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return false;
        });
        Http http = http(settings(1), server.uri("/"));
        for (int i = 0; i < 3; i++) {
            assertThat(ascii(get(http, server.uri("/"), 10))).isEqualTo("ok");
        }
        assertThat(server.requests()).isEqualTo(3);
        assertThat(http.requestCount()).isEqualTo(3);
    }

    @Test
    void aFreshConnectionClosedBeforeAnsweringIsRetriedAsAFailure() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> false);
        Http http = http(settings(2), server.uri("/"));
        assertThatThrownBy(() -> get(http, server.uri("/x"), 10))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION))
                .hasMessageContaining("closed the connection without answering");
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void headFieldsPastTheBoundAreRefusedAfterAtMostTheBoundIsRead() throws IOException {
        String line = "X-Padding: " + "a".repeat(1000) + "\r\n";
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < 10_000; i++) {
                ScriptedServer.write(out, line);
            }
            return false;
        });
        Http http = http(settings(3), server.uri("/"));
        assertThatThrownBy(() -> get(http, server.uri("/"), 10))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ANSWER))
                .hasMessageContaining("header fields longer than 65536 bytes");
        // A protocol error is not worth another try.
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void anOverlongLineInTheHeadIsRefused() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nX-Long: " + "b".repeat(20_000) + "\r\n\r\n");
            return false;
        });
        Http http = http(settings(1), server.uri("/"));
        assertThatThrownBy(() -> get(http, server.uri("/"), 10))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ANSWER))
                .hasMessageContaining("a line of more than 8192 bytes");
    }

    @Test
    void framingThatContradictsItselfIsRefused() throws IOException {
        List<String> answers = List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n",
                "HTTP/2 200\r\n\r\n",
                "SSH-2.0-OpenSSH_9.6\r\n");
        AtomicInteger next = new AtomicInteger();
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(out, answers.get(next.getAndIncrement()));
            return false;
        });
        Http http = http(settings(3), server.uri("/"));
        for (String answer : answers) {
            assertThatThrownBy(() -> get(http, server.uri("/"), 100))
                    .as(answer)
                    .isInstanceOfSatisfying(
                            RemoteModelException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ANSWER))
                    .hasMessageContaining("does not speak HTTP/1.1 as heft reads it");
        }
        assertThat(server.requests()).isEqualTo(answers.size());
    }

    @Test
    void interimAnswersAreSkipped() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            ScriptedServer.write(
                    out,
                    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
                            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });
        assertThat(ascii(get(http(settings(1), server.uri("/")), server.uri("/"), 10)))
                .isEqualTo("ok");
    }

    @Test
    void noMoreConnectionsPerOriginThanTheSettingsAllow() throws Exception {
        server = ScriptedServer.start((conn, req, head, out) -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });
        NetworkSettings two = new NetworkSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                2,
                1,
                Duration.ofMillis(5),
                Duration.ofSeconds(1),
                5);
        Http http = http(two, server.uri("/"));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<byte[]>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                all.add(pool.submit(() -> get(http, server.uri("/"), 10)));
            }
            for (Future<byte[]> f : all) {
                assertThat(ascii(f.get())).isEqualTo("ok");
            }
        }
        // Each answer takes 20 ms and 8 threads ask at once: only the bound keeps the count at 2.
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.requests()).isEqualTo(16);
    }

    @Test
    void whenOneFileFailsTheReadsStillBlockedOnOthersEndAtOnceNotAtTheirDeadline() throws IOException {
        server = ScriptedServer.start((conn, req, head, out) -> {
            if (head.startsWith("GET /missing ")) {
                ScriptedServer.write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                return true;
            }
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
            try {
                Thread.sleep(60_000); // a server that stops sending mid-body
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        });
        NetworkSettings slow = NetworkSettings.defaults()
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60))
                .withRetries(1, Duration.ofMillis(5));
        try (HubClient client = new HubClient(
                server.uri("/"), Optional::empty, slow, Optional.empty(), Optional.empty(), Progress.NONE, "t")) {
            List<RemoteFile> files =
                    List.of(HubClient.url(server.uri("/missing")), HubClient.url(server.uri("/stalls.safetensors")));
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.headers(files, Optional.empty()))
                    .isInstanceOfSatisfying(
                            RemoteModelException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void anHttpsServerWithACertificateNoTrustedAuthoritySignedIsRefusedWithoutRetries(@TempDir Path dir)
            throws Exception {
        // A self-signed certificate for 127.0.0.1, made by the JDK's keytool: the JDK's trust store does not hold it.
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger answered = new AtomicInteger();
        https.createContext("/", ex -> {
            answered.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        https.start();
        try {
            URI uri = URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/model.safetensors");
            Http http = http(settings(3), uri);
            assertThatThrownBy(() -> get(http, uri, 10))
                    .isInstanceOfSatisfying(
                            RemoteModelException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION))
                    .hasMessageContaining("the TLS connection to 127.0.0.1:"
                            + https.getAddress().getPort() + " failed")
                    .hasMessageContaining("certification path");
            assertThat(answered.get()).isZero();
            assertThat(http.requestCount()).isZero();
        } finally {
            https.stop(0);
        }
    }

    /** A loopback server whose answers a test writes byte by byte, one script for every request. */
    private static final class ScriptedServer implements AutoCloseable {
        interface Script {
            /**
             * Writes the answer to request {@code request} (0-based) of connection {@code connection}; returns whether
             * to read another request on the same connection.
             */
            boolean answer(int connection, int request, String head, OutputStream out) throws IOException;
        }

        private final ServerSocket listener;
        private final Script script;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger requests = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();

        private ScriptedServer(ServerSocket listener, Script script) {
            this.listener = listener;
            this.script = script;
        }

        static ScriptedServer start(Script script) throws IOException {
            ServerSocket l = new ServerSocket();
            l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ScriptedServer s = new ScriptedServer(l, script);
            s.threads.execute(s::accept);
            return s;
        }

        static void write(OutputStream out, String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        int port() {
            return listener.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        int requests() {
            return requests.get();
        }

        List<String> heads() {
            return List.copyOf(heads);
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    int n = connections.getAndIncrement();
                    threads.execute(() -> serve(s, n));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket, int connection) {
            try (socket) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                for (int request = 0; ; request++) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    heads.add(head);
                    requests.incrementAndGet();
                    if (!script.answer(connection, request, head, socket.getOutputStream())) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client hung up
            }
        }

        /** The request head through its empty line, or null when the connection closed first. */
        private static String readHead(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                sb.append((char) c);
                if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                    return sb.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            listener.close();
            threads.shutdownNow();
        }
    }
}
