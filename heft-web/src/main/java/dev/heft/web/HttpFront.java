package dev.heft.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpHandler;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * The HTTP/1.1 server under {@code heft serve}: a small one written for heft's needs, in front of the JDK's
 * {@code com.sun.net.httpserver} handler and filter API. The JDK's own server reads request headers on its worker
 * threads with no deadline of their own (four slow clients held every worker of a 2-core machine for a minute), sizes
 * nothing by memory, and answers malformed requests with HTML pages that name its exception classes. Here:
 * <ul>
 *   <li>each connection is a virtual thread, so a slow client costs a few KiB, not a worker; at most
 *       {@link ServerLimits#maxConnections()} are open (more are answered 503 and closed);</li>
 *   <li>the request head must arrive within {@link ServerLimits#headerTime()} of its first byte and the body within
 *       {@link ServerLimits#requestTime()}: a watchdog closes the connection otherwise (slow-loris, trickled body);</li>
 *   <li>the head is parsed strictly by {@link RequestHead}, and everything malformed gets heft's one-line JSON error;</li>
 *   <li>the body is read before the handler runs, into a buffer that grows as bytes arrive (never sized by the
 *       declared Content-Length), after reserving its declared size from a semaphore on the bytes held at once
 *       ({@link ServerLimits#maxBytesInFlight()} for uploads, {@link ServerLimits#cheapBytesInFlight()} for the
 *       rest); a body over the path's cap is refused before it is read;</li>
 *   <li>two lanes for the work: at most {@link ServerLimits#workers()} cheap requests compute at once on the
 *       connections' own threads, and at most {@link ServerLimits#queue()} wait, each for at most
 *       {@link ServerLimits#queueTime()}; heavy requests ({@link HeavyRule}: header uploads, Hub reads) run on
 *       {@link ServerLimits#heavyWorkers()} platform threads of their own, at most {@link ServerLimits#heavyQueue()}
 *       waiting, so that a cheap request never waits behind a heavy one (a heavy parse holds no cheap worker, and the
 *       operating system shares the cores between the lanes). A full lane answers 503 with {@code Retry-After}.</li>
 * </ul>
 */
final class HttpFront implements AutoCloseable {
    /** A path prefix and what answers it, behind its filters. */
    record Route(String prefix, HttpHandler handler, List<Filter> filters) {}

    /**
     * Which requests go to the heavy lane: some are known from the head alone (a header upload's path: the lane is
     * checked before its body of up to 100 MB is read), others only from the body (a request naming a Hub repo).
     */
    interface HeavyRule {
        boolean byHead(RequestHead head);

        boolean byBody(RequestHead head, byte[] body);

        HeavyRule NONE = new HeavyRule() {
            @Override
            public boolean byHead(RequestHead head) {
                return false;
            }

            @Override
            public boolean byBody(RequestHead head, byte[] body) {
                return false;
            }
        };
    }

    /** Seconds a client is asked to wait ({@code Retry-After}) when a lane is full. */
    static final int RETRY_AFTER_SECONDS = 1;

    private static final int LINGER_MILLIS = 1000;
    private static final long LINGER_BYTES = 8L << 20;

    private final ServerSocket listener;
    private final ServerLimits limits;
    private final List<Route> routes;
    private final ToLongFunction<String> maxBody;
    private final HeavyRule heavyRule;
    private final Semaphore compute;
    /** Permits are heavy requests admitted (running or waiting for a heavy worker). */
    private final Semaphore heavyAdmitted;

    private final ExecutorService heavyWorkers;
    /** Permits are KiB of request body. */
    private final Semaphore bytesInFlight;
    /**
     * Permits are KiB of cheap requests' bodies: a budget apart from the uploads', so that a small JSON body never
     * waits in line behind an upload reserving 100 MB (the semaphores are fair: first come, first served).
     */
    private final Semaphore cheapBytesInFlight;

    private final AtomicInteger connections = new AtomicInteger();
    private final ScheduledThreadPoolExecutor watchdog;
    private final ExecutorService connectionThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("heft-serve-", 0).factory());
    private final Thread acceptor;
    private volatile boolean closed;

    private HttpFront(
            ServerSocket listener,
            ServerLimits limits,
            List<Route> routes,
            ToLongFunction<String> maxBody,
            HeavyRule heavyRule) {
        this.listener = listener;
        this.limits = limits;
        this.routes = List.copyOf(routes);
        this.maxBody = maxBody;
        this.heavyRule = heavyRule;
        this.compute = new Semaphore(limits.workers(), true);
        this.heavyAdmitted = new Semaphore(limits.heavyWorkers() + limits.heavyQueue());
        // Platform threads, not virtual ones: a heavy parse is seconds of CPU, and a virtual thread would hold one of
        // the few carrier threads that every connection shares for all of it. At the lowest priority, so that where the
        // JVM maps priorities to the OS's (./heft serve asks for it: -XX:ThreadPriorityPolicy=1) the cheap requests get
        // the cores first and a parse takes what they leave.
        this.heavyWorkers = Executors.newFixedThreadPool(
                limits.heavyWorkers(),
                Thread.ofPlatform()
                        .name("heft-serve-heavy-", 0)
                        .daemon()
                        .priority(Thread.MIN_PRIORITY)
                        .factory());
        this.bytesInFlight = new Semaphore(kib(limits.maxBytesInFlight()), true);
        this.cheapBytesInFlight = new Semaphore(kib(limits.cheapBytesInFlight()), true);
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "heft-serve-deadlines");
            t.setDaemon(true);
            return t;
        });
        watchdog.setRemoveOnCancelPolicy(true);
        this.acceptor = new Thread(this::acceptLoop, "heft-serve-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code address} and serves {@code routes} (the first whose prefix starts the path answers it).
     *
     * @param maxBody   the largest body a path accepts (the cap is checked before reading, and while reading a chunked
     *                  body)
     * @param heavyRule which requests run in the heavy lane
     */
    static HttpFront start(
            InetSocketAddress address,
            ServerLimits limits,
            List<Route> routes,
            ToLongFunction<String> maxBody,
            HeavyRule heavyRule)
            throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(address, 128);
        HttpFront front = new HttpFront(listener, limits, routes, maxBody, heavyRule);
        front.acceptor.start();
        return front;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (connections.incrementAndGet() > limits.maxConnections()) {
                connections.decrementAndGet();
                refuseAndClose(socket, 503, "too many open connections (" + limits.maxConnections() + ")");
                continue;
            }
            try {
                connectionThreads.execute(() -> serve(socket));
            } catch (RuntimeException e) {
                connections.decrementAndGet();
                refuseAndClose(socket, 503, "the server is shutting down");
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16384);
            InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            while (!closed) {
                socket.setSoTimeout(
                        (int) Math.min(Integer.MAX_VALUE, limits.idleTime().toMillis()));
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException idle) {
                    return;
                }
                if (first < 0) {
                    return;
                }
                socket.setSoTimeout(0); // from here the deadlines are the watchdog's
                if (!exchange(socket, first, in, out, local, remote)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away, or a deadline closed the connection: nothing to answer.
        } finally {
            connections.decrementAndGet();
        }
    }

    /** One request and its response; true when the connection may carry the next request. */
    private boolean exchange(
            Socket socket,
            int first,
            InputStream in,
            OutputStream out,
            InetSocketAddress local,
            InetSocketAddress remote)
            throws IOException {
        RequestHead head;
        ScheduledFuture<?> headerDeadline = closeAfter(socket, limits.headerTime());
        try {
            head = RequestHead.read(first, in);
        } catch (HttpError e) {
            refuse(socket, out, e.status(), e.getMessage());
            return false;
        } finally {
            headerDeadline.cancel(false);
        }
        String path = head.uri().getPath() == null ? "/" : head.uri().getPath();
        long max = maxBody.applyAsLong(path);
        if (head.contentLength() > max) {
            refuse(
                    socket,
                    out,
                    413,
                    "request body of " + head.contentLength() + " bytes is larger than the " + max
                            + " bytes accepted here");
            return false;
        }
        // A heavy request is turned away before its body is read when the heavy lane is full now; its place in the lane
        // is only taken once the body is in (a client trickling an upload holds memory it reserved, never the lane).
        if (heavyRule.byHead(head) && heavyAdmitted.availablePermits() == 0) {
            refuse(socket, out, 503, HEAVY_FULL, RETRY_AFTER_SECONDS);
            return false;
        }
        int reserved = kib(head.chunked() ? max : head.contentLength());
        Semaphore budget = heavyRule.byHead(head) ? bytesInFlight : cheapBytesInFlight;
        if (reserved > 0 && !acquire(budget, reserved)) {
            refuse(
                    socket,
                    out,
                    503,
                    "the server is holding as many request bodies as it may; try again shortly",
                    RETRY_AFTER_SECONDS);
            return false;
        }
        try {
            byte[] body;
            if (head.expectContinue() && head.contentLength() != 0) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            ScheduledFuture<?> bodyDeadline = closeAfter(socket, limits.requestTime());
            try {
                body = head.chunked() ? chunkedBody(in, max) : fixedBody(in, head.contentLength());
            } catch (HttpError e) {
                refuse(socket, out, e.status(), e.getMessage());
                return false;
            } finally {
                bodyDeadline.cancel(false);
            }
            boolean keepAlive = head.keepAlive() && !closed;
            FrontExchange exchange = new FrontExchange(head, body, out, local, remote, !keepAlive);
            if (heavyRule.byHead(head) || heavyRule.byBody(head, body)) {
                if (!heavyAdmitted.tryAcquire()) {
                    refuse(socket, out, 503, HEAVY_FULL, RETRY_AFTER_SECONDS);
                    return false;
                }
                try {
                    if (!runHeavy(socket, out, path, exchange)) {
                        return false;
                    }
                } finally {
                    heavyAdmitted.release();
                }
            } else {
                if (compute.getQueueLength() >= limits.queue() || !acquire(compute, 1)) {
                    refuse(socket, out, 503, "the server is busy; try again shortly", RETRY_AFTER_SECONDS);
                    return false;
                }
                try {
                    if (!handle(socket, out, path, exchange)) {
                        return false;
                    }
                } finally {
                    compute.release();
                }
            }
            exchange.close();
            out.flush();
            return keepAlive && exchange.completed();
        } finally {
            if (reserved > 0) {
                budget.release(reserved);
            }
        }
    }

    private static final String HEAVY_FULL =
            "the server is busy with other uploads or Hub reads; try again shortly (cheap requests are still served)";

    /** Runs the request's handler on a heavy worker, this connection's thread waiting for it. */
    private boolean runHeavy(Socket socket, OutputStream out, String path, FrontExchange exchange) throws IOException {
        java.util.concurrent.Future<Boolean> done = heavyWorkers.submit(() -> handle(socket, out, path, exchange));
        try {
            return done.get();
        } catch (InterruptedException e) {
            done.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            return false;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** The route's filters and handler; false when the connection cannot carry another request. */
    private boolean handle(Socket socket, OutputStream out, String path, FrontExchange exchange) {
        try {
            Route route = route(path);
            new Filter.Chain(route.filters(), route.handler()).doFilter(exchange);
            return true;
        } catch (IOException e) {
            return false;
        } catch (RuntimeException | Error e) {
            // Handlers answer every failure themselves; what reaches here is a bug: one line, no stack trace out.
            System.err.println("heft serve: internal error on " + dev.heft.core.api.render.Printable.of(path) + ": "
                    + dev.heft.core.api.render.Printable.of(e.toString()));
            if (!exchange.responseStarted()) {
                refuse(socket, out, 500, "internal error");
            }
            return false;
        }
    }

    private Route route(String path) {
        for (Route r : routes) {
            if (path.startsWith(r.prefix())) {
                return r;
            }
        }
        throw new IllegalStateException("no route for " + path);
    }

    private boolean acquire(Semaphore s, int permits) {
        try {
            return s.tryAcquire(permits, limits.queueTime().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A body of exactly {@code length} bytes, in a buffer that grows only as they arrive. */
    static byte[] fixedBody(InputStream in, long length) throws IOException {
        byte[] buf = new byte[(int) Math.min(length, 64 * 1024)];
        int n = 0;
        while (n < length) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(length, (long) buf.length * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                throw new EOFException("request body ended after " + n + " of " + length + " bytes");
            }
            n += r;
        }
        return buf;
    }

    /** A chunked body (RFC 9112 section 7.1), refused with 413 once it passes {@code max} bytes. */
    static byte[] chunkedBody(InputStream in, long max) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            String sizeLine = chunkLine(in);
            int semi = sizeLine.indexOf(';');
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new HttpError(400, "malformed chunk size in a chunked body");
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                while (!chunkLine(in).isEmpty()) {
                    // trailer fields are read and ignored
                }
                return out.toByteArray();
            }
            if (size > max - out.size()) {
                throw new HttpError(413, "request body is larger than the " + max + " bytes accepted here");
            }
            out.write(fixedBody(in, size));
            if (!chunkLine(in).isEmpty()) {
                throw new HttpError(400, "a chunk of a chunked body does not end where its size says");
            }
        }
    }

    private static String chunkLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("chunked body ended early");
            }
            if (sb.length() > 1024) {
                throw new HttpError(400, "a chunk size line longer than 1024 bytes");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** Closes {@code socket} unless the returned future is cancelled first. */
    private ScheduledFuture<?> closeAfter(Socket socket, java.time.Duration deadline) {
        return watchdog.schedule(() -> closeQuietly(socket), deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Answers with heft's JSON error and ends the connection, draining what the client still sends. */
    private static void refuse(Socket socket, OutputStream out, int status, String message) {
        refuse(socket, out, status, message, 0);
    }

    /** As {@link #refuse(Socket, OutputStream, int, String)}, asking the client to retry after some seconds (if > 0). */
    private static void refuse(Socket socket, OutputStream out, int status, String message, int retryAfterSeconds) {
        try {
            out.write(Responses.rawError(status, message, retryAfterSeconds));
            out.flush();
            linger(socket);
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private static void refuseAndClose(Socket socket, int status, String message) {
        try (socket) {
            socket.setSoTimeout(LINGER_MILLIS);
            socket.getOutputStream().write(Responses.rawError(status, message));
            socket.getOutputStream().flush();
        } catch (IOException ignored) {
            // nothing more to do for this client
        }
    }

    /**
     * Half-closes, then reads and drops what the client is still sending (a body the server will not read) for up to
     * a second or 8 MiB: closing with unread bytes would reset the connection and lose the answer it was just sent.
     */
    private static void linger(Socket socket) throws IOException {
        socket.shutdownOutput();
        socket.setSoTimeout(LINGER_MILLIS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        byte[] drop = new byte[16 * 1024];
        long dropped = 0;
        try {
            InputStream in = socket.getInputStream();
            int r;
            while (dropped < LINGER_BYTES && System.nanoTime() < deadline && (r = in.read(drop)) >= 0) {
                dropped += r;
            }
        } catch (IOException ignored) {
            // timed out or reset: done either way
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static int kib(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
    }

    /** Stops accepting, interrupts every connection's thread (which closes its socket) and the watchdog. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        connectionThreads.shutdownNow();
        heavyWorkers.shutdownNow();
        watchdog.shutdownNow();
    }
}
