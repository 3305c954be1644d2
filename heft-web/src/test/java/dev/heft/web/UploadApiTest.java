package dev.heft.web;

import static dev.heft.web.ApiTest.error;
import static dev.heft.web.ApiTest.get;
import static dev.heft.web.ApiTest.ok;
import static dev.heft.web.ApiTest.post;
import static dev.heft.web.ApiTest.postJson;
import static dev.heft.web.ApiTest.shared;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.Heft;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.Workload;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An uploaded header is a model for every endpoint ({@code model: "upload:ID"}): its memory, fit and estimate are the
 * library's answers for the same file opened from disk (the CLI's objects), its numbers are what gguf-py and
 * transformers wrote ({@code fixtures/gguf/expected.json}, {@code fixtures/hf/expected.json}), and the store that holds
 * uploads is bounded and says 410 for what it let go.
 */
class UploadApiTest {
    @BeforeAll
    static void start() throws Exception {
        ApiTest.start();
    }

    @AfterAll
    static void stop() {
        ApiTest.stop();
    }

    private static final Path GGUF = shared("fixtures/gguf/tiny-llama-Q4_K_M.gguf");

    /** Uploads the whole file (GGUF: header and data; the server reads only the header) and returns its model id. */
    static String upload(String serverUrl, Path file, byte[] head, String config) throws Exception {
        String q = "name=" + URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8) + "&size="
                + Files.size(file)
                + (config == null ? "" : "&config=" + URLEncoder.encode(config, StandardCharsets.UTF_8));
        HttpResponse<String> r = ApiTest.http.send(
                HttpRequest.newBuilder(URI.create(serverUrl + "api/inspect-header?" + q))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(head))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        ok(r);
        return r.headers().firstValue(ApiHandler.MODEL_HEADER).orElseThrow();
    }

    private static JsonObject gguf() throws Exception {
        return ((JsonObject) Json.parse(Files.readAllBytes(shared("fixtures/gguf/expected.json"))))
                .getObject("files")
                .orElseThrow()
                .getObject("tiny-llama-Q4_K_M.gguf")
                .orElseThrow();
    }

    /** The library's report for the same file opened from disk, without the model label (a path there, a name here). */
    private static JsonObject library(dev.heft.core.api.report.Report r) {
        return withoutModel((JsonObject) Json.parse(ApiTest.cli(r)));
    }

    private static JsonObject withoutModel(JsonObject o) {
        Map<String, JsonValue> m = new LinkedHashMap<>(o.members());
        m.remove("model");
        return new JsonObject(m);
    }

    @Test
    void anUploadedGgufHeaderIsTheModelOfMemoryFitAndEstimate() throws Exception {
        String id = upload(ApiTest.server.url(), GGUF, Files.readAllBytes(GGUF), null);
        assertThat(id).matches("upload:[0-9a-f]{32}");
        JsonObject truth = gguf();

        JsonObject memory = ok(postJson("/api/memory", "{\"model\":\"" + id + "\",\"context\":512}"));
        // gguf-py's numbers for the file llama-quantize wrote: as stored, every tensor's bytes.
        assertThat(memory.getLong("weights_bytes", -1)).isEqualTo(truth.getLong("tensor_data_bytes", -2));
        assertThat(memory.getLong("parameters", -1)).isEqualTo(truth.getLong("total_elements", -2));
        assertThat(memory.getString("model", "")).isEqualTo("tiny-llama-Q4_K_M.gguf");
        var disk = Heft.create().open(GGUF);
        assertThat(withoutModel(memory))
                .isEqualTo(library(disk.memory(MemoryRequest.defaults()
                        .withWorkload(Workload.defaults().withContext(512)))));

        JsonObject fit = ok(get("/api/fit?model=" + id + "&devices=rtx-4090,rpi5&dtypes=native,Q8_0&context=512"));
        assertThat(withoutModel(fit))
                .isEqualTo(library(disk.fit(FitRequest.defaults()
                        .withDevices(List.of("rtx-4090", "rpi5"))
                        .withDtypes(List.of("native", "Q8_0"))
                        .withWorkload(Workload.defaults().withContext(512)))));
        assertThat(fit.getArray("rows").orElseThrow().get(0).asObject("row").getLong("weights_bytes", -1))
                .isEqualTo(truth.getLong("tensor_data_bytes", -2));

        JsonObject estimate = ok(get("/api/estimate?model=" + id));
        assertThat(estimate.getLong("max_positions", -1))
                .isEqualTo(truth.getObject("metadata").orElseThrow().getLong("llama.context_length", -2));
    }

    @Test
    void aSafetensorsHeaderWithItsConfigHasAnArchitecture() throws Exception {
        Path dir = shared("fixtures/hf/safetensors/tiny-llama-bf16");
        Path file = dir.resolve("model.safetensors");
        String config = Files.readString(dir.resolve("config.json"));
        long params = ((JsonObject) Json.parse(Files.readAllBytes(shared("fixtures/hf/expected.json"))))
                .getObject("safetensors/tiny-llama-bf16")
                .orElseThrow()
                .getLong("params", -1);

        String bare = upload(ApiTest.server.url(), file, ApiTest.safetensorsHead(file), null);
        String described = upload(ApiTest.server.url(), file, ApiTest.safetensorsHead(file), config);
        assertThat(bare).isNotEqualTo(described);
        // The header alone: weights only, no architecture to estimate from.
        JsonObject weightsOnly = ok(get("/api/memory?model=" + bare));
        assertThat(weightsOnly.getLong("parameters", -1)).isEqualTo(params);
        assertThat(weightsOnly.getLong("kv_cache_bytes", -1)).isZero();
        error(get("/api/estimate?model=" + bare), 400);
        // With its config.json: the folder's answers (transformers' count, and KV cache, as for the folder on disk).
        JsonObject memory = ok(get("/api/memory?model=" + described + "&context=128"));
        assertThat(memory.getLong("parameters", -1)).isEqualTo(params);
        assertThat(withoutModel(memory))
                .isEqualTo(library(Heft.create()
                        .open(dir)
                        .memory(MemoryRequest.defaults()
                                .withWorkload(Workload.defaults().withContext(128)))));
        assertThat(memory.getLong("kv_cache_bytes", -1)).isPositive();
        assertThat(ok(get("/api/estimate?model=" + described)).getLong("parameters", -1))
                .isEqualTo(params);
    }

    @Test
    void theSameBytesGetTheSameIdAndAnUnknownIdIs410() throws Exception {
        byte[] all = Files.readAllBytes(GGUF);
        assertThat(upload(ApiTest.server.url(), GGUF, all, null))
                .isEqualTo(upload(ApiTest.server.url(), GGUF, all, null));
        JsonObject gone = error(get("/api/memory?model=upload:0123456789abcdef0123456789abcdef"), 410);
        assertThat(gone.getString("error", "")).contains("inspect-header");
        // An upload id is no way to a path either.
        error(get("/api/memory?model=upload:..%2F..%2Fetc%2Fpasswd"), 410);
        error(postJson("/api/inspect-header", "{}"), 415);
        error(post("/api/inspect-header?model=gpt2&size=" + all.length, "application/octet-stream", all), 400);
    }

    @Test
    void theStoreKeepsTheMostRecentUploads() throws Exception {
        try (HeftServer small = HeftServer.start(
                "127.0.0.1",
                0,
                new ServerLimits(2, 4, 1 << 20, 1 << 22, Duration.ofSeconds(10)).withUploads(2, 1L << 24))) {
            List<String> ids = new java.util.ArrayList<>();
            for (String f : new String[] {"tiny-llama-Q4_K_M.gguf", "tiny-llama-Q8_0.gguf", "tiny-llama-Q2_K.gguf"}) {
                Path p = shared("fixtures/gguf/" + f);
                ids.add(upload(small.url(), p, Files.readAllBytes(p), null));
            }
            HttpResponse<String> first = ApiTest.http.send(
                    HttpRequest.newBuilder(URI.create(small.url() + "api/memory?model=" + ids.getFirst()))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            error(first, 410);
            for (String id : ids.subList(1, 3)) {
                HttpResponse<String> r = ApiTest.http.send(
                        HttpRequest.newBuilder(URI.create(small.url() + "api/memory?model=" + id))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void aHeaderPrefixIsEnough() throws Exception {
        byte[] all = Files.readAllBytes(GGUF);
        // The first 422 says how much to send; that prefix is stored like the whole file.
        long need = error(
                        post(
                                "/api/inspect-header?name=m.gguf&size=" + all.length,
                                "application/octet-stream",
                                Arrays.copyOf(all, 4096)),
                        422)
                .getLong("need_bytes", -1);
        String id = upload(ApiTest.server.url(), GGUF, Arrays.copyOf(all, (int) need), null);
        assertThat(ok(get("/api/memory?model=" + id)).getLong("weights_bytes", -1))
                .isEqualTo(gguf().getLong("tensor_data_bytes", -2));
    }
}
