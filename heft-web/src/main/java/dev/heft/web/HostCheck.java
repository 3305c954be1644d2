package dev.heft.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Defends a loopback server against DNS rebinding: a web page on {@code evil.example} that re-points its name at
 * 127.0.0.1 would otherwise be same-origin with heft and could read its answers. While bound to loopback, only
 * requests whose {@code Host} names loopback are served (403 otherwise). A server bound to another address was
 * exposed on purpose, and its users reach it by whatever name their network gives it, so no check applies.
 */
final class HostCheck extends Filter {
    private static final Pattern LOOPBACK = Pattern.compile("(?i)(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?");
    private final boolean loopback;

    HostCheck(InetSocketAddress bound) {
        this.loopback = bound.getAddress() != null && bound.getAddress().isLoopbackAddress();
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        java.util.List<String> hosts = ex.getRequestHeaders().get("Host");
        // One Host only: with two, a proxy and this server could each believe a different one.
        if (loopback && (hosts == null || hosts.size() != 1 || !allowed(hosts.getFirst()))) {
            try (ex) {
                Responses.error(
                        ex,
                        403,
                        "Host header must name this machine's loopback address (localhost, " + "127.0.0.1 or [::1])",
                        Map.of());
            }
            return;
        }
        chain.doFilter(ex);
    }

    /**
     * Exactly {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, with an optional port of 1 to 5 digits, and
     * nothing else: no userinfo ({@code 127.0.0.1:8080@evil.example}), no trailing dot or suffix, no spaces.
     */
    static boolean allowed(String host) {
        return host != null && LOOPBACK.matcher(host).matches();
    }

    @Override
    public String description() {
        return "loopback Host check (DNS rebinding)";
    }
}
