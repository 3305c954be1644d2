package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 through the command line: models in their published precision, context limits, explicit distillation
 * sizes, and one-line errors where a stack trace or a meaningless table used to come out.
 */
class PrecisionAndLimitsCliTest {
    @TempDir
    Path tmp;

    private static JsonObject json(CliTestSupport.Result r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Json.parse(r.out().getBytes(StandardCharsets.UTF_8)).asObject("output");
    }

    private static void oneLineError(CliTestSupport.Result r, int code, String... contains) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("heft: ").contains(contains).doesNotContain("\tat ", "Exception");
    }

    @Test
    void fitCapsMaxContextAtTheModelsLimitAndWarns() {
        // Meta-Llama-3-8B's config.json: max_position_embeddings 8192. Before, a 128k context reported 76,098.
        CliTestSupport.Result r = CliTestSupport.run(
                "fit", "llama-3-8b", "--context", "128k", "--devices", "h100-sxm,l4,rtx-3060", "--json");
        JsonObject j = json(r);
        assertThat(j.getLong("context_limit", -1)).isEqualTo(8192);
        assertThat(j.getArray("warnings").orElseThrow().elements())
                .singleElement()
                .asString()
                .contains("131,072")
                .contains("8,192");
        for (JsonValue row : j.getArray("rows").orElseThrow().elements()) {
            assertThat(row.asObject("row").getLong("max_context", -1)).isBetween(0L, 8192L);
        }
        CliTestSupport.Result text =
                CliTestSupport.run("fit", "llama-3-8b", "--context", "128k", "--devices", "h100-sxm");
        assertThat(text.out()).contains("Warnings").contains("8,192").doesNotContain("131,072  ");
    }

    @Test
    void aDefaultContextLongerThanTheModelIsItsLimitAndAnAskedOneIsWarnedAbout() {
        // openai-community/gpt2: n_positions 1024
        JsonObject byDefault = json(CliTestSupport.run("memory", "gpt2", "--json"));
        assertThat(byDefault.getLong("context", -1)).isEqualTo(1024);
        assertThat(byDefault.getArray("warnings").orElseThrow().elements()).isEmpty();
        JsonObject asked = json(CliTestSupport.run("memory", "gpt2", "--context", "4096", "--json"));
        assertThat(asked.getLong("context", -1)).isEqualTo(4096);
        assertThat(asked.getArray("warnings").orElseThrow().elements()).hasSize(1);
    }

    @Test
    void encodersGetAPrefillRateButNoDecodeRateOrTimeToFirstToken() {
        JsonObject speed = json(CliTestSupport.run("speed", "bert-base-uncased", "--device", "rtx-4090", "--json"));
        assertThat(speed.get("decode_tokens_per_s").orElseThrow()).isInstanceOf(JsonValue.JsonNull.class);
        assertThat(speed.get("time_to_first_token_s").orElseThrow()).isInstanceOf(JsonValue.JsonNull.class);
        assertThat(speed.getDouble("prefill_tokens_per_s", 0)).isPositive();
        JsonObject fit = json(CliTestSupport.run("fit", "bert-base-uncased", "--devices", "rtx-4090", "--json"));
        for (JsonValue row : fit.getArray("rows").orElseThrow().elements()) {
            assertThat(row.asObject("row").get("decode_tokens_per_s").orElseThrow())
                    .isInstanceOf(JsonValue.JsonNull.class);
        }
    }

    @Test
    void catalogModelsDefaultToTheirPublishedPrecision() {
        // https://huggingface.co/openai/gpt-oss-120b/blob/main/model.safetensors.index.json: total_size 65248815744
        JsonObject memory = json(CliTestSupport.run("memory", "gpt-oss-120b", "--json"));
        assertThat(memory.getString("dtype", "")).isEqualTo("mxfp4");
        assertThat(memory.getString("dtype_origin", "")).isEqualTo("as published");
        assertThat(memory.getLong("weights_bytes", -1)).isEqualTo(65_248_815_744L);
        CliTestSupport.Result table = CliTestSupport.run("memory", "gpt-oss-120b", "--dtypes");
        assertThat(table.out()).containsPattern("\\nmxfp4 \\(as published\\) +4\\.468");
        CliTestSupport.Result compress =
                CliTestSupport.run("compress", "gpt-oss-120b", "--quant", "q4_k_m", "--devices", "h100-sxm");
        assertThat(compress.out()).contains("mxfp4 (as published)");
        JsonObject speed = json(CliTestSupport.run("speed", "gpt-oss-120b", "--device", "h100-sxm", "--json"));
        assertThat(speed.getString("dtype_origin", "")).isEqualTo("as published");
        assertThat(speed.getLong("weights_bytes", -1)).isEqualTo(65_248_815_744L);
    }

    @Test
    void fitOnAFileHasAnAsStoredRowAndAPrecisionThatCannotApplyIsNotApplicableWhileTheRestGoOn() {
        JsonObject gguf = json(CliTestSupport.run(
                "fit",
                CliTestSupport.fixture("gguf/tiny-llama-Q4_K_M.gguf").toString(),
                "--devices",
                "rtx-4090",
                "--json"));
        JsonObject first = gguf.getArray("rows").orElseThrow().get(0).asObject("row");
        assertThat(first.getString("dtype_origin", "")).isEqualTo("as stored");
        assertThat(first.getString("dtype", "")).startsWith("gguf file");
        // tiny-gpt2-tied's c_attn has in_features 144: GPTQ packs 32 input rows per int32 word, so int4 stores nothing
        JsonObject gpt2 = json(CliTestSupport.run(
                "fit",
                CliTestSupport.fixture("hf/safetensors/tiny-gpt2-tied").toString(),
                "--devices",
                "rtx-4090",
                "--dtypes",
                "native,int4-g128,bf16",
                "--json"));
        assertThat(gpt2.getArray("rows").orElseThrow().elements()).hasSize(2);
        assertThat(gpt2.getArray("notes").orElseThrow().elements())
                .anySatisfy(n ->
                        assertThat(n).asString().contains("gptq-4bit-g128: n/a").contains("144"));
    }

    @Test
    void distillSizesAreExplicitAndTheStudentsShapeIsPrinted() {
        oneLineError(
                CliTestSupport.run("compress", "llama-3-8b", "--distill", "layers=1.0"),
                ErrorHandler.INPUT_ERROR,
                "layers=1.0 is ambiguous",
                "layers=50%");
        oneLineError(
                CliTestSupport.run("compress", "llama-3-8b", "--prune", "channels=0.5"),
                ErrorHandler.INPUT_ERROR,
                "channels=0.5 is ambiguous");
        // Meta-Llama-3-8B has 32 layers: 50% is 16, and 12 is 12
        assertThat(CliTestSupport.run("compress", "llama-3-8b", "--distill", "layers=50%", "--devices", "h100-sxm")
                        .out())
                .contains("After   16 layers, hidden 4096, 32 attention heads (8 KV), MLP 14336");
        JsonObject twelve = json(CliTestSupport.run(
                "compress", "llama-3-8b", "--distill", "layers=12", "--devices", "h100-sxm", "--json"));
        assertThat(twelve.getObject("after_shape").orElseThrow().getLong("layers", -1))
                .isEqualTo(12);
    }

    @Test
    void devicesFileErrorsAreOneLineNamingTheFile() throws Exception {
        oneLineError(
                CliTestSupport.run("--devices-file", tmp.resolve("missing.json").toString(), "fit", "llama-3-8b"),
                ErrorHandler.INPUT_ERROR,
                "missing.json");
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{bad");
        oneLineError(
                CliTestSupport.run("fit", "llama-3-8b", "--devices-file", bad.toString()),
                ErrorHandler.INPUT_ERROR,
                bad.toString(),
                "devices file");
    }

    @Test
    void serveRefusesAPortOutOfRangeAndOneInUseInOneLine() throws Exception {
        oneLineError(
                CliTestSupport.run("serve", "--port", "99999"), ErrorHandler.USAGE_ERROR, "99999", "not a TCP port");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            oneLineError(
                    CliTestSupport.run("serve", "--port", Integer.toString(taken.getLocalPort())),
                    ErrorHandler.INPUT_ERROR,
                    "cannot listen on 127.0.0.1:" + taken.getLocalPort(),
                    "in use");
        }
    }

    @Test
    void quantErrorOnAnAlreadyQuantizedFileSaysSo() {
        oneLineError(
                CliTestSupport.run(
                        "quant-error",
                        CliTestSupport.fixture("gguf/tiny-llama-Q4_K_M.gguf").toString()),
                ErrorHandler.INPUT_ERROR,
                "already quantized",
                "Q4_K",
                "F32/F16/BF16");
    }

    @Test
    void aBudgetOfNoMemoryIsRefusedAsABudget() {
        oneLineError(
                CliTestSupport.run("memory", "llama-3-8b", "--budget", "0GB"),
                ErrorHandler.INPUT_ERROR,
                "budget: '0GB'",
                "24GB");
    }
}
