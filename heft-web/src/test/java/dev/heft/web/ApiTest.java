package dev.heft.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.api.Operations;
import dev.heft.core.api.report.Report;
import dev.heft.core.api.report.ReportJson;
import dev.heft.core.api.request.CompressRequest;
import dev.heft.core.api.request.DevicesRequest;
import dev.heft.core.api.request.EstimateRequest;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.NetworkFitRequest;
import dev.heft.core.api.request.NetworkMemoryRequest;
import dev.heft.core.api.request.SpeedRequest;
import dev.heft.core.api.request.TrainingRequest;
import dev.heft.core.api.request.Workload;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint over a real server on a random loopback port, GET and POST, against two truths: the numbers the real
 * libraries wrote ({@code ground-truth/hf-architectures.json} from transformers, {@code fixtures/hf/expected.json}),
 * and the CLI's own {@code --json} object for the same options (the API's contract is to be exactly that object).
 */
class ApiTest {
    static HeftServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        server = HeftServer.start(HeftServer.DEFAULT_HOST, 0);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery.substring(1)))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(String path, String json) throws Exception {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static JsonValue.JsonObject ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        return (JsonValue.JsonObject) Json.parse(r.body());
    }

    static JsonValue.JsonObject error(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonValue.JsonObject o = (JsonValue.JsonObject) Json.parse(r.body());
        assertThat(o.getLong("status", -1)).isEqualTo(status);
        assertThat(o.getString("error", ""))
                .isNotBlank()
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        return o;
    }

    static JsonValue.JsonObject truth(String model) throws IOException {
        Path p = Path.of(System.getProperty("heft.shared", "../../shared"), "ground-truth", "hf-architectures.json");
        return ((JsonValue.JsonObject) Json.parse(Files.readAllBytes(p)))
                .getObject(model)
                .orElseThrow();
    }

    static Path shared(String relative) {
        return Path.of(System.getProperty("heft.shared", "../../shared"), relative);
    }

    /** The report a Java caller gets from the library for the same question, in the API's JSON form. */
    static String cli(Report report) {
        return JsonWriter.writeCompact(ReportJson.tree(report));
    }

    static Model catalog(String id) {
        return Heft.create().catalogModel(id);
    }

    @Test
    void estimateGetAndPostGiveTransformersCountsAndTheCliObject() throws Exception {
        JsonValue.JsonObject truth = truth("llama-3-8b");
        JsonValue.JsonObject viaGet = ok(get("/api/estimate?model=llama-3-8b&context=1k,8k"));
        JsonValue.JsonObject viaPost =
                ok(postJson("/api/estimate", "{\"model\":\"llama-3-8b\",\"context\":[1024,\"8k\"]}"));
        assertThat(viaPost).isEqualTo(viaGet);
        assertThat(viaGet.getLong("parameters", -1)).isEqualTo(truth.getLong("params", -2));
        assertThat(viaGet.getLong("buffers", -1)).isEqualTo(truth.getLong("buffers", -2));
        assertThat(viaGet.getObject("by_class").orElseThrow())
                .isEqualTo(truth.getObject("by_class").orElseThrow());
        String cliJson =
                cli(catalog("llama-3-8b").estimate(EstimateRequest.defaults().withContexts(List.of(1024L, 8192L))));
        assertThat(viaGet).isEqualTo(Json.parse(cliJson));
    }

    @Test
    void inlineConfigIsCountedLikeTransformers() throws Exception {
        for (String model : new String[] {"gpt2", "mixtral-8x7b", "bert-base-uncased"}) {
            JsonValue.JsonObject t = truth(model);
            String config =
                    JsonWriter.writeCompact(toPlain(t.getObject("config_diff").orElseThrow()));
            JsonValue.JsonObject viaPost = ok(postJson("/api/estimate", "{\"config\":" + config + "}"));
            assertThat(viaPost.getLong("parameters", -1)).as(model).isEqualTo(t.getLong("params", -2));
            JsonValue.JsonObject viaGet =
                    ok(get("/api/estimate?config=" + java.net.URLEncoder.encode(config, StandardCharsets.UTF_8)));
            assertThat(viaGet).isEqualTo(viaPost);
        }
    }

    @Test
    void memoryFitSpeedCatalogDevicesAreTheCliObjects() throws Exception {
        MemoryRequest mem = MemoryRequest.defaults()
                .withDtype("q4_k_m")
                .withWorkload(Workload.defaults().withContext(8192).withBatch(2))
                .withPrecisions(List.of("bf16", "Q8_0"));
        assertThat(ok(get("/api/memory?model=llama-3-8b&dtype=q4_k_m&context=8192&batch=2&dtypes=bf16,Q8_0")))
                .isEqualTo(Json.parse(cli(catalog("llama-3-8b").memory(mem))))
                .isEqualTo(ok(postJson(
                        "/api/memory",
                        "{\"model\":\"llama-3-8b\",\"dtype\":\"q4_k_m\",\"context\":8192,"
                                + "\"batch\":2,\"dtypes\":[\"bf16\",\"Q8_0\"]}")));
        TrainingRequest train = TrainingRequest.defaults().withContext(2048).withLora(16, false);
        assertThat(ok(postJson(
                        "/api/memory",
                        "{\"model\":\"llama-3.2-1b\",\"train\":true,\"optimizer\":\"adamw\","
                                + "\"lora\":16,\"context\":2048}")))
                .isEqualTo(Json.parse(cli(catalog("llama-3.2-1b").training(train))));
        FitRequest fit = FitRequest.defaults()
                .withDevices(List.of("h100-sxm", "rtx-4090"))
                .withDtypes(List.of("bf16", "Q4_K_M"))
                .withWorkload(Workload.defaults().withKvDtype("fp8"));
        assertThat(ok(get("/api/fit?model=mistral-7b-v0.1&devices=h100-sxm,rtx-4090&dtypes=bf16,Q4_K_M&kv_dtype=fp8")))
                .isEqualTo(Json.parse(cli(catalog("mistral-7b-v0.1").fit(fit))))
                .isEqualTo(ok(postJson(
                        "/api/fit",
                        "{\"model\":\"mistral-7b-v0.1\",\"devices\":\"h100-sxm,rtx-4090\","
                                + "\"dtypes\":\"bf16,Q4_K_M\",\"kv-dtype\":\"fp8\"}")));
        SpeedRequest speed =
                new SpeedRequest("rtx-4090", Optional.of("Q4_K_M"), Optional.of(1024L), Workload.defaults());
        assertThat(ok(get("/api/speed?model=llama-3-8b&device=rtx-4090&dtype=Q4_K_M&prompt=1024")))
                .isEqualTo(Json.parse(cli(catalog("llama-3-8b").speed(speed))))
                .isEqualTo(ok(postJson(
                        "/api/speed",
                        "{\"model\":\"llama-3-8b\",\"device\":\"rtx-4090\","
                                + "\"dtype\":\"Q4_K_M\",\"prompt\":1024}")));
        assertThat(ok(get("/api/catalog")))
                .isEqualTo(Json.parse(cli(Heft.create().catalog())))
                .isEqualTo(ok(postJson("/api/catalog", "{}")));
        assertThat(ok(get("/api/devices?category=gpu")))
                .isEqualTo(Json.parse(cli(Heft.create().devices(new DevicesRequest(Optional.of("gpu"), false)))))
                .isEqualTo(ok(postJson("/api/devices", "{\"category\":\"gpu\"}")));
    }

    @Test
    void visionModelsAnswerInImages() throws Exception {
        assertThat(ok(get("/api/memory?model=resnet50&batch=8&dtypes=")))
                .isEqualTo(Json.parse(cli(catalog("resnet50")
                        .networkMemory(
                                NetworkMemoryRequest.defaults().withBatch(8).withPrecisions(List.of())))));
        assertThat(ok(postJson("/api/fit", "{\"model\":\"resnet50\",\"devices\":\"t4,l4\",\"dtypes\":\"bf16\"}")))
                .isEqualTo(Json.parse(cli(catalog("resnet50")
                        .networkFit(NetworkFitRequest.defaults()
                                .withDevices(List.of("t4", "l4"))
                                .withDtypes(List.of("bf16"))))));
        assertThat(ok(get("/api/speed?model=resnet50&device=l4&dtype=int8")).getDouble("images_per_s", 0))
                .isPositive();
        assertThat(ok(get("/api/estimate?model=resnet18&layers=true"))
                        .getObject("layers")
                        .orElseThrow()
                        .getArray("rows")
                        .orElseThrow()
                        .elements())
                .hasSize(76); // torchinfo 1.8.0's rows
        assertThat(error(get("/api/memory?model=resnet50&context=8k"), 400).getString("error", ""))
                .contains("--context applies to transformer models");
    }

    @Test
    void catalogParameterCountsAreTransformers() throws Exception {
        JsonValue.JsonObject cat = ok(get("/api/catalog"));
        int checked = 0;
        for (JsonValue v : cat.getArray("models").orElseThrow().elements()) {
            JsonValue.JsonObject m = (JsonValue.JsonObject) v;
            String id = m.getString("id", "");
            if (id.equals("llama-3-8b") || id.equals("mistral-7b-v0.1") || id.equals("gpt2")) {
                assertThat(m.getLong("parameters", -1))
                        .as(id)
                        .isEqualTo(truth(id).getLong("params", -2));
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(2);
    }

    /** The first 8 + N bytes of a real safetensors file, as the page sends them. */
    static byte[] safetensorsHead(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Arrays.copyOf(all, (int) (8 + n));
    }

    @Test
    void inspectHeaderCountsAsTransformers() throws Exception {
        Path file = shared("fixtures/hf/safetensors/tiny-llama-bf16/model.safetensors");
        long params = ((JsonValue.JsonObject) Json.parse(Files.readAllBytes(shared("fixtures/hf/expected.json"))))
                .getObject("safetensors/tiny-llama-bf16")
                .orElseThrow()
                .getLong("params", -1);
        JsonValue.JsonObject r = ok(post(
                "/api/inspect-header?name=model.safetensors&size=" + Files.size(file),
                "application/octet-stream",
                safetensorsHead(file)));
        assertThat(r.getString("schema", "")).isEqualTo("heft.inspect/1");
        assertThat(r.getLong("parameters", -1)).isEqualTo(params);
        assertThat(r.getArray("notes").orElseThrow().elements())
                .contains(new JsonValue.JsonString(dev.heft.core.format.HeaderOnly.NOTE));
    }

    @Test
    void ggufPrefixThatStopsInsideTheHeaderAsksForMore() throws Exception {
        Path file = shared("fixtures/gguf/tiny-llama-Q4_K_M.gguf");
        byte[] all = Files.readAllBytes(file);
        JsonValue.JsonObject more = error(
                post(
                        "/api/inspect-header?name=m.gguf&size=" + all.length,
                        "application/octet-stream",
                        Arrays.copyOf(all, 4096)),
                422);
        long need = more.getLong("need_bytes", -1);
        assertThat(need).isGreaterThan(4096).isLessThanOrEqualTo(all.length);
        JsonValue.JsonObject gguf = ((JsonValue.JsonObject)
                        Json.parse(Files.readAllBytes(shared("fixtures/gguf/expected.json"))))
                .getObject("files")
                .orElseThrow()
                .getObject("tiny-llama-Q4_K_M.gguf")
                .orElseThrow();
        JsonValue.JsonObject r = ok(post(
                "/api/inspect-header?name=m.gguf&size=" + all.length,
                "application/octet-stream",
                Arrays.copyOf(all, (int) need)));
        assertThat(r.getLong("parameters", -1)).isEqualTo(gguf.getLong("total_elements", -2));
        assertThat(r.getLong("tensor_bytes", -1)).isEqualTo(gguf.getLong("tensor_data_bytes", -2));
    }

    @Test
    void neverAPathNeverAFile() throws Exception {
        for (String m :
                new String[] {"/etc/passwd", "../../../../etc/passwd", "C:\\Windows\\win.ini", "heft-web/pom.xml"}) {
            JsonValue.JsonObject e =
                    error(postJson("/api/estimate", "{\"model\":" + JsonWriter.writeCompact(m) + "}"), 400);
            assertThat(e.getString("error", ""))
                    .contains("unknown catalog model")
                    .doesNotContain("root:");
        }
        assertThat(error(get("/api/memory?model=%2Fetc%2Fpasswd"), 400).getString("error", ""))
                .contains("unknown catalog model");
        // A near-miss catalog id is still a 400 that names the catalog.
        assertThat(error(get("/api/estimate?model=llama-3-8c"), 400).getString("error", ""))
                .contains("catalog");
    }

    @Test
    void badInputIs400WithTheEnginesMessage() throws Exception {
        assertThat(error(get("/api/memory?model=llama-3-8b&dtype=q9_z"), 400).getString("error", ""))
                .isNotBlank();
        assertThat(error(get("/api/memory?model=llama-3-8b&contxt=8k"), 400).getString("error", ""))
                .contains("unknown option")
                .contains("contxt");
        assertThat(error(get("/api/memory?model=llama-3-8b&context=-5"), 400).getString("error", ""))
                .contains("context");
        error(get("/api/estimate"), 400);
        error(get("/api/speed?model=llama-3-8b"), 400);
        error(postJson("/api/estimate", "{\"model\": \"llama-3-8b\", \"model\": \"gpt2\"}"), 400);
        error(postJson("/api/estimate", "[1,2]"), 400);
        error(postJson("/api/estimate", "{\"model\": 5}"), 400);
        error(postJson("/api/estimate", "{not json"), 400);
        error(postJson("/api/estimate", "{\"model\":\"gpt2\",\"config\":{\"model_type\":\"gpt2\"}}"), 400);
        error(postJson("/api/estimate", "{\"config\":{\"model_type\":\"no-such-family\"}}"), 400);
        error(get("/api/estimate?model=gpt2&model=llama-3-8b"), 400);
        error(get("/api/catalog?model=gpt2"), 400);
        error(
                post(
                        "/api/inspect-header?name=x.bin&size=12",
                        "application/octet-stream",
                        "hello world!".getBytes(StandardCharsets.UTF_8)),
                400);
        error(post("/api/inspect-header?name=x&size=abc", "application/octet-stream", new byte[16]), 400);
    }

    @Test
    void theServerNeverDescribesTheMachineItRunsOn() throws Exception {
        // The server's Heft has the built-in catalog only: no 'local' row, and 'local' is not a device id there.
        assertThat(ok(get("/api/devices")).getArray("devices").orElseThrow().elements())
                .noneMatch(d -> "local".equals(d.asObject("device").getString("id", null)));
        assertThat(error(get("/api/fit?model=gpt2&devices=local"), 400).getString("error", ""))
                .contains("'local' (this machine) is not available here");
        assertThat(error(get("/api/memory?model=gpt2&budget=local"), 400).getString("error", ""))
                .contains("not available here");
    }

    @Test
    void httpLevelErrors() throws Exception {
        error(get("/api/nope"), 404);
        error(get("/etc/passwd"), 404);
        error(get("/../../etc/passwd"), 404);
        error(
                http.send(
                        HttpRequest.newBuilder(URI.create(server.url() + "api/estimate"))
                                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString()),
                405);
        HttpResponse<String> options = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "api/estimate"))
                        .header("Origin", "https://evil.example")
                        .header("Access-Control-Request-Method", "POST")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        error(options, 405);
        assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        error(get("/api/inspect-header"), 405);
        error(post("/api/estimate", "text/plain", "{\"model\":\"gpt2\"}".getBytes(StandardCharsets.UTF_8)), 415);
        error(post("/api/inspect-header?size=10", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 415);
        byte[] big = new byte[(1 << 20) + 1];
        Arrays.fill(big, (byte) ' ');
        error(post("/api/estimate", "application/json", big), 413);
    }

    @Test
    void chunkedBodiesAreCappedToo() throws Exception {
        byte[] chunk = new byte[64 << 10];
        Arrays.fill(chunk, (byte) ' ');
        // No length known in advance: the server must count what arrives and stop at the cap.
        HttpRequest.BodyPublisher unknownLength = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArrays(java.util.Collections.nCopies(40, chunk)));
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "api/estimate"))
                        .header("Content-Type", "application/json")
                        .POST(unknownLength)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        error(r, 413);
    }

    @Test
    void uploadCapIsItsOwnLimit() throws Exception {
        try (HeftServer small =
                HeftServer.start("127.0.0.1", 0, new ServerLimits(2, 4, 1024, 4096, Duration.ofSeconds(10)))) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(small.url() + "api/inspect-header"))
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4097]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            error(r, 413);
        }
    }

    @Test
    void openApiDocumentsEveryEndpoint() throws Exception {
        JsonValue.JsonObject doc = ok(get("/api/openapi.json"));
        assertThat(doc.getString("openapi", "")).startsWith("3.");
        JsonValue.JsonObject paths = doc.getObject("paths").orElseThrow();
        for (var op : Operations.ALL) {
            assertThat(paths.has("/api/" + op.name())).as(op.name()).isEqualTo(op.http());
        }
        assertThat(paths.has(ApiHandler.INSPECT_HEADER)).isTrue();
        assertThat(paths.has(ApiHandler.SERVER)).isTrue();
    }

    @Test
    void serverInfoStatesTheLimitsItRuns() throws Exception {
        JsonValue.JsonObject info = ok(get(ApiHandler.SERVER));
        assertThat(info.getString("schema", "")).isEqualTo("heft.server/1");
        assertThat(info.getBoolean("hub", true)).isFalse();
        assertThat(info.getLong("max_header_bytes", -1))
                .isEqualTo(ServerLimits.defaults().maxHeaderBytes());
        assertThat(info.getLong("max_uploads", -1))
                .isEqualTo(ServerLimits.defaults().maxUploads());
        error(postJson(ApiHandler.SERVER, "{}"), 405);
    }

    @Test
    void pageAndAssetsAreServedWithAStrictPolicy() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'");
        // Bundled, nothing from elsewhere: no absolute URLs to other hosts in the page or its assets.
        for (String asset : new String[] {"/", "/app.js", "/app.css"}) {
            HttpResponse<String> r = get(asset);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().replace("http://www.w3.org/2000/svg", ""))
                    .doesNotContain("http://")
                    .doesNotContain("https://");
        }
    }

    @Test
    void bindsToLoopbackByDefault() throws Exception {
        assertThat(InetAddress.getByName(HeftServer.DEFAULT_HOST).isLoopbackAddress())
                .isTrue();
        assertThat(server.url()).startsWith("http://127.0.0.1:");
    }

    /** A raw request, so the Host header can be anything (java.net.http will not send a foreign Host). */
    static String rawGet(String host, String path) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void dnsRebindingHostsAreRefused() throws Exception {
        assertThat(rawGet("evil.example", "/api/catalog"))
                .startsWith("HTTP/1.1 403")
                .contains("\"status\":403");
        assertThat(rawGet("evil.example:" + server.port(), "/")).startsWith("HTTP/1.1 403");
        assertThat(rawGet("127.0.0.1.evil.example", "/api/devices")).startsWith("HTTP/1.1 403");
        assertThat(rawGet("localhost:" + server.port(), "/api/catalog")).startsWith("HTTP/1.1 200");
        assertThat(rawGet("[::1]:" + server.port(), "/")).startsWith("HTTP/1.1 200");
        assertThat(rawGet("127.0.0.1", "/api/devices")).startsWith("HTTP/1.1 200");
    }

    @Test
    void compressIsTheCliObject() throws Exception {
        CompressRequest compress = new CompressRequest(
                Optional.of("q4_k_m"),
                Optional.empty(),
                Optional.empty(),
                Optional.of("embeddings,head=bf16"),
                Optional.empty(),
                List.of("h100-sxm", "rtx-4090"),
                Workload.defaults());
        JsonValue.JsonObject viaGet = ok(get("/api/compress?model=llama-3-8b&quant=q4_k_m&keep=embeddings,head%3Dbf16"
                + "&devices=h100-sxm,rtx-4090"));
        assertThat(viaGet.getString("schema", "")).isEqualTo("heft.compress/1");
        assertThat(viaGet)
                .isEqualTo(Json.parse(cli(catalog("llama-3-8b").compress(compress))))
                .isEqualTo(ok(postJson(
                        "/api/compress",
                        "{\"model\":\"llama-3-8b\",\"quant\":\"q4_k_m\","
                                + "\"keep\":\"embeddings,head=bf16\",\"devices\":[\"h100-sxm\",\"rtx-4090\"]}")));
        // Structured pruning of an inline config derives a new architecture: the config travels with the request.
        JsonValue.JsonObject t = truth("llama-3.2-1b");
        String config =
                JsonWriter.writeCompact(toPlain(t.getObject("config_diff").orElseThrow()));
        ok(postJson("/api/compress", "{\"config\":" + config + ",\"prune\":\"layers=8\"}"));
    }

    /** JsonValue -> plain Maps/Lists for {@link JsonWriter}. */
    static Object toPlain(JsonValue v) {
        return switch (v) {
            case JsonValue.JsonObject o -> {
                Map<String, Object> m = new LinkedHashMap<>();
                o.members().forEach((k, x) -> m.put(k, toPlain(x)));
                yield m;
            }
            case JsonValue.JsonArray a ->
                a.elements().stream().map(ApiTest::toPlain).toList();
            case JsonValue.JsonString s -> s.value();
            case JsonValue.JsonNumber n -> n.value();
            case JsonValue.JsonBoolean b -> b.value();
            case JsonValue.JsonNull n -> null;
        };
    }
}
