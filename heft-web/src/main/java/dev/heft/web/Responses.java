package dev.heft.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.heft.core.json.JsonWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes responses with the same safety headers everywhere. No {@code Access-Control-Allow-Origin}: CORS stays closed,
 * so another site open in the same browser cannot read a local heft's answers.
 */
final class Responses {
    private Responses() {
    }

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", JsonWriter.writeCompact(body)
                .getBytes(StandardCharsets.UTF_8));
    }

    static void error(HttpExchange ex, int status, String message, Map<String, Object> extra) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "error" : message);
        body.put("status", status);
        body.putAll(extra);
        json(ex, status, body);
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        h.set("Referrer-Policy", "no-referrer");
        if (status == 405) {
            String p = ex.getRequestURI().getPath();
            h.set("Allow", p.equals(ApiHandler.INSPECT_HEADER) ? "POST" : p.equals(ApiHandler.OPENAPI) ? "GET" : "GET, POST");
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
