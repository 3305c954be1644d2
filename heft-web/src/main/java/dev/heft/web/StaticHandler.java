package dev.heft.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The page: a fixed set of files bundled in the jar (no CDN, nothing fetched from the internet). Only the names in
 * {@link #FILES} are served, so no request path ever reaches the filesystem or the classpath beyond them.
 */
final class StaticHandler implements HttpHandler {
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/api.js", "api.js",
            "/format.js", "format.js",
            "/ui.js", "ui.js",
            "/app.css", "app.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    /** Everything the page uses comes from this server; inline scripts and other origins are refused. */
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> content;

    StaticHandler() throws IOException {
        Map<String, byte[]> c = new java.util.HashMap<>();
        for (String file : FILES.values()) {
            try (InputStream in = StaticHandler.class.getResourceAsStream("static/" + file)) {
                if (in == null) {
                    throw new IOException("static/" + file + " is missing from the heft-web jar");
                }
                c.put(file, in.readAllBytes());
            }
        }
        content = Map.copyOf(c);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String file = FILES.get(ex.getRequestURI().getPath());
            if (file == null) {
                Responses.error(ex, 404, "no such page: " + ex.getRequestURI().getPath(), Map.of());
                return;
            }
            String m = ex.getRequestMethod();
            if (!m.equals("GET") && !m.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                Responses.error(ex, 405, "method " + m + " not allowed here; use GET", Map.of());
                return;
            }
            ex.getResponseHeaders().set("Content-Security-Policy", CSP);
            ex.getResponseHeaders().set("X-Frame-Options", "DENY");
            Responses.send(ex, 200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), content.get(file));
        }
    }
}
