package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end runs of each command with --json, checked against the numbers the real libraries wrote
 * (../shared/fixtures expected.json, ../shared/ground-truth) and against the documented JSON contract.
 */
class CommandsTest {
    private static JsonObject json(String... args) {
        CliTestSupport.Result r = CliTestSupport.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Json.parse(r.out()).asObject("output");
    }

    private static JsonObject groundTruth(String file) throws Exception {
        return Json.parse(Files.readAllBytes(
                        CliTestSupport.shared().resolve("ground-truth").resolve(file)))
                .asObject(file);
    }

    @Test
    void inspectJsonOfTheTiedGpt2FolderMatchesTransformers() {
        JsonObject o = json(
                "inspect",
                "--json",
                "--tensors",
                CliTestSupport.fixture("hf/safetensors/tiny-gpt2-tied").toString());
        assertThat(o.getString("schema", null)).isEqualTo("heft.inspect/1");
        assertThat(o.getString("format", null)).isEqualTo("safetensors");
        assertThat(o.getLong("parameters", 0)).isEqualTo(74_112); // fixtures/hf/README.md
        assertThat(o.getObject("tied_head").orElseThrow().getBoolean("tied", false))
                .isTrue();
        for (String key : new String[] {"tensors", "tensor_bytes", "by_kind", "by_dtype", "tensor_list"}) {
            assertThat(o.has(key)).as(key).isTrue();
        }
        JsonObject first = o.getArray("tensor_list").orElseThrow().get(0).asObject("t");
        for (String key : new String[] {"name", "shape", "dtype", "parameters", "bytes"}) {
            assertThat(first.has(key)).as(key).isTrue();
        }
    }

    @Test
    void estimateOfCatalogModelsMatchesTransformersAndTorchvision() throws Exception {
        JsonObject hf = groundTruth("hf-architectures.json");
        JsonObject llama = json("estimate", "llama-3-8b", "--json");
        assertThat(llama.getLong("parameters", 0))
                .isEqualTo(hf.getObject("llama-3-8b").orElseThrow().getLong("params", -1));
        assertThat(llama.getLong("buffers", -1))
                .isEqualTo(hf.getObject("llama-3-8b").orElseThrow().getLong("buffers", -1));
        JsonObject vision =
                groundTruth("vision-models.json").getObject("tv:resnet18").orElseThrow();
        JsonObject resnet = json("estimate", "resnet18", "--json");
        assertThat(resnet.getLong("parameters", 0)).isEqualTo(vision.getLong("params", -1));
        assertThat(resnet.getLong("buffers", 0)).isEqualTo(vision.getLong("buffers", -1));
        assertThat(resnet.getObject("flops").orElseThrow().getLong("total", 0))
                .isEqualTo(vision.getLong("flops_total", -1));
    }

    @Test
    void contextScalingKeepsParametersAndGrowsKvLinearly() {
        JsonObject o = json("estimate", "llama-3-8b", "--context", "1k,2k,4k", "--json");
        JsonValue.JsonArray rows = o.getArray("scaling").orElseThrow();
        long p0 = rows.get(0).asObject("r").getLong("parameters", 0);
        long kv0 = rows.get(0).asObject("r").getLong("kv_cache_bytes", 0);
        for (int i = 1; i < rows.size(); i++) {
            JsonObject r = rows.get(i).asObject("r");
            assertThat(r.getLong("parameters", 0)).isEqualTo(p0);
            assertThat(r.getLong("kv_cache_bytes", 0)).isEqualTo(kv0 << i);
        }
    }

    @Test
    void memoryJsonHasTheContractKeysAndPartsAddUp() {
        JsonObject o = json("memory", "llama-3.2-1b", "--dtype", "bf16", "--batch", "8", "--context", "8192", "--json");
        long sum = 0;
        for (String k : new String[] {"weights_bytes", "kv_cache_bytes", "activation_bytes", "overhead_bytes"}) {
            assertThat(o.has(k)).as(k).isTrue();
            sum += o.getLong(k, 0);
        }
        assertThat(o.getLong("total_bytes", 0)).isEqualTo(sum);
        // KV cache, closed form: 16 layers x 8 batch x 8192 tokens x 8 KV heads x 128 (k+v of 64) x 2 bytes.
        assertThat(o.getLong("kv_cache_bytes", 0)).isEqualTo(16L * 8 * 8192 * 8 * 128 * 2);
        JsonObject t = json("memory", "qwen2.5-0.5b", "--train", "--json");
        for (String k : new String[] {"gradients_bytes", "optimizer_bytes", "peak_bytes"}) {
            assertThat(t.has(k)).as(k).isTrue();
        }
    }

    @Test
    void fitRowsSayFitsExactlyWhenTheTotalIsWithinTheUsableMemory() {
        JsonObject o = json("fit", "llama-3-8b", "--devices", "h100-sxm,rtx-3060", "--dtypes", "bf16,q4_k_m", "--json");
        JsonValue.JsonArray rows = o.getArray("rows").orElseThrow();
        assertThat(rows.size()).isEqualTo(4);
        for (JsonValue v : rows.elements()) {
            JsonObject r = v.asObject("row");
            for (String k : new String[] {"device", "dtype", "fits", "max_context", "decode_tokens_per_s"}) {
                assertThat(r.members()).as(k).containsKey(k);
            }
            boolean fits = r.getBoolean("fits", false);
            assertThat(fits).isEqualTo(r.getLong("total_bytes", 0) <= r.getLong("usable_bytes", 0));
            // A row that does not fit (and that PyTorch cannot offload) gets no speed, never a number that means
            // nothing.
            assertThat(r.has("decode_tokens_per_s")).as(r.toString()).isEqualTo(fits);
        }
    }

    @Test
    void speedJsonHasDecodeAndPrefill() {
        JsonObject o = json("speed", "llama-3-8b", "--device", "h200", "--json");
        assertThat(o.getDouble("decode_ms_per_token", 0)).isPositive();
        assertThat(o.getDouble("prefill_tokens_per_s", 0)).isPositive();
    }

    @Test
    void aConfigJsonAndALayerSpecAreModelsToo(@TempDir Path tmp) throws Exception {
        JsonObject hf = groundTruth("hf-architectures.json").getObject("gpt2").orElseThrow();
        Path config = tmp.resolve("config.json");
        Files.writeString(
                config,
                dev.heft.core.json.JsonWriter.write(hf.getObject("config_diff").orElseThrow()));
        assertThat(json("estimate", config.toString(), "--json").getLong("parameters", 0))
                .isEqualTo(hf.getLong("params", -1));
        Path spec = tmp.resolve("net.yaml");
        Files.writeString(
                spec,
                "layers:\n  - {type: Linear, in_features: 784, out_features: 128}\n"
                        + "  - {type: ReLU}\n  - {type: Linear, in_features: 128, out_features: 10}\n");
        assertThat(json("estimate", spec.toString(), "--json").getLong("parameters", 0))
                .isEqualTo(784L * 128 + 128 + 128L * 10 + 10);
    }

    @Test
    void anExactFamilySaysSoAndAnyOtherIsApproximatedWithItsBound(@TempDir Path tmp) throws Exception {
        assertThat(json("estimate", "llama-3-8b", "--json").getBoolean("exact", false))
                .isTrue();
        // zamba (Mamba layers with a shared attention block) has no exact model: counted from the generic shape, within
        // its bound
        JsonObject approximated = Json.parse(Files.readAllBytes(
                        CliTestSupport.shared().resolve("ground-truth/hf-all-types/hf-all-types.json")))
                .asObject("all")
                .getObject("models")
                .orElseThrow()
                .getObject("zamba")
                .orElseThrow();
        Path config = tmp.resolve("config.json");
        Files.writeString(
                config,
                dev.heft.core.json.JsonWriter.write(
                        approximated.getObject("config").orElseThrow()));
        JsonObject o = json("estimate", config.toString(), "--json");
        assertThat(o.getBoolean("exact", true)).isFalse();
        JsonObject approx = o.getObject("approximation").orElseThrow();
        double worst = approx.getDouble("worst_relative_error_seen", 0);
        long truth = approximated.getLong("params", -1);
        assertThat(Math.abs(o.getLong("parameters", 0) - truth) / (double) truth)
                .isLessThanOrEqualTo(worst);
        assertThat(approx.getDouble("typical_relative_error_bound", 0)).isPositive();
    }

    @Test
    void catalogFamiliesListsExactAndApproximatedFamilies() {
        JsonObject o = json("catalog", "--families", "--json");
        assertThat(o.getString("schema", null)).isEqualTo("heft.catalog/1");
        JsonObject families = o.getObject("families").orElseThrow();
        assertThat(families.getArray("exact").orElseThrow().elements())
                .extracting(v -> ((JsonValue.JsonString) v).value())
                .contains("llama", "bert", "whisper", "llava");
        assertThat(families.getObject("approximate")
                        .orElseThrow()
                        .getArray("tiers")
                        .orElseThrow()
                        .size())
                .isPositive();
    }

    @Test
    void compareHasOneColumnPerModelWithTheLibrariesCounts() throws Exception {
        JsonObject hf = groundTruth("hf-architectures.json");
        JsonObject o = json(
                "compare",
                "llama-3-8b",
                "mistral-7b-v0.1",
                CliTestSupport.fixture("hf/safetensors/tiny-llama-f32").toString(),
                "--json");
        JsonValue.JsonArray cols = o.getArray("models").orElseThrow();
        assertThat(cols.size()).isEqualTo(3);
        assertThat(cols.get(0).asObject("c").getLong("parameters", 0))
                .isEqualTo(hf.getObject("llama-3-8b").orElseThrow().getLong("params", -1));
        assertThat(cols.get(1).asObject("c").getLong("parameters", 0))
                .isEqualTo(hf.getObject("mistral-7b-v0.1").orElseThrow().getLong("params", -1));
        assertThat(cols.get(2).asObject("c").getLong("parameters", 0)).isEqualTo(125_248); // fixtures/hf/expected.json
    }

    @Test
    void aDevicesFileAddsDevicesUsableById(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("devices.json");
        Files.writeString(
                file,
                "{\"devices\": [{\"id\": \"my-box\", \"name\": \"My box\", \"category\": "
                        + "\"custom\", \"memory_bytes\": 1000000000, \"bandwidth_gbps\": 100, \"tflops\": {\"bf16\": 10}, "
                        + "\"source\": \"me\"}]}");
        JsonObject o = json(
                "--devices-file", file.toString(), "fit", "gpt2", "--devices", "my-box", "--dtypes", "bf16", "--json");
        JsonObject row = o.getArray("rows").orElseThrow().get(0).asObject("row");
        assertThat(row.getString("device", null)).isEqualTo("my-box");
        assertThat(row.getLong("usable_bytes", 0)).isEqualTo(1_000_000_000L);
    }

    @Test
    void unknownCatalogNameSuggestsTheNearestId() {
        CliTestSupport.Result r = CliTestSupport.run("estimate", "lama-3-8b");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("did you mean 'llama-3-8b'");
    }
}
