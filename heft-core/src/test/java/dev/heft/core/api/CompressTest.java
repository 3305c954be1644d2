package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.report.CompressReport;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compress what-if against what llama-quantize really wrote (../shared/fixtures/gguf/expected.json) and against
 * closed forms for pruning written here. Options go in as a user types them (the operation's own parameters), so the
 * path from option text to report is the one the CLI and the HTTP API take.
 */
class CompressTest {
    private static final JsonObject EXPECTED = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"));
    private static final Heft HEFT = Heft.create();

    private static CompressReport run(String model, Map<String, String> options) {
        return (CompressReport) Operations.COMPRESS
                .run(
                        HEFT,
                        List.of(HEFT.open(model)),
                        ParamValues.parse(Operations.COMPRESS.params(), options),
                        Progress.NONE)
                .report();
    }

    private static CompressReport.Side after(CompressReport r) {
        return r.after();
    }

    @ParameterizedTest(name = "{0} --quant {1} -> {2}")
    @CsvSource({
        "tiny-llama-F32.gguf, Q4_K_M, tiny-llama-Q4_K_M.gguf",
        "tiny-llama-F32.gguf, Q8_0, tiny-llama-Q8_0.gguf",
        "tiny-llama-F32.gguf, Q2_K, tiny-llama-Q2_K.gguf",
        "tiny-llama-F32.gguf, Q5_K_M, tiny-llama-Q5_K_M.gguf",
        "tiny-llama-F32.gguf, Q4_0-pure, tiny-llama-Q4_0-pure.gguf",
        "tiny-odd-F32.gguf, Q4_K_M, tiny-odd-Q4_K_M.gguf",
    })
    void quantizingTheF32FileGivesTheBytesLlamaQuantizeWrote(String source, String type, String written)
            throws Exception {
        CompressReport j = run(
                SharedFixtures.fixture("gguf/" + source).toString(),
                Map.of("quant", type, "context", "256", "devices", "h200"));
        long expected = EXPECTED.getObject("files")
                .orElseThrow()
                .getObject(written)
                .orElseThrow()
                .getLong("tensor_data_bytes", -1);
        assertThat(after(j).bytes()).isEqualTo(expected);
        assertThat(after(j).parameters())
                .isEqualTo(EXPECTED.getObject("files")
                        .orElseThrow()
                        .getObject(written)
                        .orElseThrow()
                        .getLong("total_elements", -1));
    }

    @Test
    void semiStructuredPruningHalvesPrunableWeightsAndAddsTwoBitsPerKeptValue() {
        CompressReport j = run("llama-3.2-1b", Map.of("prune", "2:4", "devices", "h200"));
        // Llama-3.2-1B, bf16: prunable = q,k,v,o,gate,up,down of 16 layers (hidden 2048, kv 512, ffn 8192);
        // the tied embedding (the head) stays dense.
        long perLayer = 2048L * 2048 * 2 + 2048L * 512 * 2 + 3L * 2048 * 8192;
        long prunable = 16 * perLayer;
        long before = 1_235_814_400L * 2;
        long kept = prunable / 2;
        long expectedBytes = before - prunable * 2 + kept * 2 + kept * 2 / 8;
        assertThat(after(j).bytes()).isEqualTo(expectedBytes);
        assertThat(after(j).parameters()).isEqualTo(1_235_814_400L - prunable / 2);
    }

    @Test
    void structuredPruningOfLayersIsANewArchitectureCountedByTheEngine() {
        JsonObject gt = SharedFixtures.json(SharedFixtures.groundTruth("hf-architectures.json"))
                .getObject("llama-3-8b")
                .orElseThrow();
        long params = gt.getLong("params", -1);
        long embedding = 128_256L * 4096;
        long perLayer = (params - 2 * embedding - 4096) / 32;
        CompressReport j = run("llama-3-8b", Map.of("prune", "layers=16", "devices", "h200"));
        assertThat(after(j).parameters()).isEqualTo(2 * embedding + 4096 + 16 * perLayer);
    }

    @Test
    void keepingEmbeddingsAndHeadInBf16CostsTheirBf16Bytes() {
        CompressReport plain = run("llama-3-8b", Map.of("quant", "Q4_K_M", "devices", "h200"));
        CompressReport kept =
                run("llama-3-8b", Map.of("quant", "Q4_K_M", "keep", "embeddings,head=bf16", "devices", "h200"));
        long delta = after(kept).bytes() - after(plain).bytes();
        // Q4_K_M puts token_embd in Q4_K and output in Q6_K (llama.cpp rules); keeping both at bf16 costs the
        // difference: 2 x 128256 x 4096 x 2 bytes minus their Q4_K (144/256 B) and Q6_K (210/256 B) sizes.
        long e = 128_256L * 4096;
        assertThat(delta).isEqualTo(2 * e * 2 - e / 256 * 144 - e / 256 * 210);
    }

    @Test
    void nothingToDoIsAnError() {
        assertThatThrownBy(() -> run("gpt2", Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--quant");
    }
}
