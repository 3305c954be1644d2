package dev.heft.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.heft.core.api.Heft;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hub repos over the API: refused unless the server was started with {@code --allow-hub}; then read as the CLI reads
 * them, header bytes over HTTP (from a loopback server in the Hub's URL scheme), while paths and other URLs stay
 * refused. The server never reads the HF cache: that would be reading local files on a request's behalf.
 */
class HubApiTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aDefaultServerRefusesHubReposBeforeReadingAnything() throws Exception {
        try (HeftServer server = HeftServer.start("127.0.0.1", 0, ServerLimits.defaults())) {
            JsonValue.JsonObject e = ApiTest.error(get(server, "hf://someone/model"), 400);
            assertThat(e.getString("error", "")).contains("--allow-hub");
            assertThat(ApiTest.ok(server(server, ApiHandler.SERVER)).getBoolean("hub", true))
                    .isFalse();
            // A bare OWNER/NAME is also the shape of a relative path: never a repo, never a file.
            assertThat(ApiTest.error(get(server, "heft-web/pom.xml"), 400).getString("error", ""))
                    .contains("unknown catalog model");
        }
    }

    @Test
    void withAllowHubARepoIsReadFromItsHeadersAsTransformersCountsIt() throws Exception {
        Path source = ApiTest.shared("fixtures/hf/safetensors/tiny-llama-bf16");
        long params = ((JsonValue.JsonObject)
                        Json.parse(Files.readAllBytes(ApiTest.shared("fixtures/hf/expected.json"))))
                .getObject("safetensors/tiny-llama-bf16")
                .orElseThrow()
                .getLong("params", -1);
        AtomicInteger requests = new AtomicInteger();
        HttpServer hub = hub(source, "fixtures/tiny-llama-bf16", requests);
        try {
            // As heft serve --allow-hub builds it, with the Hub at this loopback server.
            Heft heft = Heft.builder()
                    .environment(
                            Map.of(
                                    "HF_ENDPOINT",
                                    "http://127.0.0.1:" + hub.getAddress().getPort()),
                            Path.of("no-home"))
                    .allow(false, true, false)
                    .build();
            try (HeftServer server = HeftServer.start("127.0.0.1", 0, ServerLimits.defaults(), heft)) {
                // The page offers its Hub field only when the server says the Hub is allowed.
                assertThat(ApiTest.ok(server(server, ApiHandler.SERVER)).getBoolean("hub", false))
                        .isTrue();
                JsonValue.JsonObject r = ApiTest.ok(get(server, "hf://fixtures/tiny-llama-bf16"));
                assertThat(r.getLong("parameters", -1)).isEqualTo(params);
                assertThat(requests.get()).isPositive();
                assertThat(ApiTest.error(get(server, "hf://fixtures/missing"), 400)
                                .getString("error", ""))
                        .contains("fixtures/missing");
                assertThat(ApiTest.error(get(server, "hf://fixtures/.."), 400).getString("error", ""))
                        .isNotBlank();
                // Still never a path, nor a URL of the request's choosing.
                int before = requests.get();
                assertThat(ApiTest.error(
                                        get(
                                                server,
                                                source.resolve("model.safetensors")
                                                        .toAbsolutePath()
                                                        .toString()),
                                        400)
                                .getString("error", ""))
                        .contains("unknown catalog model");
                assertThat(ApiTest.error(
                                        get(
                                                server,
                                                "http://127.0.0.1:"
                                                        + hub.getAddress().getPort()
                                                        + "/fixtures/tiny-llama-bf16/resolve/main/model.safetensors"),
                                        400)
                                .getString("error", ""))
                        .contains("unknown catalog model");
                assertThat(requests.get()).isEqualTo(before);
            }
        } finally {
            hub.stop(0);
        }
    }

    private HttpResponse<String> server(HeftServer server, String path) throws Exception {
        URI uri = URI.create(server.url() + path.substring(1));
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(HeftServer server, String model) throws Exception {
        URI uri = URI.create(server.url() + "api/estimate?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The Hub's URL scheme for one repo at revision main: the tree listing ({@code GET /api/models/REPO/tree/main}) and
     * {@code GET /REPO/resolve/main/FILE}, answering {@code Range: bytes=a-b} with 206; anything else is 404.
     */
    static HttpServer hub(Path source, String repo, AtomicInteger requests) throws Exception {
        List<String> files = List.of("config.json", "model.safetensors");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            try (ex) {
                String path = ex.getRequestURI().getPath();
                if (path.equals("/api/models/" + repo + "/tree/main")) {
                    StringBuilder listing = new StringBuilder("[");
                    for (String f : files) {
                        listing.append(listing.length() > 1 ? "," : "")
                                .append("{\"type\":\"file\",\"path\":\"")
                                .append(f)
                                .append("\",\"size\":")
                                .append(Files.size(source.resolve(f)))
                                .append('}');
                    }
                    byte[] body = listing.append(']').toString().getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                    return;
                }
                String prefix = "/" + repo + "/resolve/main/";
                String file = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
                if (!files.contains(file)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] bytes = Files.readAllBytes(source.resolve(file));
                Matcher m = RANGE.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
                if (!m.matches()) {
                    ex.sendResponseHeaders(200, bytes.length);
                    ex.getResponseBody().write(bytes);
                    return;
                }
                int from = Integer.parseInt(m.group(1));
                int to = Math.min(bytes.length - 1, Integer.parseInt(m.group(2)));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + bytes.length);
                ex.sendResponseHeaders(206, to - from + 1);
                ex.getResponseBody().write(bytes, from, to - from + 1);
            }
        });
        server.start();
        return server;
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
}
