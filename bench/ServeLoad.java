import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator of bench/serve-load.sh (issues 12 and 16), one file run by the JDK's source launcher
 * ({@code java bench/ServeLoad.java PORT SECONDS CONNECTIONS LORIS [PACE_MS [ABUSE [BIG]]]}), JDK classes only.
 *
 * <ul>
 *   <li>CONNECTIONS keep-alive connections, one virtual thread each, send POST /api/estimate (llama-3-8b, context 8192)
 *       back to back for SECONDS (closed loop: their latency is then mostly queueing behind each other, about
 *       CONNECTIONS / throughput), or each one request every PACE_MS when it is given and not 0: the load.</li>
 *   <li>One probe connection sends the same request every 50 ms: the "concurrent /api/estimate stream" whose p99
 *       issue 16 bounds, measured while the load and the abuse run.</li>
 *   <li>LORIS connections each send a request head one byte a second and never finish it; when the server cuts one
 *       (its header deadline) it reconnects at once. The count of cuts shows the deadline working.</li>
 *   <li>ABUSE connections go round {@link #CASES}: the other endpoints (catalog, memory, fit, the page, OpenAPI) and
 *       hostile requests (oversized and malformed bodies, wrong content types, spoofed Host headers, encoded traversal,
 *       hostile and large header uploads to /api/inspect-header), each checked for its expected status. A 503 with
 *       Retry-After (a full lane or memory reservation) is counted apart as "busy", not as an error.</li>
 *   <li>BIG connections upload a 94 MB safetensors header of 900,000 tensors (the largest shape of header the server
 *       accepts, about 600 MB of objects while it parses) again and again, with {@code Expect: 100-continue} so that a
 *       refusal comes before the body: 200 or 503 are right. They load the heavy lane and the heap bound.</li>
 * </ul>
 *
 * <p>Cheap on purpose, since it shares the cores with the server: answers are parsed from a reused buffer per
 * connection without building strings, and the body is checked by a byte search. Its own CPU time is printed
 * ({@code client_cpu_ms}) so the reader can weigh the server's figures. Prints {@code key=value} lines.
 */
public class ServeLoad {
    static final byte[] BODY = "{\"model\":\"llama-3-8b\",\"context\":8192}".getBytes(StandardCharsets.US_ASCII);
    static final byte[] REQUEST = request("POST", "/api/estimate", "127.0.0.1", "application/json", BODY);
    static final byte[] EXPECTED = "\"parameters\":8030261248".getBytes(StandardCharsets.US_ASCII);

    static final AtomicLong errors = new AtomicLong();
    static final AtomicLong reconnects = new AtomicLong();
    static final AtomicLong lorisCut = new AtomicLong();
    static final LongAdder abuseRequests = new LongAdder();
    static final LongAdder abuseBusy = new LongAdder();
    static final Map<String, LongAdder> abuseByCase = new ConcurrentHashMap<>();
    static final Map<Integer, LongAdder> bigByStatus = new ConcurrentHashMap<>();
    static final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();

    /** One hostile or other-endpoint request and the statuses that are right for it. */
    record Case(String name, byte[] request, int... expected) {
        boolean accepts(int status) {
            for (int e : expected) {
                if (e == status) {
                    return true;
                }
            }
            return false;
        }
    }

    static final List<Case> CASES = cases();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        int connections = Integer.parseInt(args[2]);
        int loris = Integer.parseInt(args[3]);
        long pace = args.length > 4 ? Long.parseLong(args[4]) : 0;
        int abuse = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        int big = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        long cpu0 = cpuNanos();
        long end = System.nanoTime() + seconds * 1_000_000_000L;

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loris; i++) {
            threads.add(Thread.ofVirtual().start(() -> loris(port, end)));
        }
        for (int i = 0; i < abuse; i++) {
            int first = i;
            threads.add(Thread.ofVirtual().start(() -> abuse(port, end, first)));
        }
        for (int i = 0; i < big; i++) {
            threads.add(Thread.ofVirtual().start(() -> big(port, end)));
        }
        List<LatencyLog> logs = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            LatencyLog log = new LatencyLog();
            logs.add(log);
            threads.add(Thread.ofVirtual().start(() -> client(port, end, pace, log)));
        }
        LatencyLog probe = new LatencyLog();
        threads.add(Thread.ofPlatform().start(() -> client(port, end, 50, probe)));
        for (Thread t : threads) {
            t.join();
        }
        long cpu = cpuNanos() - cpu0;
        long[] load = logs.stream().map(LatencyLog::toArray).flatMapToLong(Arrays::stream).sorted().toArray();
        long[] probes = probe.toArray();
        Arrays.sort(probes);
        System.out.println("load_requests=" + load.length);
        System.out.println("load_rps=" + String.format("%.1f", load.length / (double) seconds));
        System.out.println("load_p50_ms=" + ms(pct(load, 50)));
        System.out.println("load_p99_ms=" + ms(pct(load, 99)));
        System.out.println("load_max_ms=" + ms(load.length == 0 ? 0 : load[load.length - 1]));
        System.out.println("probe_requests=" + probes.length);
        System.out.println("probe_p50_ms=" + ms(pct(probes, 50)));
        System.out.println("probe_p99_ms=" + ms(pct(probes, 99)));
        System.out.println("probe_max_ms=" + ms(probes.length == 0 ? 0 : probes[probes.length - 1]));
        System.out.println("errors=" + errors.get());
        System.out.println("reconnects=" + reconnects.get());
        System.out.println("loris_connections=" + loris);
        System.out.println("loris_cut_by_server=" + lorisCut.get());
        System.out.println("abuse_connections=" + abuse);
        System.out.println("abuse_requests=" + abuseRequests.sum());
        System.out.println("abuse_busy_503=" + abuseBusy.sum());
        new TreeMap<>(abuseByCase).forEach((k, v) -> System.out.println("abuse_case=" + k + " " + v.sum()));
        System.out.println("big_connections=" + big);
        new TreeMap<>(bigByStatus).forEach((k, v) -> System.out.println("big_status=" + k + " " + v.sum()));
        System.out.println("client_cpu_ms=" + cpu / 1_000_000);
        for (String e : firstErrors) {
            System.out.println("error_sample=" + e);
        }
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static byte[] request(String method, String target, String host, String type, byte[] body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (type == null ? "" : "Content-Type: " + type + "\r\n")
                + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return h;
        }
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The abuse round: every other endpoint once, then every hostile request the issue lists. */
    static List<Case> cases() {
        String h = "127.0.0.1";
        List<Case> c = new ArrayList<>();
        c.add(new Case("catalog", request("GET", "/api/catalog", h, null, null), 200));
        c.add(new Case("page", request("GET", "/", h, null, null), 200));
        c.add(new Case("app.js", request("GET", "/app.js", h, null, null), 200));
        c.add(new Case("openapi", request("GET", "/api/openapi.json", h, null, null), 200));
        c.add(new Case("memory", request("POST", "/api/memory", h, "application/json",
                json("{\"model\":\"llama-3-8b\",\"dtype\":\"q4_k_m\"}")), 200));
        c.add(new Case("fit", request("POST", "/api/fit", h, "application/json", json("{\"model\":\"llama-3-8b\"}")),
                200));
        c.add(new Case("estimate-get", request("GET", "/api/estimate?model=llama-3-8b", h, null, null), 200));
        c.add(new Case("oversized-body", ("POST /api/estimate HTTP/1.1\r\nHost: " + h
                + "\r\nContent-Type: application/json\r\nContent-Length: 200000000\r\n\r\n{")
                .getBytes(StandardCharsets.ISO_8859_1), 413));
        c.add(new Case("malformed-json", request("POST", "/api/estimate", h, "application/json",
                json("{\"model\":\"llama-3-8b\",")), 400));
        c.add(new Case("wrong-type", request("POST", "/api/estimate", h, "text/plain", BODY), 415));
        c.add(new Case("unknown-model", request("POST", "/api/estimate", h, "application/json",
                json("{\"model\":\"../../etc/passwd\"}")), 400));
        c.add(new Case("spoofed-host", request("GET", "/api/catalog", h + ":8080@evil.example", null, null), 403));
        c.add(new Case("two-hosts", ("GET /api/catalog HTTP/1.1\r\nHost: " + h + "\r\nHost: evil.example\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), 400));
        c.add(new Case("traversal", request("GET", "/%2e%2e/%2e%2e/etc/passwd", h, null, null), 400, 404));
        c.add(new Case("traversal-double", request("GET", "/%252e%252e/%252e%252e/etc/passwd", h, null, null), 400,
                404));
        c.add(new Case("traversal-backslash", request("GET", "/%2E%2E%5C%2E%2E%5Cpom.xml", h, null, null), 400, 404));
        c.add(new Case("upload-overflow", request("POST", "/api/inspect-header?name=x.safetensors&size="
                + Long.MAX_VALUE, h, "application/octet-stream", overflowingHeader()), 400, 503));
        c.add(new Case("upload-garbage", request("POST", "/api/inspect-header?name=x.safetensors", h,
                "application/octet-stream", garbageHeader()), 400, 503));
        c.add(new Case("upload-wrong-type", request("POST", "/api/inspect-header?name=x.safetensors", h,
                "application/json", json("{}")), 415, 503));
        byte[] large = largeHeader(LARGE_TENSORS);
        c.add(new Case("upload-large", request("POST", "/api/inspect-header?name=large.safetensors&size="
                + (large.length + LARGE_TENSORS * 2L * 64 * 64), h, "application/octet-stream", large), 200, 503));
        return List.copyOf(c);
    }

    /** A safetensors header whose one U8 tensor fills a declared file of 2^63 - 1 bytes (issue 16: once a 500). */
    static byte[] overflowingHeader() {
        long size = Long.MAX_VALUE;
        String json = "";
        int padded = 0;
        for (int i = 0; i < 3; i++) {
            long n = size - 8 - padded;
            json = "{\"w\":{\"dtype\":\"U8\",\"shape\":[" + n + "],\"data_offsets\":[0," + n + "]}}";
            padded = (json.length() + 7) / 8 * 8;
        }
        return safetensors(json, padded);
    }

    /** A header length of 2^62 followed by bytes that are not JSON. */
    static byte[] garbageHeader() {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1L << 62);
        while (b.hasRemaining()) {
            b.put((byte) '{');
        }
        return b.array();
    }

    /** About 2 MB of header: a few hundred ms of parsing, enough to keep the heavy lane busy. */
    static final int LARGE_TENSORS = 20_000;

    /** A well-formed safetensors header of {@code tensors} F16 tensors (about 100 bytes each): heavy-lane work. */
    static byte[] largeHeader(int tensors) {
        StringBuilder sb = new StringBuilder("{");
        long off = 0;
        for (int i = 0; i < tensors; i++) {
            long n = 64 * 64;
            sb.append(i == 0 ? "" : ",").append("\"model.layers.").append(i / 8).append(".w").append(i % 8)
                    .append(".weight\":{\"dtype\":\"F16\",\"shape\":[64,64],\"data_offsets\":[").append(off).append(',')
                    .append(off + 2 * n).append("]}");
            off += 2 * n;
        }
        sb.append('}');
        return safetensors(sb.toString(), (sb.length() + 7) / 8 * 8);
    }

    static byte[] safetensors(String json, int padded) {
        ByteBuffer file = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(padded).put(json.getBytes(StandardCharsets.UTF_8));
        while (file.hasRemaining()) {
            file.put((byte) ' ');
        }
        return file.array();
    }

    /** Latencies in nanoseconds, appended by one thread. */
    static final class LatencyLog {
        long[] values = new long[1024];
        int n;

        void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, n);
        }
    }

    static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String ms(long nanos) {
        return String.format("%.2f", nanos / 1e6);
    }

    static void error(String what) {
        errors.incrementAndGet();
        if (firstErrors.size() < 5) {
            firstErrors.add(what.replaceAll("\\p{Cntrl}", " "));
        }
    }

    /** Sends the request back to back (or every {@code everyMillis}) until {@code end}, logging each latency. */
    static void client(int port, long end, long everyMillis, LatencyLog log) {
        Conn conn = null;
        while (System.nanoTime() < end) {
            try {
                if (conn == null) {
                    conn = new Conn(port);
                }
                long start = System.nanoTime();
                conn.send(REQUEST);
                int status = conn.readAnswer();
                long took = System.nanoTime() - start;
                if (status != 200 || !conn.bodyContains(EXPECTED)) {
                    error("status " + status + ": " + conn.bodyText(200));
                } else {
                    log.add(took);
                }
                if (conn.close) {
                    conn.close();
                    conn = null;
                    reconnects.incrementAndGet();
                }
                if (everyMillis > 0) {
                    Thread.sleep(Math.max(0, everyMillis - took / 1_000_000));
                }
            } catch (IOException e) {
                error(e.toString());
                if (conn != null) {
                    conn.close();
                }
                conn = null;
                reconnects.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
        if (conn != null) {
            conn.close();
        }
    }

    /** Goes round {@link #CASES} from {@code first} until {@code end}, a new connection for each. */
    static void abuse(int port, long end, int first) {
        for (int i = first; System.nanoTime() < end; i++) {
            Case c = CASES.get(i % CASES.size());
            try (Conn conn = new Conn(port)) {
                conn.send(c.request());
                int status = conn.readAnswer();
                abuseRequests.increment();
                abuseByCase.computeIfAbsent(c.name() + ":" + status, k -> new LongAdder()).increment();
                if (status == 503 && conn.retryAfter) {
                    abuseBusy.increment();
                }
                if (!c.accepts(status)) {
                    error(c.name() + ": status " + status + ": " + conn.bodyText(200));
                } else if (status >= 400 && !conn.bodyContains(json("\"status\":" + status))) {
                    error(c.name() + ": not heft's JSON error: " + conn.bodyText(200));
                }
            } catch (IOException e) {
                error(c.name() + ": " + e);
            }
        }
    }

    static final int BIG_TENSORS = 900_000;

    /** Uploads the big header until {@code end}; a new connection each time (the server closes after a refusal). */
    static void big(int port, long end) {
        byte[] body = BigHeader.BYTES;
        byte[] head = ("POST /api/inspect-header?name=big.safetensors&size=" + (body.length + BIG_TENSORS * 2L * 64 * 64)
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + body.length + "\r\nExpect: 100-continue\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        while (System.nanoTime() < end) {
            try (Conn conn = new Conn(port)) {
                conn.socket.setSoTimeout(300_000);
                conn.send(head);
                int status = conn.readAnswer();
                if (status == 100) {
                    conn.send(body);
                    status = conn.readAnswer();
                }
                bigByStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
                if (status != 200 && status != 503) {
                    error("big upload: status " + status + ": " + conn.bodyText(200));
                } else if (status == 503) {
                    Thread.sleep(1000);
                }
            } catch (IOException e) {
                error("big upload: " + e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Built once, on first use, for all BIG connections. */
    static final class BigHeader {
        static final byte[] BYTES = largeHeader(BIG_TENSORS);
    }

    /** A slow-loris client: a request head trickled one byte a second, never finished; reconnects when cut. */
    static void loris(int port, long end) {
        byte[] head = "GET /api/catalog HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                for (int i = 0; System.nanoTime() < end; i++) {
                    out.write(i < head.length ? head[i] : 'a');
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (IOException e) {
                lorisCut.incrementAndGet(); // the server closed it: its header deadline
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A keep-alive connection with one reused receive buffer; answers are parsed in place. */
    static final class Conn implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        byte[] buf = new byte[16 << 10];
        int pos;
        int lim;
        int bodyStart;
        int bodyEnd;
        boolean close;
        boolean retryAfter;

        Conn(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(byte[] request) throws IOException {
            out.write(request);
        }

        /** Reads one answer (head and Content-Length body) and returns its status. */
        int readAnswer() throws IOException {
            // Keep what a previous read brought beyond the last answer (none with one request in flight).
            if (pos < lim) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
            }
            lim -= pos;
            pos = 0;
            int headEnd;
            while ((headEnd = indexOf(buf, 0, lim, CRLFCRLF)) < 0) {
                fill();
            }
            int status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
            if (status < 200) { // 100 Continue: a head alone
                bodyStart = bodyEnd = pos = headEnd + 4;
                return status;
            }
            long length = -1;
            close = false;
            retryAfter = false;
            int line = indexOf(buf, 0, headEnd, CRLF) + 2;
            while (line < headEnd) {
                int eol = indexOf(buf, line, headEnd + 2, CRLF);
                if (startsWithIgnoreCase(line, "content-length:")) {
                    length = Long.parseLong(new String(buf, line + 15, eol - line - 15, StandardCharsets.US_ASCII)
                            .strip());
                } else if (startsWithIgnoreCase(line, "connection: close")) {
                    close = true;
                } else if (startsWithIgnoreCase(line, "retry-after:")) {
                    retryAfter = true;
                }
                line = eol + 2;
            }
            if (length < 0) {
                throw new IOException("answer without Content-Length");
            }
            bodyStart = headEnd + 4;
            bodyEnd = (int) (bodyStart + length);
            if (bodyEnd > buf.length) {
                buf = Arrays.copyOf(buf, bodyEnd);
            }
            while (lim < bodyEnd) {
                fill();
            }
            pos = bodyEnd;
            return status;
        }

        private void fill() throws IOException {
            if (lim == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                throw new IOException("connection closed before a whole answer");
            }
            lim += r;
        }

        private boolean startsWithIgnoreCase(int at, String prefix) {
            if (at + prefix.length() > lim) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (Character.toLowerCase((char) buf[at + i]) != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        boolean bodyContains(byte[] what) {
            return indexOf(buf, bodyStart, bodyEnd, what) >= 0;
        }

        String bodyText(int max) {
            return new String(buf, bodyStart, Math.min(max, Math.max(0, bodyEnd - bodyStart)), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};

    static int indexOf(byte[] a, int from, int to, byte[] what) {
        outer:
        for (int i = from; i + what.length <= to; i++) {
            for (int j = 0; j < what.length; j++) {
                if (a[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
