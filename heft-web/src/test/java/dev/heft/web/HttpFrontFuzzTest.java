package dev.heft.web;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.heft.core.api.Heft;
import dev.heft.core.api.Operations;
import dev.heft.core.api.ParamValues;
import dev.heft.core.error.HeftException;
import dev.heft.core.testing.FuzzBudget;
import dev.heft.core.testing.SeedCorpus;
import dev.heft.core.testing.SharedFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over the bytes a client sends down one connection to {@code heft serve}, through the HTTP front's own parser
 * and framing, as {@link HttpFront}'s {@code exchange} runs them: {@link RequestHead#read} (request line, fields,
 * Host, Content-Length or chunked), the per-path body cap, {@link HttpFront#fixedBody} and
 * {@link HttpFront#chunkedBody}, then a {@link FrontExchange} through the loopback {@link HostCheck} to the handlers:
 * the real {@link StaticHandler} for pages, the real {@link ApiHandler} for everything under /api/ but the operations,
 * and for /api/NAME what ApiHandler does before it runs the operation ({@link RequestBody#read},
 * {@link RequestBody#mediaType}, {@link ApiRequest#fromJson}/{@link ApiRequest#fromQuery}, {@link ParamValues#parse});
 * running the operations is HttpRequestFuzzTest's job. Pipelined requests are served in turn while the connection is
 * kept alive (at most {@value #MAX_REQUESTS}).
 *
 * <p>Oracle: a malformed request is refused with an {@link HttpError} whose status is a 4xx or 501/505 and whose
 * message is one line; the connection may end (an {@link EOFException}) anywhere; every request read gets exactly one
 * whole response ({@code HTTP/1.1 NNN}, never 500, its Content-Length counting the bytes that follow); a fixed body is
 * exactly its Content-Length and a chunked one at most the path's cap; nothing else is thrown.
 */
class HttpFrontFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    static final int MAX_REQUESTS = 8;
    private static final ServerLimits LIMITS = ServerLimits.defaults();
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 50000);
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 405, 408, 411, 413, 415, 422, 431, 501, 505);

    private static final List<Filter> FILTERS = List.of(new HostCheck(LOCAL));
    /** Which lane a request goes to, as for a server that allows the Hub (the rule then parses the request). */
    private static final HttpFront.HeavyRule HEAVY = new HeavyRequests(true);

    private static final HttpHandler API =
            new ApiHandler(LIMITS, Heft.builder().allow(false, false, false).build());
    private static final HttpHandler STATIC = staticHandler();
    /** ApiHandler up to the operation: the request read, parsed and its options converted, then a small answer. */
    private static final HttpHandler OPERATION_REQUEST = HttpFrontFuzzTest::operationRequest;

    @FuzzTest(maxDuration = "60s")
    void connection(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> {
            InputStream in = new ByteArrayInputStream(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < MAX_REQUESTS; i++) {
                int first = in.read();
                if (first < 0 || !exchange(first, in, out)) {
                    return;
                }
            }
        });
    }

    /** As HttpFront.exchange: one request and its response; true when the connection may carry the next. */
    private static boolean exchange(int first, InputStream in, ByteArrayOutputStream out) throws IOException {
        RequestHead head;
        try {
            head = RequestHead.read(first, in);
        } catch (HttpError e) {
            refused(e);
            return false;
        } catch (EOFException closed) {
            return false;
        }
        require(RequestHead.isToken(head.method()), "method " + head.method());
        require(head.version().equals("HTTP/1.1") || head.version().equals("HTTP/1.0"), "version " + head.version());
        List<String> hosts = head.headers().get("Host");
        require(hosts == null ? head.version().equals("HTTP/1.0") : hosts.size() == 1, "Host fields " + hosts);
        require(head.contentLength() >= -1, "length " + head.contentLength());
        String path = head.uri().getPath() == null ? "/" : head.uri().getPath();
        boolean heavy = HEAVY.byHead(head);
        require(heavy || !path.equals(ApiHandler.INSPECT_HEADER), "a header upload in the cheap lane");
        // HeftServer's per-path cap: only the header upload takes a large body.
        long max = path.equals(ApiHandler.INSPECT_HEADER) ? LIMITS.maxHeaderBytes() : LIMITS.maxJsonBytes();
        if (head.contentLength() > max) {
            return false; // refused with 413 before a byte of the body is read
        }
        if (head.expectContinue() && head.contentLength() != 0) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] body;
        try {
            body = head.chunked() ? HttpFront.chunkedBody(in, max) : HttpFront.fixedBody(in, head.contentLength());
        } catch (HttpError e) {
            refused(e);
            return false;
        } catch (EOFException closed) {
            return false;
        }
        require(
                head.chunked() ? body.length <= max : body.length == head.contentLength(),
                body.length + " body bytes for " + head.contentLength());
        HEAVY.byBody(head, body);
        int start = out.size();
        FrontExchange exchange = new FrontExchange(head, body, out, LOCAL, REMOTE, !head.keepAlive());
        HttpHandler handler = !path.startsWith(ApiHandler.PREFIX)
                ? STATIC
                : Operations.named(path.substring(ApiHandler.PREFIX.length()))
                                .filter(op -> op.http())
                                .isPresent()
                        ? OPERATION_REQUEST
                        : API;
        new Filter.Chain(FILTERS, handler).doFilter(exchange);
        exchange.close();
        require(exchange.completed(), "the response to " + head.method() + " " + path + " was not completed");
        response(
                Arrays.copyOfRange(out.toByteArray(), start, out.size()),
                head.method().equals("HEAD"));
        return head.keepAlive();
    }

    private static void refused(HttpError e) {
        require(REFUSALS.contains(e.status()), "refused with " + e.status() + ": " + e.getMessage());
        require(
                e.getMessage() != null
                        && e.getMessage().indexOf('\n') < 0
                        && e.getMessage().indexOf('\r') < 0,
                "not a one-line refusal: " + e.getMessage());
        Responses.rawError(e.status(), e.getMessage());
    }

    /** One whole response: a status line that is not 500, and a fixed body of exactly its Content-Length. */
    private static void response(byte[] bytes, boolean head) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        require(text.matches("(?s)HTTP/1\\.1 [1-5][0-9][0-9] .*"), "response " + text);
        require(!text.startsWith("HTTP/1.1 500"), "internal error: " + text);
        int end = text.indexOf("\r\n\r\n");
        require(end > 0, "response head never ends: " + text);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^Content-Length: (\\d+)\r$")
                .matcher(text.substring(0, end + 2));
        if (length.find() && !head) {
            require(
                    Long.parseLong(length.group(1)) == bytes.length - (end + 4),
                    "Content-Length " + length.group(1) + " over " + (bytes.length - end - 4) + " bytes");
        }
    }

    private static void operationRequest(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                String method = ex.getRequestMethod();
                if (!method.equals("GET") && !method.equals("POST")) {
                    throw new HttpError(405, "method " + method + " not allowed here");
                }
                ApiRequest request;
                if (method.equals("POST")) {
                    if (!RequestBody.mediaType(ex).equals("application/json")) {
                        throw new HttpError(415, "send a JSON body");
                    }
                    request = ApiRequest.fromJson(RequestBody.read(ex, LIMITS.maxJsonBytes()));
                } else {
                    request = ApiRequest.fromQuery(ex.getRequestURI().getRawQuery());
                }
                String name = ex.getRequestURI().getPath().substring(ApiHandler.PREFIX.length());
                ParamValues.parse(Operations.named(name).orElseThrow().params(), request.options());
                Responses.json(ex, 200, Map.of("options", request.options().size()));
            } catch (HttpError e) {
                Responses.error(ex, e.status(), e.getMessage(), Map.of());
            } catch (HeftException e) {
                Responses.error(ex, 400, e.getMessage(), Map.of());
            }
        }
    }

    private static HttpHandler staticHandler() {
        try {
            return new StaticHandler();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /**
     * Seeds: the raw requests of ServerHardeningTest (malformed heads, lengths, encodings, Host spoofing), requests the
     * page sends (ApiTest, UploadApiTest, ChartTest: a GET with a query, a JSON POST, a chunked POST, pipelined
     * requests, a header upload of the first 4 KiB of a fixture safetensors file, a chart spec).
     */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        String host = "Host: localhost\r\n";
        seeds.put("get-page", bytes("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n"));
        seeds.put(
                "pipelined",
                bytes("GET /api/devices?category=gpu HTTP/1.1\r\n" + host + "\r\nHEAD /app.js HTTP/1.1\r\n" + host
                        + "\r\nGET /api/openapi.json HTTP/1.0\r\n\r\n"));
        seeds.put(
                "post-json",
                bytes(post(
                        "/api/estimate",
                        "application/json; charset=utf-8",
                        "{\"model\":\"llama-3-8b\",\"context\":[1024,\"8k\"]}")));
        seeds.put(
                "post-chunked",
                bytes("POST /api/memory HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
                        + "b\r\n{\"model\":\"g\r\nf;ext=1\r\npt2\",\"batch\":2}\r\n0\r\nX-Trailer: 1\r\n\r\n"));
        seeds.put(
                "get-query",
                bytes("GET /api/fit?model=mistral-7b-v0.1&devices=h100-sxm,rtx-4090&dtypes=bf16,Q4_K_M HTTP/1.1\r\n"
                        + "Host: [::1]:8080\r\n\r\n"));
        seeds.put(
                "chart",
                bytes(post(
                        "/api/chart",
                        "application/json",
                        "{\"type\": \"lines\", \"title\": \"t\", \"unit\": \"bytes\", \"xs\": [1, 2, 4], "
                                + "\"series\": [{\"name\": \"kv\", \"ys\": [1, 2, 4]}]}")));
        seeds.put("upload-header", upload());
        seeds.put("bad-target", bytes("GET /a|b<c> HTTP/1.1\r\n" + host + "\r\n"));
        seeds.put("absolute-target", bytes("GET http://evil.example/ HTTP/1.1\r\n" + host + "\r\n"));
        seeds.put("http2", bytes("GET / HTTP/2.0\r\n" + host + "\r\n"));
        seeds.put("length-abc", bytes("POST /api/estimate HTTP/1.1\r\n" + host + "Content-Length: abc\r\n\r\n"));
        seeds.put(
                "length-and-chunked",
                bytes("POST /api/estimate HTTP/1.1\r\n" + host + "Content-Length: 2\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n{}"));
        seeds.put("gzip", bytes("POST /api/estimate HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n"));
        seeds.put("folded", bytes("GET / HTTP/1.1\r\n" + host + "X-A: 1\r\n  folded\r\n\r\n"));
        seeds.put("nul", bytes("GET / HTTP/1.1\r\n" + host + "X-A: a\u0000b\r\n\r\n"));
        seeds.put(
                "bad-chunk",
                bytes("POST /api/estimate HTTP/1.1\r\n" + host
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
        seeds.put("no-host", bytes("GET / HTTP/1.1\r\n\r\n"));
        seeds.put("two-hosts", bytes("GET /api/catalog HTTP/1.1\r\n" + host + "Host: evil.example\r\n\r\n"));
        seeds.put("userinfo-host", bytes("GET /api/server HTTP/1.1\r\nHost: 127.0.0.1:8080@evil.com\r\n\r\n"));
        seeds.put("traversal", bytes("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + host + "\r\n"));
        return seeds;
    }

    private static String post(String path, String type, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** A header upload as the page sends it: the first 4 KiB of a fixture safetensors file, with its real size. */
    private static byte[] upload() {
        try {
            byte[] file = Files.readAllBytes(SharedFixtures.fixture("hf/safetensors/tiny-llama-f32/model.safetensors"));
            byte[] head = Arrays.copyOf(file, 4096);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(bytes("POST /api/inspect-header?name=model.safetensors&size=" + file.length
                    + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + head.length + "\r\n\r\n"));
            out.writeBytes(head);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        SeedCorpus.verify(SeedCorpus.dir(HttpFrontFuzzTest.class, "connection"), seeds());
    }

    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(HttpFrontFuzzTest.class, "connection"), seeds());
    }
}
