package dev.heft.web;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A request line and its header fields, read strictly (RFC 9112 sections 2-6, RFC 9110 section 5) with hard limits, so
 * that every malformed request gets heft's own one-line JSON answer ({@link HttpError}) and never a server library's
 * page: a request line or field line of at most {@value #MAX_LINE} bytes, at most {@value #MAX_FIELDS} fields and
 * {@value #MAX_HEAD} bytes in all; an origin-form target that parses as a URI; HTTP/1.0 or 1.1; field names that are
 * tokens and values without control characters (no obsolete line folding); exactly one Host in 1.1, at most one in
 * 1.0; one
 * Content-Length of digits, or Transfer-Encoding: chunked, never both.
 *
 * @param contentLength the declared body length, or -1 for a chunked body
 */
record RequestHead(
        String method,
        URI uri,
        String version,
        Headers headers,
        long contentLength,
        boolean keepAlive,
        boolean expectContinue) {
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_FIELDS = 100;
    static final int MAX_HEAD = 32 * 1024;
    /** Longer than any body heft accepts, shorter than overflows: a Content-Length of more digits is refused as such. */
    private static final int MAX_LENGTH_DIGITS = 15;

    boolean chunked() {
        return contentLength < 0;
    }

    /**
     * Reads the head whose first byte, already read, is {@code first}.
     *
     * @throws HttpError  a 4xx/5xx answer for a malformed or unsupported request
     * @throws IOException when the connection fails or ends inside the head
     */
    static RequestHead read(int first, InputStream in) throws IOException {
        int[] budget = {MAX_HEAD};
        String requestLine = line(first, in, budget);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
            throw new HttpError(400, "malformed request line (expected: METHOD /path HTTP/1.1)");
        }
        String version = parts[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpError(505, "HTTP version '" + printable(version) + "' is not supported; use HTTP/1.1");
        }
        if (!parts[1].startsWith("/")) {
            throw new HttpError(400, "the request target must be a path starting with '/'");
        }
        URI uri;
        try {
            uri = new URI(parts[1]);
        } catch (URISyntaxException e) {
            throw new HttpError(400, "malformed request target: not a valid URI path");
        }
        Headers headers = new Headers();
        int fields = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("connection closed inside the request head");
            }
            String field = line(c, in, budget);
            if (field.isEmpty()) {
                break;
            }
            if (++fields > MAX_FIELDS) {
                throw new HttpError(431, "more than " + MAX_FIELDS + " header fields");
            }
            if (field.charAt(0) == ' ' || field.charAt(0) == '\t') {
                throw new HttpError(400, "obsolete line folding in a header field is not accepted");
            }
            int colon = field.indexOf(':');
            if (colon <= 0 || !isToken(field.substring(0, colon))) {
                throw new HttpError(400, "malformed header field (expected: Name: value)");
            }
            String value = field.substring(colon + 1).strip();
            for (int i = 0; i < value.length(); i++) {
                char v = value.charAt(i);
                if (v < 0x20 && v != '\t' || v == 0x7f) {
                    throw new HttpError(400, "control character in header field " + field.substring(0, colon));
                }
            }
            headers.add(field.substring(0, colon), value);
        }
        List<String> hosts = headers.get("Host");
        if (hosts != null && hosts.size() > 1) {
            // Two Host fields let a proxy and a server disagree about which site this is (RFC 9112 section 3.2).
            throw new HttpError(400, "more than one Host header");
        }
        if (hosts == null && version.equals("HTTP/1.1")) {
            throw new HttpError(400, "an HTTP/1.1 request needs a Host header");
        }
        return new RequestHead(
                parts[0],
                uri,
                version,
                headers,
                bodyLength(headers),
                keepAlive(version, headers),
                "100-continue".equalsIgnoreCase(headers.getFirst("Expect")));
    }

    private static long bodyLength(Headers headers) {
        List<String> lengths = headers.get("Content-Length");
        List<String> encodings = headers.get("Transfer-Encoding");
        if (lengths != null && encodings != null) {
            throw new HttpError(400, "both Content-Length and Transfer-Encoding given");
        }
        if (encodings != null) {
            if (encodings.size() != 1 || !encodings.getFirst().equalsIgnoreCase("chunked")) {
                throw new HttpError(501, "Transfer-Encoding other than a single 'chunked' is not supported");
            }
            return -1;
        }
        if (lengths == null) {
            return 0;
        }
        String n = lengths.getFirst();
        if (lengths.size() != 1
                || n.isEmpty()
                || n.length() > MAX_LENGTH_DIGITS
                || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpError(
                    400,
                    "Content-Length must be one non-negative decimal number of at most " + MAX_LENGTH_DIGITS
                            + " digits");
        }
        return Long.parseLong(n);
    }

    private static boolean keepAlive(String version, Headers headers) {
        String connection = headers.getFirst("Connection");
        String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return version.equals("HTTP/1.1") ? !c.contains("close") : c.contains("keep-alive");
    }

    /** One line ending in CRLF (a bare LF is accepted, RFC 9112 section 2.2), without it; ISO-8859-1 as the RFC says. */
    private static String line(int first, InputStream in, int[] budget) throws IOException {
        byte[] buf = new byte[128];
        int n = 0;
        int c = first;
        while (c != '\n') {
            if (c < 0) {
                throw new java.io.EOFException("connection closed inside the request head");
            }
            if (n == MAX_LINE) {
                throw new HttpError(431, "a request or header line longer than " + MAX_LINE + " bytes");
            }
            if (--budget[0] < 0) {
                throw new HttpError(431, "request head longer than " + MAX_HEAD + " bytes");
            }
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            buf[n++] = (byte) c;
            c = in.read();
        }
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\r' || buf[i] == 0) {
                throw new HttpError(400, "a bare CR or NUL in the request head");
            }
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** RFC 9110 section 5.6.2 token. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9'
                    || c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        return s.length() > 20
                ? dev.heft.core.api.render.Printable.of(s.substring(0, 20)) + "..."
                : dev.heft.core.api.render.Printable.of(s);
    }
}
