package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a precision of a list that cannot be made of the model is an n/a row with its reason, and the other rows
 * are still computed, in the memory, fit and compress tables alike. tiny-odd's ffn_down rows are 688 wide (not a
 * multiple of 32): llama-quantize wrote its Q4_K_M with fallbacks (../shared/fixtures/gguf/tiny-odd-Q4_K_M.gguf), but
 * Q8_0 has no fallback type, so llama-quantize makes no Q8_0 file of it.
 */
class NotApplicablePrecisionsCliTest {

    private static final String ODD =
            CliTestSupport.fixture("gguf/tiny-odd-F32.gguf").toString();

    private static JsonObject json(CliTestSupport.Result r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Json.parse(r.out().getBytes(StandardCharsets.UTF_8)).asObject("output");
    }

    /** tensor_data_bytes of a file in ../shared/fixtures/gguf/expected.json, as gguf-py read the file. */
    private static long expectedTensorBytes(String file) throws IOException {
        JsonObject expected = Json.parse(Files.readAllBytes(CliTestSupport.fixture("gguf/expected.json")))
                .asObject("expected.json");
        return expected.getObject("files")
                .orElseThrow()
                .getObject(file)
                .orElseThrow()
                .getLong("tensor_data_bytes", -1);
    }

    private static JsonObject row(JsonObject report, String key, String dtype) {
        return report.getArray(key).orElseThrow().elements().stream()
                .map(v -> v.asObject("row"))
                .filter(o -> o.getString("dtype", "").equals(dtype))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + dtype + " row in " + key));
    }

    @Test
    void memoryShowsTheRowsThatApplyAndNotApplicableForTheOneThatCannot() throws IOException {
        JsonObject j = json(CliTestSupport.run("memory", ODD, "--dtypes", "Q4_K_M,Q8_0,fp16", "--json"));
        JsonObject q4 = row(j, "precisions", "Q4_K_M");
        assertThat(q4.get("applicable").orElseThrow()).isEqualTo(new JsonValue.JsonBoolean(true));
        // The one llama-quantize wrote: tensor data of tiny-odd-Q4_K_M.gguf.
        assertThat(q4.getLong("weights_bytes", -1)).isEqualTo(expectedTensorBytes("tiny-odd-Q4_K_M.gguf"));
        JsonObject q8 = row(j, "precisions", "Q8_0");
        assertThat(q8.get("applicable").orElseThrow()).isEqualTo(new JsonValue.JsonBoolean(false));
        assertThat(q8.getString("not_applicable_reason", ""))
                .contains("blk.0.ffn_down.weight")
                .contains("688")
                .contains("no fallback for Q8_0");
        // Every key a row has is still there on the n/a row.
        for (String key : List.of("dtype", "bits_per_weight", "weights_bytes", "savings_vs_fp16", "total_bytes")) {
            assertThat(q8.get(key)).as(key).isPresent();
        }
        assertThat(row(j, "precisions", "fp16").getLong("weights_bytes", -1)).isEqualTo(1105344L * 2);

        CliTestSupport.Result text = CliTestSupport.run("memory", ODD, "--dtypes", "Q4_K_M,Q8_0");
        assertThat(text.exitCode()).as(text.err()).isZero();
        String q8Line = text.out()
                .lines()
                .filter(l -> l.startsWith("Q8_0 "))
                .findFirst()
                .orElseThrow();
        assertThat(q8Line)
                .contains("n/a: llama-quantize cannot make Q8_0 of this model")
                .doesNotContain("%");
        assertThat(text.out().lines().filter(l -> l.startsWith("Q4_K_M ")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("8.222").doesNotContain("n/a"));
    }

    @Test
    void memoryAtThatOnePrecisionWarnsThatTheWeightsAreUnquantized() throws IOException {
        JsonObject j = json(CliTestSupport.run("memory", ODD, "--dtype", "Q8_0", "--json"));
        assertThat(j.getArray("warnings").orElseThrow().elements())
                .anySatisfy(w -> assertThat(((JsonValue.JsonString) w).value())
                        .startsWith("Q8_0 is n/a for this model: llama-quantize cannot make Q8_0")
                        .contains("unquantized"));
        // The weights are the F32 source's, as gguf-py read tiny-odd-F32.gguf.
        assertThat(j.getLong("weights_bytes", -1)).isEqualTo(expectedTensorBytes("tiny-odd-F32.gguf"));
        CliTestSupport.Result text = CliTestSupport.run("memory", ODD, "--dtype", "Q8_0");
        assertThat(text.out()).contains("Warnings").contains("Q8_0 is n/a for this model");
    }

    @Test
    void fitGoesOnWithTheOtherPrecisionsAndListsTheOneThatCannotApply() {
        JsonObject j = json(
                CliTestSupport.run("fit", ODD, "--dtypes", "Q4_K_M,Q8_0", "--devices", "rtx-4090,h100-sxm", "--json"));
        assertThat(j.getArray("rows").orElseThrow().elements())
                .hasSize(2)
                .allSatisfy(r ->
                        assertThat(r.asObject("row").getString("dtype", "")).isEqualTo("Q4_K_M"));
        JsonValue na = j.getArray("not_applicable").orElseThrow().get(0);
        assertThat(na.asObject("na").getString("dtype", "")).isEqualTo("Q8_0");
        assertThat(na.asObject("na").get("applicable").orElseThrow()).isEqualTo(new JsonValue.JsonBoolean(false));
        assertThat(na.asObject("na").getString("reason", "")).contains("688").contains("no fallback for Q8_0");

        CliTestSupport.Result text = CliTestSupport.run("fit", ODD, "--dtypes", "Q4_K_M,Q8_0", "--devices", "rtx-4090");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("Q8_0: n/a, llama-quantize cannot make Q8_0 of this model");
    }

    @Test
    void compressToAPrecisionThatCannotApplyIsNotApplicableNotAZeroSaving() {
        JsonObject j = json(CliTestSupport.run("compress", ODD, "--quant", "q8_0", "--json"));
        JsonObject q = j.getObject("quantization").orElseThrow();
        assertThat(q.get("applicable").orElseThrow()).isEqualTo(new JsonValue.JsonBoolean(false));
        assertThat(q.getString("not_applicable_reason", "")).contains("no fallback for Q8_0");
        CliTestSupport.Result text = CliTestSupport.run("compress", ODD, "--quant", "q8_0");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("quantization n/a: llama-quantize cannot make Q8_0 of this model");
        // The other llama.cpp types still apply: Q4_K_M is the file llama-quantize wrote.
        JsonObject q4 = json(CliTestSupport.run("compress", ODD, "--quant", "q4_k_m", "--json"));
        assertThat(q4.getObject("quantization").orElseThrow().get("applicable"))
                .hasValue(new JsonValue.JsonBoolean(true));
    }
}
