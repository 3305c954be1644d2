package dev.heft.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request/response on a {@link HttpFront} connection, behind the JDK's {@link HttpExchange} API so that the
 * handlers and filters are those of any {@code com.sun.net.httpserver} server. The request body has already been read
 * (bounded, against a deadline) and is served from memory; the response is written to the connection: a fixed length,
 * no body ({@code -1}), or chunked ({@code 0}), as {@link #sendResponseHeaders} documents. There is no
 * {@link HttpContext} (nothing in heft uses one): {@link #getHttpContext()} returns null.
 */
final class FrontExchange extends HttpExchange {
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"),
            Map.entry(200, "OK"),
            Map.entry(204, "No Content"),
            Map.entry(304, "Not Modified"),
            Map.entry(400, "Bad Request"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"),
            Map.entry(411, "Length Required"),
            Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(505, "HTTP Version Not Supported"));

    private final RequestHead head;
    private final OutputStream connection;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private final boolean closeAfter;
    /** The body as the front read it, until a filter replaces the stream ({@link #setStreams}) or a handler reads it. */
    private byte[] bodyBytes;

    private InputStream requestBody;
    private OutputStream responseBody;
    private int status = -1;
    private Body body;

    FrontExchange(
            RequestHead head,
            byte[] requestBody,
            OutputStream connection,
            InetSocketAddress local,
            InetSocketAddress remote,
            boolean closeAfter) {
        this.head = head;
        this.bodyBytes = requestBody;
        this.requestBody = new ByteArrayInputStream(requestBody);
        this.connection = connection;
        this.local = local;
        this.remote = remote;
        this.closeAfter = closeAfter;
    }

    static String reason(int status) {
        return REASONS.getOrDefault(status, "");
    }

    /** Whether a whole response was written, so the connection can carry the next request. */
    boolean completed() {
        return body != null && body.complete();
    }

    boolean responseStarted() {
        return status >= 0;
    }

    @Override
    public Headers getRequestHeaders() {
        return head.headers();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return head.uri();
    }

    @Override
    public String getRequestMethod() {
        return head.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        try {
            requestBody.close();
            if (body != null) {
                body.close();
            }
        } catch (IOException ignored) {
            // the connection is gone; the front closes it
        }
    }

    @Override
    public InputStream getRequestBody() {
        bodyBytes = null;
        return requestBody;
    }

    /**
     * The whole request body, taken once without a copy ({@link RequestBody#read}); null when it was already read as a
     * stream or a filter replaced the stream.
     */
    byte[] takeBody() {
        byte[] b = bodyBytes;
        bodyBytes = null;
        if (b != null) {
            requestBody = InputStream.nullInputStream();
        }
        return b;
    }

    @Override
    public OutputStream getResponseBody() {
        if (responseBody == null) {
            responseBody = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (body == null) {
                        throw new IOException("response headers not sent yet");
                    }
                    body.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    connection.flush();
                }

                @Override
                public void close() throws IOException {
                    if (body != null) {
                        body.close();
                    }
                }
            };
        }
        return responseBody;
    }

    /**
     * As {@link HttpExchange#sendResponseHeaders}: {@code length > 0} a body of exactly that many bytes, {@code -1} no
     * body, {@code 0} a chunked body of any length. A HEAD request's response never carries one.
     */
    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (status >= 0) {
            throw new IOException("response headers already sent");
        }
        status = code;
        boolean noBody = head.method().equals("HEAD") || code == 204 || code == 304;
        StringBuilder sb = new StringBuilder(256)
                .append("HTTP/1.1 ")
                .append(code)
                .append(' ')
                .append(reason(code))
                .append("\r\n");
        for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
            for (String v : h.getValue()) {
                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                    throw new IOException("a response header value holds CR or LF");
                }
                sb.append(h.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        if (length > 0) {
            sb.append("Content-Length: ").append(length).append("\r\n");
            body = noBody ? Body.none() : Body.fixed(connection, length);
        } else if (length == 0 && !noBody) {
            sb.append("Transfer-Encoding: chunked\r\n");
            body = Body.chunked(connection);
        } else {
            if (!noBody) {
                sb.append("Content-Length: 0\r\n");
            }
            body = Body.none();
        }
        if (closeAfter) {
            sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        connection.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body.complete()) {
            connection.flush();
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return local;
    }

    @Override
    public String getProtocol() {
        return head.version();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        if (in != null) {
            bodyBytes = null;
            requestBody = in;
        }
        if (out != null) {
            responseBody = out;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** The response body's framing on the connection. */
    private abstract static class Body {
        abstract void write(byte[] b, int off, int len) throws IOException;

        abstract void close() throws IOException;

        abstract boolean complete();

        static Body none() {
            return new Body() {
                @Override
                void write(byte[] b, int off, int len) throws IOException {
                    if (len > 0) {
                        throw new IOException("this response has no body");
                    }
                }

                @Override
                void close() {}

                @Override
                boolean complete() {
                    return true;
                }
            };
        }

        static Body fixed(OutputStream out, long length) {
            return new Body() {
                private long left = length;

                @Override
                void write(byte[] b, int off, int len) throws IOException {
                    if (len > left) {
                        throw new IOException("response body longer than its Content-Length " + length);
                    }
                    out.write(b, off, len);
                    left -= len;
                }

                @Override
                void close() throws IOException {
                    out.flush();
                }

                @Override
                boolean complete() {
                    return left == 0;
                }
            };
        }

        static Body chunked(OutputStream out) {
            return new Body() {
                private boolean closed;

                @Override
                void write(byte[] b, int off, int len) throws IOException {
                    if (closed) {
                        throw new IOException("response body already closed");
                    }
                    if (len > 0) {
                        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(b, off, len);
                        out.write('\r');
                        out.write('\n');
                    }
                }

                @Override
                void close() throws IOException {
                    if (!closed) {
                        closed = true;
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                }

                @Override
                boolean complete() {
                    return closed;
                }
            };
        }
    }
}
