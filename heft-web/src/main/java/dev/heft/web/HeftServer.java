package dev.heft.web;

import com.sun.net.httpserver.HttpServer;
import dev.heft.core.api.Heft;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code heft serve}: the page and the JSON API on one port.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} rather than Jetty: every request is a short CPU-bound engine
 * call over a small body, so a bounded thread pool is all the concurrency needed, start-up stays in milliseconds, and
 * the CLI jar gains no dependency. Limits: a bounded worker pool and queue, capped bodies ({@link ServerLimits}),
 * request and response timeouts (the JDK server's {@code sun.net.httpserver.maxReqTime}/{@code maxRspTime}), and a
 * loopback bind unless the caller names another host.
 */
public final class HeftServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    private final HttpServer server;
    private final ThreadPoolExecutor workers;

    private HeftServer(HttpServer server, ThreadPoolExecutor workers) {
        this.server = server;
        this.workers = workers;
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one; see {@link #port()}): catalog ids and inline configs
     * only, no Hub repos.
     */
    public static HeftServer start(String host, int port, ServerLimits limits) throws IOException {
        return start(host, port, limits, Heft.builder().allow(false, false, false).build());
    }

    /**
     * Starts serving with {@code heft}'s settings (its extra devices, and whether requests may name Hub repos: build it
     * with {@code allow(false, hub, false)}; a request reaches {@link Heft#open} only with an {@code hf://} argument).
     */
    public static HeftServer start(String host, int port, ServerLimits limits, Heft heft) throws IOException {
        // Read once by the JDK server when its first instance is made; set only if the user has not chosen otherwise.
        String seconds = String.valueOf(Math.max(1, limits.requestTime().toSeconds()));
        System.setProperty("sun.net.httpserver.maxReqTime",
                System.getProperty("sun.net.httpserver.maxReqTime", seconds));
        System.setProperty("sun.net.httpserver.maxRspTime",
                System.getProperty("sun.net.httpserver.maxRspTime", seconds));
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limits.workers(), limits.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, limits.queue())), r -> {
                    Thread t = new Thread(r, "heft-serve-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                // Queue full: the accepting thread runs the request itself and so stops accepting until it is done.
                new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(pool);
        HostCheck hostCheck = new HostCheck(server.getAddress());
        server.createContext("/api/", new ApiHandler(limits, heft)).getFilters().add(hostCheck);
        server.createContext("/", new StaticHandler()).getFilters().add(hostCheck);
        server.start();
        return new HeftServer(server, pool);
    }

    public static HeftServer start(String host, int port) throws IOException {
        return start(host, port, ServerLimits.defaults());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        String host = server.getAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
