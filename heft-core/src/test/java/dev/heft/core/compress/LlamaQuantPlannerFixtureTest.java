package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Planning the F32 sources must reproduce, tensor by tensor, the types and bytes llama-quantize wrote (as recorded by
 * gguf-py in ../shared/fixtures/gguf/expected.json), including the fallbacks of tiny-odd.
 */
class LlamaQuantPlannerFixtureTest {

    @ParameterizedTest(name = "{1} {2} of {0} = {3}")
    @CsvSource({
        "tiny-llama-F32.gguf, Q8_0, false, tiny-llama-Q8_0.gguf",
        "tiny-llama-F32.gguf, Q4_0, false, tiny-llama-Q4_0.gguf",
        "tiny-llama-F32.gguf, Q4_1, false, tiny-llama-Q4_1.gguf",
        "tiny-llama-F32.gguf, Q5_K_M, false, tiny-llama-Q5_K_M.gguf",
        "tiny-llama-F32.gguf, Q4_K_M, false, tiny-llama-Q4_K_M.gguf",
        "tiny-llama-F32.gguf, Q6_K, false, tiny-llama-Q6_K.gguf",
        "tiny-llama-F32.gguf, Q2_K, false, tiny-llama-Q2_K.gguf",
        "tiny-llama-F32.gguf, IQ4_NL, false, tiny-llama-IQ4_NL.gguf",
        "tiny-llama-F32.gguf, BF16, false, tiny-llama-BF16.gguf",
        "tiny-llama-F32.gguf, F16, false, tiny-llama-F16.gguf",
        "tiny-llama-F32.gguf, Q4_0, true, tiny-llama-Q4_0-pure.gguf",
        "tiny-odd-F32.gguf, Q4_K_M, false, tiny-odd-Q4_K_M.gguf",
    })
    void reproducesLlamaQuantize(String source, String ftypeName, boolean pure, String produced) {
        LlamaFileType ftype = LlamaFileType.fromName(ftypeName).orElseThrow();
        ModelFacts facts = ModelFacts.fromGgufMetadata(GgufFixturePlans.metadata(source));
        QuantPlan plan = LlamaQuantPlanner.plan(
                GgufFixturePlans.tensors(source),
                facts,
                ftype,
                LlamaQuantOptions.defaults(ftype).withPure(pure));

        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (PlannedTensor t : plan.tensors()) {
            types.put(t.name(), t.encoding());
            bytes.put(t.name(), t.bytes());
        }
        assertThat(types).isEqualTo(GgufFixturePlans.types(produced));
        assertThat(bytes).isEqualTo(GgufFixturePlans.bytes(produced));
        assertThat(plan.bytes()).isEqualTo(GgufFixturePlans.file(produced).getLong("tensor_data_bytes", -1));
        assertThat(plan.elements()).isEqualTo(GgufFixturePlans.file(produced).getLong("total_elements", -1));
        // The planner visits tensors in the model loader's order, which is the order llama-quantize writes them.
        assertThat(plan.tensors().stream().map(PlannedTensor::name).toList())
                .isEqualTo(GgufFixturePlans.order(produced));
        // llama-quantize's own printed totals ("quant size = %8.2f MB", MiB of tensor data) are a second witness.
        JsonObjectView printed = new JsonObjectView(GgufFixturePlans.file(produced));
        assertThat(String.format(java.util.Locale.ROOT, "%.2f", plan.bytes() / 1048576.0))
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.2f", printed.quantMiB()));
        assertThat(plan.bitsPerWeight())
                .isCloseTo(
                        GgufFixturePlans.file(produced).getDouble("bits_per_weight", -1),
                        org.assertj.core.data.Offset.offset(1e-4));
    }

    /** llama_quantize.printed_quant_size_MiB of an expected.json file entry. */
    private record JsonObjectView(dev.heft.core.json.JsonValue.JsonObject file) {
        double quantMiB() {
            return file.getObject("llama_quantize").orElseThrow().getDouble("printed_quant_size_MiB", -1);
        }
    }

    @Test
    void tinyOddFallbacksMatchTheFileAndTheWarning() {
        String produced = "tiny-odd-Q4_K_M.gguf";
        QuantPlan plan = LlamaQuantPlanner.plan(
                GgufFixturePlans.tensors("tiny-odd-F32.gguf"),
                ModelFacts.fromGgufMetadata(GgufFixturePlans.metadata("tiny-odd-F32.gguf")),
                LlamaFileType.Q4_K_M);

        assertThat(plan.encodingCounts())
                .containsOnly(Map.entry("Q8_0", 2), Map.entry("F32", 5), Map.entry("Q5_0", 12), Map.entry("F16", 2));
        // llama-quantize printed "WARNING: 15 of 16 tensor(s) required fallback quantization".
        String printed = GgufFixturePlans.file(produced)
                .getObject("llama_quantize")
                .orElseThrow()
                .getString("printed_fallback_warning", "");
        assertThat(printed).isEqualTo("WARNING: " + plan.notes().getFirst());
        assertThat(plan.tensor("blk.0.ffn_down.weight").orElseThrow().reason())
                .isEqualTo("fallback: row 688 not a multiple of 256 (Q4_K), nor of 32 (Q5_0) -> F16");
        assertThat(plan.tensor("blk.1.attn_v.weight").orElseThrow().reason())
                .isEqualTo("fallback: row 192 not a multiple of 256 (Q6_K) -> Q8_0");
        assertThat(plan.tensor("blk.0.ffn_gate.weight").orElseThrow().reason())
                .isEqualTo("fallback: row 192 not a multiple of 256 (Q4_K) -> Q5_0");
    }

    /**
     * tiny-odd's ffn_down rows are 688 wide, not a multiple of 32: llama-quantize's Q4_K_M falls back (the file above
     * was written), but Q8_0 and Q4_0 have no fallback type (tensor_type_fallback's default case throws), so those
     * files cannot be made. The plan says so instead of throwing, and sizes nothing but the source: its bytes are the
     * F32 file's tensor data as gguf-py read it, not a quantized figure.
     */
    @ParameterizedTest(name = "{0} of tiny-odd is not applicable")
    @CsvSource({"Q8_0", "Q4_0", "Q4_1", "Q5_0"})
    void typesWithoutAFallbackAreNotApplicableToTinyOdd(String ftypeName) {
        LlamaFileType ftype = LlamaFileType.fromName(ftypeName).orElseThrow();
        QuantPlan plan = LlamaQuantPlanner.plan(
                GgufFixturePlans.tensors("tiny-odd-F32.gguf"),
                ModelFacts.fromGgufMetadata(GgufFixturePlans.metadata("tiny-odd-F32.gguf")),
                ftype);
        assertThat(plan.applicability())
                .isInstanceOfSatisfying(
                        Applicability.NotApplicable.class,
                        na -> assertThat(na.reason())
                                .startsWith("llama-quantize cannot make " + ftypeName + " of this model: ")
                                .contains("blk.0.ffn_down.weight: row length 688 is not a multiple of 32")
                                .contains("no fallback for " + ftypeName)
                                .contains("(and 1 more tensor(s))"));
        assertThat(plan.bytes())
                .isEqualTo(GgufFixturePlans.file("tiny-odd-F32.gguf").getLong("tensor_data_bytes", -1));
        assertThat(plan.encodingCounts()).containsOnly(Map.entry("F32", 21));
    }

    @Test
    void shuffledInputGivesTheSamePlan() {
        List<TensorSpec> tensors = new java.util.ArrayList<>(GgufFixturePlans.tensors("tiny-llama-F32.gguf"));
        ModelFacts facts = ModelFacts.fromGgufMetadata(GgufFixturePlans.metadata("tiny-llama-F32.gguf"));
        QuantPlan inOrder = LlamaQuantPlanner.plan(tensors, facts, LlamaFileType.Q4_K_M);
        java.util.Collections.reverse(tensors);
        assertThat(LlamaQuantPlanner.plan(tensors, facts, LlamaFileType.Q4_K_M)).isEqualTo(inOrder);
    }
}
