package dev.heft.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Defends a loopback server against DNS rebinding: a web page on {@code evil.example} that re-points its name at
 * 127.0.0.1 would otherwise be same-origin with heft and could read its answers. While bound to loopback, only
 * requests whose {@code Host} names loopback are served (403 otherwise). A server bound to another address was
 * exposed on purpose, and its users reach it by whatever name their network gives it, so no check applies.
 */
final class HostCheck extends Filter {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private final boolean loopback;

    HostCheck(InetSocketAddress bound) {
        this.loopback = bound.getAddress() != null && bound.getAddress().isLoopbackAddress();
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        if (loopback && !allowed(ex.getRequestHeaders().getFirst("Host"))) {
            try (ex) {
                Responses.error(ex, 403, "Host header must name this machine's loopback address (localhost, "
                        + "127.0.0.1 or [::1])", Map.of());
            }
            return;
        }
        chain.doFilter(ex);
    }

    static boolean allowed(String host) {
        if (host == null) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        // Strip the port: "[::1]:8080" -> "[::1]", "localhost:8080" -> "localhost".
        int colon = h.lastIndexOf(':');
        if (colon > 0 && h.indexOf(']') < colon && (h.startsWith("[") || h.indexOf(':') == colon)) {
            h = h.substring(0, colon);
        }
        return LOOPBACK_NAMES.contains(h);
    }

    @Override
    public String description() {
        return "loopback Host check (DNS rebinding)";
    }
}
