package dev.heft.web;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.api.Operation;
import dev.heft.core.api.Operations;
import dev.heft.core.api.ParamValues;
import dev.heft.core.api.Progress;
import dev.heft.core.api.report.ReportJson;
import dev.heft.core.error.HeftException;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.testing.FuzzBudget;
import dev.heft.core.testing.SeedCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over what an HTTP request carries into the API: a query string or a JSON body, a Host header, and the
 * endpoint they reach. Parsing, resolving the model and running the endpoint may only fail with a typed
 * {@link HeftException} (the API's 400) or an {@link HttpError} (its 4xx); anything else would be a 500.
 *
 * <p>Input layout (so that seeds are readable): byte 0 picks the endpoint ({@code b >> 1}, modulo their count) and
 * the body kind ({@code b & 1}: 1 for a JSON body, 0 for a query string); then the Host header up to the first
 * newline; the rest is the query or the body. Seeds ({@link #seeds()}) are requests the API tests make.
 */
class HttpRequestFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    /** The operations the API serves at /api/NAME, as ApiHandler routes them. */
    private static final List<Operation<?>> ENDPOINTS = ApiHandler.served();

    /**
     * The Heft of {@code heft serve} without {@code --allow-hub} (ServeCommand, HeftServer.start): no paths, no Hub, no
     * URLs. The target once used {@code Heft.create()}, which allows the Hub: an {@code hf://} model then made the
     * fuzzer connect to huggingface.co (Jazzer's SSRF detector, crash-42226d...), which the server never does.
     */
    private static final Heft HEFT = Heft.builder().allow(false, false, false).build();

    /**
     * The server's cache of catalog models, as ApiHandler holds one: every input still goes through
     * {@link ServerModels#resolve} (its checks and the catalog lookup), and the operation runs on the Model every
     * request naming that id shares (its lazily built profile is built once), as in the server.
     */
    private static final CatalogModels CATALOG = new CatalogModels(HEFT);
    /** An empty upload store, as a fresh server has: an upload:ID the input names is unknown (410). */
    private static final Uploads UPLOADS = new Uploads(
            ServerLimits.defaults().maxUploads(), ServerLimits.defaults().maxUploadBytes());

    /**
     * The allocation cap of running one operation on the model a request names. The request side (parsing, the Host
     * check, resolving the model, converting the options) is held to {@link FuzzBudget}'s budget by input size, as every
     * parser is; an operation's working set is set by the model's graph, not by the request's bytes: a 35-byte request
     * for fit of torchvision's maxvit_t on one device allocates 46 MB (278 MB under Jazzer's instrumentation), which
     * the first budget called a finding (crash-aca9eda2...). This cap still catches an operation whose allocation a
     * request can drive without bound.
     */
    static final long OPERATION_BYTES = 512L << 20;

    /** What the request side hands to the operation. */
    private record Parsed(Operation<?> endpoint, ApiRequest request, List<Model> models, ParamValues values) {}

    @FuzzTest(maxDuration = "60s")
    void requests(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        Parsed[] parsed = new Parsed[1];
        FuzzBudget.run(data.length, () -> parsed[0] = parse(data));
        Parsed p = parsed[0];
        if (p == null || !firstTime(p.endpoint(), p.request())) {
            return;
        }
        FuzzBudget.runWithin(OPERATION_BYTES, p.endpoint().name() + " of a " + data.length + "-byte request", () -> {
            try {
                JsonWriter.writeCompact(
                        ReportJson.tree(p.endpoint().report(HEFT, p.models(), p.values(), Progress.NONE)));
            } catch (HeftException | HttpError expected) {
                // a 400 or another 4xx, as the handler maps them
            }
        });
    }

    /** As ApiHandler reads /api/NAME: the request, its model and its options; null when refused. */
    private static Parsed parse(byte[] data) {
        boolean json = (data[0] & 1) == 1;
        Operation<?> endpoint = ENDPOINTS.get(((data[0] & 0xff) >> 1) % ENDPOINTS.size());
        int newline = 1;
        while (newline < data.length && data[newline] != '\n') {
            newline++;
        }
        HostCheck.allowed(new String(data, 1, newline - 1, StandardCharsets.ISO_8859_1));
        byte[] rest = Arrays.copyOfRange(data, Math.min(data.length, newline + 1), data.length);
        try {
            ApiRequest request = json
                    ? ApiRequest.fromJson(rest)
                    : ApiRequest.fromQuery(new String(rest, StandardCharsets.ISO_8859_1));
            List<Model> models;
            if (endpoint.models() == Operation.Models.NONE) {
                if (request.model().isPresent() || request.config().isPresent()) {
                    throw new HttpError(400, endpoint.name() + " takes no model");
                }
                models = List.of();
            } else {
                models = List.of(ServerModels.resolve(HEFT, UPLOADS, request, CATALOG));
            }
            ParamValues values = ParamValues.parse(endpoint.params(), request.options());
            return new Parsed(endpoint, request, models, values);
        } catch (HeftException | HttpError expected) {
            return null; // a 400 or another 4xx, as the handler maps them
        }
    }

    /**
     * Requests whose operation already ran, by endpoint, model and options (as parsed): many mutations leave the request
     * itself unchanged (the Host line, the bit that picks GET or POST for the same options, bytes the parser drops), and
     * an operation is a deterministic function of its model and options, so running it again would repeat the same
     * outcome. Parsing, the Host check, model resolution and option conversion still run for every input. Bounded: keys
     * of up to {@value #MAX_KEY} characters, at most {@value #MAX_SEEN} of them (then everything runs).
     */
    private static final java.util.Set<String> SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final int MAX_KEY = 1024;
    private static final int MAX_SEEN = 50_000;

    private static boolean firstTime(Operation<?> endpoint, ApiRequest request) {
        String key = endpoint.name() + "\n" + request.model().orElse("") + "\n"
                + request.config().map(JsonWriter::writeCompact).orElse("") + "\n" + request.options();
        return key.length() > MAX_KEY || SEEN.size() >= MAX_SEEN || SEEN.add(key);
    }

    static byte[] request(String endpoint, boolean json, String host, String rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int index = ENDPOINTS.indexOf(Operations.named(endpoint).orElseThrow());
        out.write(index << 1 | (json ? 1 : 0));
        out.writeBytes((host + "\n" + rest).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("estimate-get", request("estimate", false, "localhost:8080", "model=llama-3-8b&context=1k,8k"));
        seeds.put(
                "estimate-post",
                request("estimate", true, "127.0.0.1:8080", "{\"model\":\"llama-3-8b\",\"context\":[1024,\"8k\"]}"));
        seeds.put(
                "memory-get",
                request(
                        "memory",
                        false,
                        "[::1]:8080",
                        "model=llama-3-8b&dtype=q4_k_m&context=8192&batch=2&dtypes=bf16,Q8_0"));
        seeds.put(
                "memory-train",
                request(
                        "memory",
                        true,
                        "localhost",
                        "{\"model\":\"llama-3.2-1b\",\"train\":true,\"optimizer\":\"adamw\"}"));
        seeds.put(
                "fit-get",
                request(
                        "fit",
                        false,
                        "localhost",
                        "model=mistral-7b-v0.1&devices=h100-sxm,rtx-4090&dtypes=bf16,Q4_K_M&kv_dtype=fp8"));
        seeds.put(
                "speed-get",
                request("speed", false, "localhost", "model=llama-3-8b&device=rtx-4090&dtype=Q4_K_M&prompt=1024"));
        seeds.put("compress-post", request("compress", true, "localhost", "{\"model\":\"gpt2\"}"));
        seeds.put("devices-get", request("devices", false, "127.0.0.1:1@evil.example", "category=gpu"));
        seeds.put(
                "config-get",
                request(
                        "estimate",
                        false,
                        "localhost",
                        "config=%7B%22model_type%22%3A"
                                + "%22gpt2%22%2C%22n_layer%22%3A2%2C%22n_embd%22%3A64%2C%22n_head%22%3A4%7D"));
        return seeds;
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        SeedCorpus.verify(SeedCorpus.dir(HttpRequestFuzzTest.class, "requests"), seeds());
    }

    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(HttpRequestFuzzTest.class, "requests"), seeds());
    }
}
