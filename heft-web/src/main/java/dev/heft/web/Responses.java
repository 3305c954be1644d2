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
    private Responses() {}

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(
                ex,
                status,
                "application/json; charset=utf-8",
                JsonWriter.writeCompact(body).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A whole error response as bytes, for refusals made before there is an exchange (a malformed request head, a body
     * too large or too slow): the same JSON shape and headers as {@link #error}, and {@code Connection: close}.
     */
    static byte[] rawError(int status, String message) {
        return rawError(status, message, 0);
    }

    /** As {@link #rawError(int, String)}, with {@code Retry-After} when {@code retryAfterSeconds > 0} (a full lane). */
    static byte[] rawError(int status, String message, int retryAfterSeconds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error", message);
        json.put("status", status);
        byte[] body = JsonWriter.writeCompact(json).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(FrontExchange.reason(status))
                .append("\r\nContent-Type: application/json; charset=utf-8\r\n");
        SAFETY.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (retryAfterSeconds > 0) {
            head.append("Retry-After: ").append(retryAfterSeconds).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    static void error(HttpExchange ex, int status, String message, Map<String, Object> extra) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "error" : message);
        body.put("status", status);
        body.putAll(extra);
        json(ex, status, body);
    }

    /** Sent with every response, the server's own refusals included. */
    private static final Map<String, String> SAFETY =
            Map.of("X-Content-Type-Options", "nosniff", "Cache-Control", "no-store", "Referrer-Policy", "no-referrer");

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", contentType);
        SAFETY.forEach(h::set);
        if (status == 405) {
            String p = ex.getRequestURI().getPath();
            h.set(
                    "Allow",
                    p.equals(ApiHandler.INSPECT_HEADER) ? "POST" : p.equals(ApiHandler.OPENAPI) ? "GET" : "GET, POST");
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
