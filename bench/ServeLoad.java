import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of bench/serve-load.sh (issue 16, item 5), one file run by the JDK's source launcher
 * ({@code java bench/ServeLoad.java PORT SECONDS CONNECTIONS LORIS [PACE_MS]}), JDK classes only.
 *
 * <ul>
 *   <li>CONNECTIONS keep-alive connections, one virtual thread each, send POST /api/estimate (llama-3-8b, context 8192)
 *       back to back for SECONDS (closed loop: their latency is then mostly queueing behind each other), or each one
 *       request every PACE_MS when it is given: the load.</li>
 *   <li>One probe connection sends the same request every 50 ms: the "concurrent /api/estimate stream" whose p99 the
 *       issue bounds, measured while the load and the slow-loris clients run.</li>
 *   <li>LORIS connections each send a request head one byte a second and never finish it; when the server cuts one
 *       (its header deadline) it reconnects at once. The count of cuts shows the deadline working.</li>
 * </ul>
 * Every answer must be a 200 whose body holds the llama-3-8b parameter count; anything else is an error. Prints
 * {@code key=value} lines for the script.
 */
public class ServeLoad {
    static final byte[] BODY = "{\"model\":\"llama-3-8b\",\"context\":8192}".getBytes(StandardCharsets.US_ASCII);
    static final byte[] REQUEST = ("POST /api/estimate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + BODY.length + "\r\n\r\n" + new String(BODY, StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);
    static final String EXPECTED = "\"parameters\":8030261248";

    static final AtomicLong errors = new AtomicLong();
    static final AtomicLong reconnects = new AtomicLong();
    static final AtomicLong lorisCut = new AtomicLong();
    static final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        int connections = Integer.parseInt(args[2]);
        int loris = Integer.parseInt(args[3]);
        long pace = args.length > 4 ? Long.parseLong(args[4]) : 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;

        List<long[]> loadLatencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loris; i++) {
            threads.add(Thread.ofVirtual().start(() -> loris(port, end)));
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
        for (LatencyLog l : logs) {
            loadLatencies.add(l.toArray());
        }
        long[] load = loadLatencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
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
        for (String e : firstErrors) {
            System.out.println("error_sample=" + e);
        }
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
        Socket socket = null;
        InputStream in = null;
        while (System.nanoTime() < end) {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.setSoTimeout(30_000);
                    socket.setTcpNoDelay(true);
                    in = new BufferedInputStream(socket.getInputStream(), 16 << 10);
                }
                long start = System.nanoTime();
                socket.getOutputStream().write(REQUEST);
                Response r = Response.read(in);
                long took = System.nanoTime() - start;
                if (r.status != 200 || !r.body.contains(EXPECTED)) {
                    error("status " + r.status + ": " + r.body.substring(0, Math.min(200, r.body.length())));
                } else {
                    log.add(took);
                }
                if (r.close) {
                    socket.close();
                    socket = null;
                    reconnects.incrementAndGet();
                }
                if (everyMillis > 0) {
                    Thread.sleep(Math.max(0, everyMillis - took / 1_000_000));
                }
            } catch (IOException e) {
                error(e.toString());
                close(socket);
                socket = null;
                reconnects.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
        close(socket);
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

    record Response(int status, String body, boolean close) {
        /** Reads one answer from {@code in}, a buffered stream kept for the connection's life. */
        static Response read(InputStream in) throws IOException {
            String status = line(in);
            if (status == null) {
                throw new IOException("connection closed before an answer");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean close = false;
            for (String l; (l = line(in)) != null && !l.isEmpty(); ) {
                int colon = l.indexOf(':');
                String name = l.substring(0, Math.max(0, colon)).trim();
                String value = l.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    close = true;
                }
            }
            if (length < 0) {
                throw new IOException("answer without Content-Length");
            }
            return new Response(code, new String(in.readNBytes((int) length), StandardCharsets.UTF_8), close);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    return sb.toString().strip();
                }
                sb.append((char) c);
            }
            return sb.isEmpty() ? null : sb.toString();
        }
    }

    static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
