package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stored layouts of the linear-layer formats against closed forms written here from the sources' shape formulas
 * (AutoGPTQ QuantLinear, AutoAWQ WQLinear_GEMM, bitsandbytes QuantState.as_dict, Linear8bitLt._save_to_state_dict,
 * DeepSeek-V3 and gpt-oss checkpoint headers), never from heft's own output.
 */
class LinearQuantFormatTest {

    private static Map<String, String> shapes(List<StoredTensor> stored) {
        return stored.stream()
                .collect(Collectors.toMap(
                        StoredTensor::name,
                        s -> s.dtype() + java.util.Arrays.toString(s.shape()),
                        (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    private static long total(List<StoredTensor> stored) {
        return stored.stream().mapToLong(StoredTensor::bytes).sum();
    }

    @Test
    void gptq4bitG128OnA4096SquareProjection() {
        List<StoredTensor> s = new GroupQuantFormat(GroupQuantFormat.Packing.GPTQ, 4, 128, false)
                .store("model.layers.0.self_attn.q_proj", new long[] {4096, 4096});
        assertThat(shapes(s))
                .containsExactly(
                        Map.entry("model.layers.0.self_attn.q_proj.qweight", "I32[512, 4096]"),
                        Map.entry("model.layers.0.self_attn.q_proj.qzeros", "I32[32, 512]"),
                        Map.entry("model.layers.0.self_attn.q_proj.scales", "F16[32, 4096]"),
                        Map.entry("model.layers.0.self_attn.q_proj.g_idx", "I32[4096]"));
        // 512*4096*4 + 32*512*4 + 32*4096*2 + 4096*4
        assertThat(total(s)).isEqualTo(8_388_608L + 65_536L + 262_144L + 16_384L);
        assertThat(s.get(0).role()).isEqualTo(TensorRole.WEIGHT);
        assertThat(s.subList(1, 4)).allMatch(t -> t.role() == TensorRole.QUANT_OVERHEAD);
    }

    @ParameterizedTest(name = "GPTQ {0}-bit g{1} on [{2}, {3}]")
    @CsvSource({
        "4, 128, 11008, 4096",
        "3, 128, 4096, 11008",
        "2, 64, 4096, 4096",
        "8, 32, 1024, 4096",
        "4, -1, 4096, 4096",
        "4, 128, 4096, 4160"
    })
    void gptqClosedForm(int bits, int group, long out, long in) {
        long g = group == -1 ? in : group;
        long groups = (in + g - 1) / g;
        long expected = in * out * bits / 8 // the packed weight: bits per value, no padding (in % 32 == 0)
                + groups * out * bits / 8 // packed zero points
                + groups * out * 2 // fp16 scales
                + in * 4; // int32 g_idx
        GroupQuantFormat f = new GroupQuantFormat(GroupQuantFormat.Packing.GPTQ, bits, group, false);
        assertThat(f.unsupportedShape(out, in)).isEmpty();
        assertThat(total(f.store("m", new long[] {out, in}))).isEqualTo(expected);
    }

    @Test
    void gptqActOrderStoresTheSameBytes() {
        long[] shape = {4096, 4096};
        assertThat(total(new GroupQuantFormat(GroupQuantFormat.Packing.GPTQ, 4, 128, true).store("m", shape)))
                .isEqualTo(total(new GroupQuantFormat(GroupQuantFormat.Packing.GPTQ, 4, 128, false).store("m", shape)));
    }

    @Test
    void gptqRefusesRowsThatDoNotPack() {
        GroupQuantFormat f = new GroupQuantFormat(GroupQuantFormat.Packing.GPTQ, 4, 128, false);
        assertThat(f.unsupportedShape(192, 688))
                .hasValueSatisfying(s -> assertThat(s).contains("688"));
        assertThat(f.unsupportedShape(200, 256))
                .hasValueSatisfying(s -> assertThat(s).contains("200"));
    }

    @Test
    void awqGemmLayout() {
        List<StoredTensor> s = new GroupQuantFormat(GroupQuantFormat.Packing.AWQ, 4, 128, false)
                .store("model.layers.0.mlp.down_proj", new long[] {4096, 11008});
        assertThat(shapes(s))
                .containsExactly(
                        Map.entry("model.layers.0.mlp.down_proj.qweight", "I32[11008, 512]"),
                        Map.entry("model.layers.0.mlp.down_proj.qzeros", "I32[86, 512]"),
                        Map.entry("model.layers.0.mlp.down_proj.scales", "F16[86, 4096]"));
        long in = 11008;
        long out = 4096;
        assertThat(total(s)).isEqualTo(in * out / 2 + (in / 128) * out / 2 + (in / 128) * out * 2);
    }

    @Test
    void nf4WithoutDoubleQuantIsFourAndAHalfBitsPlusTheCodeBook() {
        long n = 4096L * 4096;
        List<StoredTensor> s = new Nf4Format(false).store("model.layers.0.mlp.up_proj", new long[] {4096, 4096});
        assertThat(shapes(s))
                .containsExactly(
                        Map.entry("model.layers.0.mlp.up_proj.weight", "U8[" + n / 2 + ", 1]"),
                        Map.entry("model.layers.0.mlp.up_proj.weight.absmax", "F32[" + n / 64 + "]"),
                        Map.entry("model.layers.0.mlp.up_proj.weight.quant_map", "F32[16]"));
        // QLoRA: 4 bits per value plus a 32-bit absmax per 64 values = 4.5 bits; plus the 16-entry fp32 code book.
        assertThat(total(s)).isEqualTo(n * 45 / 80 + 16 * 4);
    }

    @Test
    void nf4DoubleQuantSavesWhatQloraSays() {
        // QLoRA (Dettmers et al. 2023, section 3): double quantization takes the constants from 32/64 = 0.5 bits per
        // parameter to 8/64 + 32/(64*256) = 0.127 bits.
        long out = 8192;
        long in = 8192;
        long n = out * in;
        List<StoredTensor> s = new Nf4Format(true).store("w", new long[] {out, in});
        assertThat(shapes(s))
                .containsExactly(
                        Map.entry("w.weight", "U8[" + n / 2 + ", 1]"),
                        Map.entry("w.weight.absmax", "U8[" + n / 64 + "]"),
                        Map.entry("w.weight.quant_map", "F32[16]"),
                        Map.entry("w.weight.nested_absmax", "F32[" + n / 64 / 256 + "]"),
                        Map.entry("w.weight.nested_quant_map", "F32[256]"));
        long codeBooks = 16 * 4 + 256 * 4;
        double constantBits = (total(s) - n / 2 - codeBooks) * 8.0 / n;
        assertThat(constantBits).isCloseTo(8.0 / 64 + 32.0 / (64 * 256), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void nf4RoundsPartialBlocksUp() {
        // 100 values: 50 bytes of codes, ceil(100/64) = 2 absmax, ceil(2/256) = 1 nested absmax.
        List<StoredTensor> s = new Nf4Format(true).store("w", new long[] {10, 10});
        assertThat(total(s)).isEqualTo(50 + 2 + 64 + 4 + 1024);
        List<StoredTensor> odd = new Nf4Format(false).store("w", new long[] {3, 3});
        assertThat(odd.getFirst().shape()).containsExactly(5, 1); // (9 + 1) / 2
    }

    @Test
    void llmInt8RowScales() {
        List<StoredTensor> s = new LlmInt8Format().store("model.layers.0.self_attn.o_proj", new long[] {4096, 4096});
        assertThat(shapes(s))
                .containsExactly(
                        Map.entry("model.layers.0.self_attn.o_proj.weight", "I8[4096, 4096]"),
                        Map.entry("model.layers.0.self_attn.o_proj.SCB", "F32[4096]"),
                        Map.entry("model.layers.0.self_attn.o_proj.weight_format", "U8[]"));
        assertThat(total(s)).isEqualTo(4096L * 4096 + 4096 * 4 + 1);
    }

    @Test
    void fp8BlockScalesAsDeepSeekV3ShipsThem() {
        // DeepSeek-V3 model.safetensors.index / headers: mlp.down_proj.weight F8_E4M3 [7168, 18432] with
        // weight_scale_inv F32 [56, 144]; self_attn.kv_a_proj_with_mqa.weight [576, 7168] with [5, 56].
        Fp8Weights f = new Fp8Weights(DType.F8_E4M3, Fp8Weights.Scaling.BLOCK_128);
        assertThat(shapes(f.store("model.layers.3.mlp.down_proj", new long[] {7168, 18432})))
                .containsExactly(
                        Map.entry("model.layers.3.mlp.down_proj.weight", "F8_E4M3[7168, 18432]"),
                        Map.entry("model.layers.3.mlp.down_proj.weight_scale_inv", "F32[56, 144]"));
        assertThat(shapes(f.store("a", new long[] {576, 7168}))).containsEntry("a.weight_scale_inv", "F32[5, 56]");
        assertThat(total(f.store("a", new long[] {576, 7168}))).isEqualTo(576L * 7168 + 5 * 56 * 4);
    }

    @Test
    void fp8PerTensorAndPerChannel() {
        assertThat(total(new Fp8Weights(DType.F8_E5M2, Fp8Weights.Scaling.PER_TENSOR).store("w", new long[] {64, 32})))
                .isEqualTo(64 * 32 + 4);
        assertThat(total(new Fp8Weights(DType.F8_E4M3, Fp8Weights.Scaling.PER_CHANNEL).store("w", new long[] {64, 32})))
                .isEqualTo(64 * 32 + 64 * 4);
        // Experts: one scale per expert.
        assertThat(total(new Fp8Weights(DType.F8_E4M3, Fp8Weights.Scaling.PER_TENSOR)
                        .store("w", new long[] {8, 64, 32})))
                .isEqualTo(8 * 64 * 32 + 8 * 4);
    }

    @Test
    void int8PerChannel() {
        assertThat(shapes(new Int8ChannelFormat(DType.F32).store("w", new long[] {256, 512})))
                .containsExactly(Map.entry("w.weight", "I8[256, 512]"), Map.entry("w.weight_scale", "F32[256, 1]"));
    }

    @Test
    void mxfp4AsGptOss20bShipsIt() {
        // gpt-oss-20b: 32 experts, hidden 2880, intermediate 2880; the checkpoint holds
        // mlp.experts.gate_up_proj_blocks U8 [32, 5760, 90, 16] and gate_up_proj_scales U8 [32, 5760, 90].
        List<StoredTensor> s =
                new Mxfp4Format().store("model.layers.0.mlp.experts.gate_up_proj", new long[] {32, 5760, 2880});
        assertThat(shapes(s))
                .containsExactly(
                        Map.entry("model.layers.0.mlp.experts.gate_up_proj_blocks", "U8[32, 5760, 90, 16]"),
                        Map.entry("model.layers.0.mlp.experts.gate_up_proj_scales", "U8[32, 5760, 90]"));
        long values = 32L * 5760 * 2880;
        assertThat(total(s) * 8.0 / values).isEqualTo(4.25); // 17 bytes per 32 values
        assertThat(total(s)).isEqualTo(DType.MXFP4.bytesFor(values)); // same block as ggml's MXFP4
    }

    @Test
    void formatsRejectImpossibleParameters() {
        assertThatThrownBy(() -> new GroupQuantFormat(GroupQuantFormat.Packing.AWQ, 3, 128, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupQuantFormat(GroupQuantFormat.Packing.GPTQ, 5, 128, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupQuantFormat(GroupQuantFormat.Packing.GPTQ, 4, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
