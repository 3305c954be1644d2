package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole-model plans for tiny-llama's tensors (names and shapes from the GGUF fixture) in every format family. */
class CompressionPlannerTest {

    private static final List<TensorSpec> TINY = GgufFixturePlans.tensors("tiny-llama-F32.gguf");
    private static final ModelFacts FACTS =
            ModelFacts.fromGgufMetadata(GgufFixturePlans.metadata("tiny-llama-F32.gguf"));
    // tiny-llama: 2 x [512, 256] embeddings/head, 7 x [256] norms; per block q, o [256, 256], k, v [128, 256],
    // gate, up [512, 256], down [256, 512].
    private static final long[][] LINEARS = {
        {256, 256}, {128, 256}, {128, 256}, {256, 256}, {512, 256}, {512, 256}, {256, 512}
    };
    private static final long KEPT_ELEMENTS = 2L * 512 * 256 + 7 * 256;

    @Test
    void gguf() {
        QuantPlan p = CompressionPlanner.plan(TINY, FACTS, PrecisionFormats.parse("q4_k_m"));
        assertThat(p.bytes())
                .isEqualTo(GgufFixturePlans.file("tiny-llama-Q4_K_M.gguf").getLong("tensor_data_bytes", -1));
        QuantPlan pure = CompressionPlanner.plan(TINY, FACTS, PrecisionFormats.parse("Q4_0-pure"));
        assertThat(pure.format()).isEqualTo("Q4_0-pure");
        assertThat(pure.bytes())
                .isEqualTo(GgufFixturePlans.file("tiny-llama-Q4_0-pure.gguf").getLong("tensor_data_bytes", -1));
        assertThatThrownBy(() -> CompressionPlanner.plan(TINY, null, PrecisionFormats.parse("q4_k_m")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("n_layer");
    }

    @Test
    void gptq4bitG128KeepsEmbeddingsHeadAndNormsInF16() {
        QuantPlan p = CompressionPlanner.plan(TINY, FACTS, PrecisionFormats.parse("gptq-4bit-g128"));
        long expected = KEPT_ELEMENTS * 2;
        for (long[] oi : LINEARS) {
            long out = oi[0];
            long in = oi[1];
            long groups = (in + 127) / 128;
            expected += 3 * (in * out / 2 + groups * out / 2 + groups * out * 2 + in * 4);
        }
        assertThat(p.bytes()).isEqualTo(expected);
        assertThat(p.encodingCounts())
                .containsOnly(java.util.Map.entry("F16", 9), java.util.Map.entry("gptq-4bit-g128", 21));
        assertThat(p.tensor("output.weight").orElseThrow().encoding()).isEqualTo("F16");
        assertThat(p.tensor("blk.0.attn_norm.weight").orElseThrow().reason()).startsWith("1-D tensor");
        assertThat(p.tensor("blk.2.ffn_down.weight").orElseThrow().stored())
                .extracting(StoredTensor::name)
                .containsExactly(
                        "blk.2.ffn_down.qweight",
                        "blk.2.ffn_down.qzeros",
                        "blk.2.ffn_down.scales",
                        "blk.2.ffn_down.g_idx");
        assertThat(p.elements()).isEqualTo(2_033_408L); // tiny-llama's parameter count (fixture README)
        assertThat(p.savingsVsFp16()).isEqualTo(1.0 - (double) expected / (2 * 2_033_408L));
    }

    @Test
    void nf4DoubleQuantWithBf16Kept() {
        QuantPlan p = CompressionPlanner.plan(TINY, FACTS, PrecisionFormats.parse("nf4-dq"), Optional.of(DType.BF16));
        long expected = KEPT_ELEMENTS * 2;
        for (long[] oi : LINEARS) {
            long n = oi[0] * oi[1];
            long blocks = (n + 63) / 64;
            expected += 3 * (n / 2 + blocks + 16 * 4 + ((blocks + 255) / 256) * 4 + 256 * 4);
        }
        assertThat(p.bytes()).isEqualTo(expected);
        assertThat(p.tensor("token_embd.weight").orElseThrow().encoding()).isEqualTo("BF16");
        assertThat(p.notes()).anyMatch(n -> n.contains("quant_state.bitsandbytes__nf4"));
    }

    @Test
    void jsonFormRoundTripsThroughTheJsonReader() {
        QuantPlan p = CompressionPlanner.plan(TINY, FACTS, PrecisionFormats.parse("awq"));
        dev.heft.core.json.JsonValue.JsonObject o = dev.heft.core.json.Json.parse(
                        dev.heft.core.json.JsonWriter.write(p.toJson()))
                .asObject("plan");
        assertThat(o.getLong("tensor_bytes", -1)).isEqualTo(p.bytes());
        assertThat(o.getString("format", null)).isEqualTo("awq-4bit-g128");
        dev.heft.core.json.JsonValue.JsonObject first =
                o.getArray("tensors").orElseThrow().get(0).asObject("t");
        assertThat(first.getString("name", null))
                .isEqualTo(p.tensors().getFirst().name());
        assertThat(o.getArray("tensors").orElseThrow().size()).isEqualTo(30);
    }

    @Test
    void plainFormatsAreElementsTimesWidth() {
        assertThat(CompressionPlanner.plan(TINY, FACTS, PrecisionFormats.parse("bf16"))
                        .bytes())
                .isEqualTo(2 * 2_033_408L);
        assertThat(CompressionPlanner.plan(TINY, FACTS, PrecisionFormats.parse("fp32"))
                        .bytes())
                .isEqualTo(GgufFixturePlans.file("tiny-llama-F32.gguf").getLong("tensor_data_bytes", -1));
        assertThat(CompressionPlanner.plan(TINY, FACTS, PrecisionFormats.parse("fp32"))
                        .savingsVsFp16())
                .isEqualTo(-1.0);
    }

    @Test
    void mxfp4OnlyTouchesExperts() {
        List<TensorSpec> moe = List.of(
                TensorSpec.of("blk.0.ffn_gate_exps.weight", DType.BF16, 4, 128, 64),
                TensorSpec.of("blk.0.ffn_gate_inp.weight", DType.BF16, 4, 64),
                TensorSpec.of("blk.0.attn_q.weight", DType.BF16, 64, 64));
        QuantPlan p = CompressionPlanner.plan(moe, null, PrecisionFormats.parse("mxfp4"));
        assertThat(p.tensor("blk.0.ffn_gate_exps.weight").orElseThrow().bytes()).isEqualTo(4L * 128 * 64 / 32 * 17);
        assertThat(p.tensor("blk.0.ffn_gate_inp.weight").orElseThrow().encoding())
                .isEqualTo("BF16");
        assertThat(p.tensor("blk.0.attn_q.weight").orElseThrow().encoding()).isEqualTo("BF16");
    }

    @Test
    void weightsThatCannotPackStayUnquantizedWithAReason() {
        List<TensorSpec> odd = GgufFixturePlans.tensors("tiny-odd-F32.gguf");
        QuantPlan p = CompressionPlanner.plan(odd, null, PrecisionFormats.parse("gptq-4bit-g128"));
        PlannedTensor down = p.tensor("blk.0.ffn_down.weight").orElseThrow();
        assertThat(down.encoding()).isEqualTo("F16");
        assertThat(down.reason()).contains("in_features 688 not a multiple of 32");
        // ffn_gate/ffn_up are [688, 192]: 688 outputs do not fill whole 32-output zero-point words either.
        assertThat(p.tensor("blk.1.ffn_up.weight").orElseThrow().reason()).contains("out_features 688");
        assertThat(p.notes()).containsExactly("6 linear weight(s) could not be stored as gptq-4bit-g128 and stay F16");
        // attn_k/attn_v of tiny-odd are [64, 192]: 64 outputs pack, 192 inputs pack.
        assertThat(p.tensor("blk.0.attn_k.weight").orElseThrow().encoding()).isEqualTo("gptq-4bit-g128");
    }
}
