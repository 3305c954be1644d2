package dev.heft.core.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process HTTP/1.1 server on loopback that misbehaves on purpose, for the tests of heft's remote readers (the
 * Hub, any URL: issue 16, item 3). Each {@link Behaviour} is one way a server can attack or break a client. It answers
 * every request the same way, counts the requests and the body bytes it managed to send ({@link #bytesSent()}, so a
 * test can assert that the client "read at most what is needed and stopped"), and never runs out of data: the endless
 * bodies are generated, not stored.
 *
 * <p>The pattern a remote reader's test follows ({@link HostileServerContract} is it, ready to extend):
 * <pre>{@code
 * try (HostileHttpServer server = HostileHttpServer.start(Behaviour.IGNORES_RANGE)) {
 *     assertThatThrownBy(() -> reader.read(server.uri("/model.safetensors")))   // within a deadline
 *             .isInstanceOf(HeftException.class);                                 // typed, one line
 *     assertThat(server.bytesSent()).isLessThan(64L << 20);                       // stopped reading
 * }
 * }</pre>
 */
public final class HostileHttpServer implements AutoCloseable {
    /** How the server misbehaves. */
    public enum Behaviour {
        /** 200 with a Content-Length of 1 GiB, then 16 bytes and a closed connection. */
        LYING_CONTENT_LENGTH,
        /** 206 whose Content-Range names bytes other than those asked for (and a total of 2^63 - 1). */
        LYING_CONTENT_RANGE,
        /** 200 with an endless body to a Range request: the whole "file", never the range. */
        IGNORES_RANGE,
        /** 302 to the same path, forever. */
        REDIRECT_LOOP,
        /** 302 to {@code file:///etc/passwd}. */
        REDIRECT_TO_FILE,
        /** 302 to {@code jar:file:///tmp/x.jar!/model.safetensors}. */
        REDIRECT_TO_JAR,
        /** 200, application/json, an endless array of tree entries (a Hub listing of gigabytes). */
        ENDLESS_JSON,
        /** 206 for exactly the range asked for (200 without one), then one byte per second. */
        TRICKLE,
        /** 206 whose first 8 bytes, a safetensors header length, say 2^63 - 1. */
        HEADER_LENGTH_2_63,
        /** A status line, then response header lines without end (a header block of gigabytes). */
        HUGE_HEADERS
    }

    private final Behaviour behaviour;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();

    private HostileHttpServer(Behaviour behaviour, ServerSocket listener) {
        this.behaviour = behaviour;
        this.listener = listener;
    }

    public static HostileHttpServer start(Behaviour behaviour) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        HostileHttpServer server = new HostileHttpServer(behaviour, listener);
        server.threads.execute(server::acceptLoop);
        return server;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + path);
    }

    /** Requests received so far (a redirect loop's count shows how many hops the client followed). */
    public int requests() {
        return requests.get();
    }

    /** Body bytes written to clients so far. */
    public long bytesSent() {
        return sent.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                threads.execute(() -> answer(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String[] request = readHead(in);
            if (request == null) {
                return;
            }
            String path = request[0];
            requests.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            switch (behaviour) {
                case LYING_CONTENT_LENGTH -> {
                    head(out, "200 OK", "Content-Length: 1073741824\r\nContent-Type: application/octet-stream");
                    body(out, new byte[16]);
                }
                case LYING_CONTENT_RANGE -> {
                    head(
                            out,
                            "206 Partial Content",
                            "Content-Range: bytes 1000-1015/9223372036854775807\r\n" + "Content-Length: 16");
                    body(out, new byte[16]);
                }
                case IGNORES_RANGE -> {
                    head(out, "200 OK", "Content-Type: application/octet-stream");
                    endless(out, new byte[64 * 1024]);
                }
                case REDIRECT_LOOP -> head(out, "302 Found", "Location: " + path + "\r\nContent-Length: 0");
                case REDIRECT_TO_FILE -> head(out, "302 Found", "Location: file:///etc/passwd\r\nContent-Length: 0");
                case REDIRECT_TO_JAR ->
                    head(out, "302 Found", "Location: jar:file:///tmp/x.jar!/model.safetensors\r\nContent-Length: 0");
                case ENDLESS_JSON -> {
                    head(out, "200 OK", "Content-Type: application/json");
                    body(out, "[".getBytes(StandardCharsets.US_ASCII));
                    endless(
                            out,
                            "{\"type\":\"file\",\"path\":\"model.safetensors\",\"size\":1},"
                                    .repeat(1000)
                                    .getBytes(StandardCharsets.US_ASCII));
                }
                case TRICKLE -> {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d+)-(\\d+)")
                            .matcher(request[1]);
                    long length = 1 << 20;
                    if (m.matches()) {
                        long from = Long.parseLong(m.group(1));
                        long to = Long.parseLong(m.group(2));
                        length = to - from + 1;
                        head(
                                out,
                                "206 Partial Content",
                                "Content-Range: bytes " + from + "-" + to + "/1048576\r\n" + "Content-Length: "
                                        + length);
                    } else {
                        head(out, "200 OK", "Content-Length: 1048576\r\nContent-Type: application/octet-stream");
                    }
                    for (long i = 0; i < length; i++) {
                        body(out, new byte[] {'{'});
                        Thread.sleep(1000);
                    }
                }
                case HEADER_LENGTH_2_63 -> {
                    head(out, "206 Partial Content", "Content-Range: bytes 0-15/1024\r\nContent-Length: 16");
                    body(
                            out,
                            ByteBuffer.allocate(16)
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .putLong(Long.MAX_VALUE)
                                    .put("{\"a\":1}".getBytes(StandardCharsets.US_ASCII))
                                    .array());
                }
                case HUGE_HEADERS -> {
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] line = ("X-Padding: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    endless(out, line);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client hung up, which is what a good client does with a bad server
        }
    }

    /** The request target and Range header value ("" without one), or null when the connection closed first. */
    private static String[] readHead(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        String first = null;
        String range = "";
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String l = line.toString().strip();
                if (first == null) {
                    first = l;
                } else if (l.isEmpty()) {
                    String[] parts = first.split(" ");
                    return new String[] {parts.length > 1 ? parts[1] : "/", range};
                } else if (l.regionMatches(true, 0, "Range:", 0, 6)) {
                    range = l.substring(6).strip();
                }
                line.setLength(0);
            } else if (line.length() < 16 * 1024) {
                line.append((char) c);
            }
        }
        return null;
    }

    private static void head(OutputStream out, String status, String headers) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n" + headers + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void body(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        sent.addAndGet(bytes.length);
    }

    private void endless(OutputStream out, byte[] unit) throws IOException {
        while (!listener.isClosed()) {
            body(out, unit);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
