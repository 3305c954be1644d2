package dev.heft.core.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/1.1 wire format as heft speaks it (RFC 9112): a GET request written in one piece, and an answer's status
 * line and header fields read with fixed bounds, so that a server can no more make heft buffer a gigabyte of headers
 * than a file can make it allocate by a length field. heft sends one request at a time per connection (no
 * pipelining) and asks for the identity encoding.
 */
final class Http1 {
    /** The longest status line, header line or chunk-size line accepted. */
    static final int MAX_LINE = 8 << 10;
    /** The most bytes of header fields (or trailer fields) in one answer. */
    static final int MAX_HEAD = 64 << 10;
    /** The most header fields in one answer. */
    static final int MAX_FIELDS = 256;
    /** Interim (1xx) answers skipped before the real one. */
    private static final int MAX_INTERIM = 8;

    private Http1() {}

    /** An answer that breaks the protocol: not worth another try on the same server. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** The deadline passed while waiting for bytes. */
    static final class Timeout extends IOException {
        private static final long serialVersionUID = 1L;

        Timeout() {
            super("no more of the answer arrived in time");
        }
    }

    /** The connection closed before the first byte of an answer. */
    static final class ClosedBeforeAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedBeforeAnswer() {
            super("the server closed the connection without answering");
        }
    }

    /** A status line and its header fields. */
    record Head(int status, boolean http11, HttpFields fields) {}

    /** The request: {@code GET path HTTP/1.1} and its fields, CRLF-terminated. */
    static byte[] request(URI uri, Origin origin, List<HttpFields.Field> fields) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder sb = new StringBuilder(256).append("GET ").append(path);
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        sb.append(" HTTP/1.1\r\nHost: ").append(origin.hostField()).append("\r\n");
        for (HttpFields.Field f : fields) {
            sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads the answer's head, skipping interim (1xx) answers. */
    static Head readHead(Connection c, Deadline deadline) throws IOException {
        for (int interim = 0; ; interim++) {
            String statusLine = c.readLine(MAX_LINE, deadline);
            if (statusLine == null) {
                throw new ClosedBeforeAnswer();
            }
            // status-line = HTTP-version SP status-code SP [ reason-phrase ]  (RFC 9112, section 4)
            if (statusLine.length() < 12
                    || !statusLine.startsWith("HTTP/1.")
                    || statusLine.charAt(8) != ' '
                    || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
                throw new Malformed("not an HTTP/1.1 status line: '" + Http.shorten(statusLine) + "'");
            }
            int status = 0;
            for (int i = 9; i < 12; i++) {
                char ch = statusLine.charAt(i);
                if (ch < '0' || ch > '9') {
                    throw new Malformed("not an HTTP/1.1 status line: '" + Http.shorten(statusLine) + "'");
                }
                status = status * 10 + (ch - '0');
            }
            if (status < 100) {
                throw new Malformed("status " + status);
            }
            HttpFields fields = readFields(c, deadline, "header");
            if (status >= 200 || status == 101) {
                if (status == 101) {
                    throw new Malformed("a protocol switch (101) heft never asked for");
                }
                return new Head(status, statusLine.charAt(7) != '0', fields);
            }
            if (interim >= MAX_INTERIM) {
                throw new Malformed("more than " + MAX_INTERIM + " interim (1xx) answers");
            }
        }
    }

    /** Header (or trailer) fields up to the empty line, within {@link #MAX_HEAD} bytes and {@link #MAX_FIELDS}. */
    static HttpFields readFields(Connection c, Deadline deadline, String kind) throws IOException {
        List<HttpFields.Field> fields = new ArrayList<>();
        int total = 0;
        while (true) {
            String line = c.readLine(MAX_LINE, deadline);
            if (line == null) {
                throw new java.io.EOFException("the connection closed in the " + kind + " fields");
            }
            if (line.isEmpty()) {
                return new HttpFields(fields);
            }
            total += line.length() + 2;
            if (total > MAX_HEAD || fields.size() >= MAX_FIELDS) {
                throw new Malformed(kind + " fields longer than " + MAX_HEAD + " bytes or " + MAX_FIELDS + " fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                // obs-fold and lines without a name are refused (RFC 9112, section 5.2)
                throw new Malformed("a malformed " + kind + " line '" + Http.shorten(line) + "'");
            }
            String name = line.substring(0, colon);
            if (name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0) {
                throw new Malformed("a malformed " + kind + " field name '" + Http.shorten(name) + "'");
            }
            fields.add(new HttpFields.Field(name, line.substring(colon + 1).strip()));
        }
    }

    /** A non-negative decimal of at most 18 digits, or -1: Content-Length as RFC 9110 writes it (digits only). */
    static long parseDecimal(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
    }
}
