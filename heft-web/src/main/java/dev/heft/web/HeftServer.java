package dev.heft.web;

import dev.heft.core.api.Heft;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code heft serve}: the page and the JSON API on one port.
 *
 * <p>Served by {@link HttpFront}, heft's own small HTTP/1.1 server, through the JDK's {@code com.sun.net.httpserver}
 * handler and filter API: every request is a short CPU-bound engine call over a small body, start-up stays in
 * milliseconds, and the CLI jar gains no dependency. Limits ({@link ServerLimits}): a deadline on request heads and
 * bodies, virtual threads per connection with a cap on connections, a bounded number of requests computing and
 * waiting, a bound on body bytes held at once, capped bodies per path, and a loopback bind unless the caller names
 * another host.
 */
public final class HeftServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    private final HttpFront front;

    private HeftServer(HttpFront front) {
        this.front = front;
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one; see {@link #port()}): catalog ids and inline configs
     * only, no Hub repos.
     */
    public static HeftServer start(String host, int port, ServerLimits limits) throws IOException {
        return start(
                host, port, limits, Heft.builder().allow(false, false, false).build());
    }

    /**
     * Starts serving with {@code heft}'s settings (its extra devices, and whether requests may name Hub repos: build it
     * with {@code allow(false, hub, false)}; a request reaches {@link Heft#open} only with an {@code hf://} argument).
     */
    public static HeftServer start(String host, int port, ServerLimits limits, Heft heft) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        HostCheck hostCheck = new HostCheck(address);
        HubModels hubModels = new HubModels(heft);
        List<HttpFront.Route> routes = List.of(
                new HttpFront.Route("/api/", new ApiHandler(limits, heft, hubModels), List.of(hostCheck)),
                new HttpFront.Route("/", new StaticHandler(), List.of(hostCheck)));
        // Only the header upload takes a large body; every other request is a small JSON object (or nothing).
        HttpFront front = HttpFront.start(
                address,
                limits,
                routes,
                path -> path.equals(ApiHandler.INSPECT_HEADER) ? limits.maxHeaderBytes() : limits.maxJsonBytes(),
                new HeavyRequests(heft.allowsHub(), hubModels::isHeld));
        return new HeftServer(front);
    }

    public static HeftServer start(String host, int port) throws IOException {
        return start(host, port, ServerLimits.defaults());
    }

    public int port() {
        return front.address().getPort();
    }

    public String url() {
        String host = front.address().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    @Override
    public void close() {
        front.close();
    }
}
