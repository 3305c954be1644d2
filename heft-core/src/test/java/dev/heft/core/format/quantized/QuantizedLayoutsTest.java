package dev.heft.core.format.quantized;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.json.Json;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inventories written out here by hand from the documented layouts (AutoGPTQ QuantLinear, AutoAWQ WQLinear_GEMM,
 * bitsandbytes Params4bit / Linear8bitLt state dicts, gpt-oss MXFP4, DeepSeek-V3 FP8), with the logical parameter
 * counts known from the unquantized layer shapes.
 */
class QuantizedLayoutsTest {

    private static Tensor t(String name, DType dtype, long... shape) {
        return Tensor.weight(name, shape, dtype, -1, dtype.bytesFor(Shapes.elements(shape)), null);
    }

    private static TensorInventory inv(Tensor... tensors) {
        return new TensorInventory(ModelFormat.SAFETENSORS, List.of(), List.of(tensors), Map.of());
    }

    private static TensorRole role(TensorInventory i, String name) {
        return i.tensor(name).orElseThrow().role();
    }

    @Test
    void gptq4bitLlama7bProjection() {
        // q_proj of a 4096-wide model, 4 bits, group 128: qweight [512, 4096], qzeros [32, 512], scales [32, 4096].
        TensorInventory in = inv(
                t("model.layers.0.self_attn.q_proj.qweight", DType.I32, 512, 4096),
                t("model.layers.0.self_attn.q_proj.qzeros", DType.I32, 32, 512),
                t("model.layers.0.self_attn.q_proj.scales", DType.F16, 32, 4096),
                t("model.layers.0.self_attn.q_proj.g_idx", DType.I32, 4096),
                t("model.layers.0.self_attn.q_proj.bias", DType.F16, 4096),
                t("model.embed_tokens.weight", DType.F16, 32000, 4096));
        TensorInventory out = QuantizedLayouts.recognise(in);
        assertThat(out.tensor("model.layers.0.self_attn.q_proj.qweight")
                        .orElseThrow()
                        .parameters())
                .isEqualTo(4096L * 4096);
        assertThat(role(out, "model.layers.0.self_attn.q_proj.qzeros")).isEqualTo(TensorRole.QUANT_OVERHEAD);
        assertThat(role(out, "model.layers.0.self_attn.q_proj.scales")).isEqualTo(TensorRole.QUANT_OVERHEAD);
        assertThat(role(out, "model.layers.0.self_attn.q_proj.g_idx")).isEqualTo(TensorRole.QUANT_OVERHEAD);
        assertThat(role(out, "model.layers.0.self_attn.q_proj.bias")).isEqualTo(TensorRole.WEIGHT);
        assertThat(out.parameters()).isEqualTo(4096L * 4096 + 4096 + 32000L * 4096);
        assertThat(out.tensorBytes()).isEqualTo(in.tensorBytes()); // bytes never change
        assertThat(out.notes()).anyMatch(n -> n.startsWith("1 packed quantized weight: GPTQ 4-bit, group 128"));
        assertThat(out.tensor("model.layers.0.self_attn.q_proj.qweight")
                        .orElseThrow()
                        .logicalShape())
                .containsExactly(4096, 4096);
    }

    @Test
    void gptq3And8BitReadTheirWidthFromQzeros() {
        // 3-bit: 32 values in 3 words; in 11008 -> 1032 rows; out 4096 -> qzeros 384 words.
        TensorInventory three = QuantizedLayouts.recognise(inv(
                t("m.qweight", DType.I32, 1032, 4096), t("m.qzeros", DType.I32, 86, 384),
                t("m.scales", DType.F16, 86, 4096), t("m.g_idx", DType.I32, 11008)));
        assertThat(three.parameters()).isEqualTo(11008L * 4096);
        TensorInventory eight = QuantizedLayouts.recognise(inv(
                t("m.qweight", DType.I32, 1024, 1024),
                t("m.qzeros", DType.I32, 32, 256),
                t("m.scales", DType.F16, 32, 1024)));
        assertThat(eight.parameters()).isEqualTo(4096L * 1024);
    }

    @Test
    void awqGemm() {
        // down_proj of a 4096-wide model with 11008 intermediate: qweight [11008, 512], qzeros [86, 512], scales [86,
        // 4096].
        TensorInventory out = QuantizedLayouts.recognise(inv(
                t("model.layers.0.mlp.down_proj.qweight", DType.I32, 11008, 512),
                t("model.layers.0.mlp.down_proj.qzeros", DType.I32, 86, 512),
                t("model.layers.0.mlp.down_proj.scales", DType.F16, 86, 4096)));
        assertThat(out.parameters()).isEqualTo(11008L * 4096);
        assertThat(out.notes()).anyMatch(n -> n.contains("AWQ 4-bit GEMM, group 128"));
    }

    @Test
    void bitsandbytesNf4ReadsTheLogicalShapeFromQuantState(@TempDir Path dir) throws IOException {
        // A 5 x 3 weight (15 values, odd): bitsandbytes packs ceil(15/2) = 8 bytes; the JSON says shape [5, 3].
        String json = "{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"bfloat16\", \"shape\": [5, 3], "
                + "\"nested_blocksize\": 256, \"nested_dtype\": \"float32\", \"nested_offset\": 0.0123}";
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("model.safetensors");
        byte[] body = new byte[100 + text.length];
        System.arraycopy(text, 0, body, 100, text.length);
        Files.write(file, body);
        List<Tensor> ts = new ArrayList<>();
        ts.add(new Tensor("l.weight", new long[] {8, 1}, DType.U8, TensorRole.WEIGHT, 8, 0, 8, file));
        ts.add(t("l.weight.absmax", DType.U8, 1));
        ts.add(t("l.weight.quant_map", DType.F32, 16));
        ts.add(t("l.weight.nested_absmax", DType.F32, 1));
        ts.add(t("l.weight.nested_quant_map", DType.F32, 256));
        ts.add(new Tensor(
                "l.weight.quant_state.bitsandbytes__nf4",
                new long[] {text.length},
                DType.U8,
                TensorRole.WEIGHT,
                text.length,
                100,
                text.length,
                file));
        TensorInventory out = QuantizedLayouts.recognise(inv(ts.toArray(Tensor[]::new)));
        assertThat(out.tensor("l.weight").orElseThrow().parameters()).isEqualTo(15);
        assertThat(out.parameters()).isEqualTo(15);
        assertThat(out.tensors())
                .filteredOn(x -> x.role() == TensorRole.QUANT_OVERHEAD)
                .hasSize(5);
        assertThat(out.notes()).anyMatch(n -> n.contains("NF4, blocksize 64, double quant"));
        // Sanity of the fixture itself: the JSON is what bitsandbytes' pack_dict_to_tensor would hold.
        assertThat(Json.parse(text)).isNotNull();
    }

    @Test
    void bitsandbytesNf4WithoutAFileAssumesTwoValuesPerByte() {
        TensorInventory out = QuantizedLayouts.recognise(inv(
                t("l.weight", DType.U8, 8192, 1),
                t("l.weight.absmax", DType.F32, 256),
                t("l.weight.quant_map", DType.F32, 16),
                t("l.weight.quant_state.bitsandbytes__nf4", DType.U8, 120)));
        assertThat(out.parameters()).isEqualTo(16384);
        assertThat(out.notes()).anyMatch(n -> n.contains("2 values per byte assumed"));
        assertThat(out.tensor("l.weight").orElseThrow().logicalShape()).containsExactly(16384);
    }

    @Test
    void compressedTensorsPackQuantizedReadsWeightShape(@TempDir Path dir) throws IOException {
        // llm-compressor W4A16: down_proj [4096, 11008] -> weight_packed I32 [4096, 1376] (8 values per word),
        // weight_scale [4096, 86] (group 128), weight_shape I64 [2] = [4096, 11008].
        Path file = dir.resolve("model.safetensors");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(40).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.position(24);
        b.putLong(4096).putLong(11008);
        Files.write(file, b.array());
        TensorInventory out = QuantizedLayouts.recognise(inv(
                t("model.layers.0.mlp.down_proj.weight_packed", DType.I32, 4096, 1376),
                t("model.layers.0.mlp.down_proj.weight_scale", DType.BF16, 4096, 86),
                new Tensor(
                        "model.layers.0.mlp.down_proj.weight_shape",
                        new long[] {2},
                        DType.I64,
                        TensorRole.WEIGHT,
                        2,
                        24,
                        16,
                        file)));
        assertThat(out.parameters()).isEqualTo(4096L * 11008);
        assertThat(role(out, "model.layers.0.mlp.down_proj.weight_shape")).isEqualTo(TensorRole.QUANT_OVERHEAD);
        assertThat(role(out, "model.layers.0.mlp.down_proj.weight_scale")).isEqualTo(TensorRole.QUANT_OVERHEAD);
        assertThat(out.notes()).anyMatch(n -> n.contains("pack-quantized 4-bit"));
    }

    @Test
    void compressedTensorsWithoutAReadableShapeUseConfigBits() {
        TensorInventory in = inv(
                        t("m.weight_packed", DType.I32, 64, 16),
                        t("m.weight_scale", DType.F16, 64, 1),
                        t("m.weight_shape", DType.I64, 2))
                .withConfig(Json.parse("{\"quantization_config\": {\"format\": \"pack-quantized\", \"config_groups\":"
                                + " {\"group_0\": {\"weights\": {\"num_bits\": 4, \"group_size\": 128}}}}}")
                        .asObject("config"));
        assertThat(QuantizedLayouts.recognise(in).parameters()).isEqualTo(64L * 128);
        TensorInventory noConfig = inv(t("m.weight_packed", DType.I32, 64, 16), t("m.weight_scale", DType.F16, 64, 1));
        assertThatThrownBy(() -> QuantizedLayouts.recognise(noConfig))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("m.weight_packed");
    }

    @Test
    void llmInt8() {
        TensorInventory out = QuantizedLayouts.recognise(
                inv(t("o.weight", DType.I8, 4096, 4096), t("o.SCB", DType.F32, 4096), t("o.weight_format", DType.U8)));
        assertThat(out.parameters()).isEqualTo(4096L * 4096);
        assertThat(role(out, "o.SCB")).isEqualTo(TensorRole.QUANT_OVERHEAD);
        assertThat(role(out, "o.weight_format")).isEqualTo(TensorRole.QUANT_OVERHEAD);
    }

    @Test
    void gptOssMxfp4Experts() {
        TensorInventory out = QuantizedLayouts.recognise(inv(
                t("model.layers.0.mlp.experts.gate_up_proj_blocks", DType.U8, 32, 5760, 90, 16),
                t("model.layers.0.mlp.experts.gate_up_proj_scales", DType.U8, 32, 5760, 90),
                t("model.layers.0.mlp.experts.gate_up_proj_bias", DType.BF16, 32, 5760)));
        assertThat(out.tensor("model.layers.0.mlp.experts.gate_up_proj_blocks")
                        .orElseThrow()
                        .parameters())
                .isEqualTo(32L * 5760 * 2880);
        assertThat(role(out, "model.layers.0.mlp.experts.gate_up_proj_scales")).isEqualTo(TensorRole.QUANT_OVERHEAD);
        assertThat(out.parameters()).isEqualTo(32L * 5760 * 2880 + 32 * 5760);
    }

    @Test
    void fp8BlockScales() {
        TensorInventory out = QuantizedLayouts.recognise(inv(
                t("m.down_proj.weight", DType.F8_E4M3, 7168, 18432),
                t("m.down_proj.weight_scale_inv", DType.F32, 56, 144)));
        assertThat(out.parameters()).isEqualTo(7168L * 18432);
        assertThat(role(out, "m.down_proj.weight_scale_inv")).isEqualTo(TensorRole.QUANT_OVERHEAD);
    }

    @Test
    void randomLayoutsNeverFailUntyped() {
        String[] suffixes = {
            ".qweight",
            ".qzeros",
            ".scales",
            ".g_idx",
            ".weight",
            ".SCB",
            ".weight_format",
            ".weight_scale",
            ".weight_scale_inv",
            ".weight_packed",
            ".weight_shape",
            "_blocks",
            "_scales",
            ".weight.absmax",
            ".weight.quant_state.bitsandbytes__nf4"
        };
        DType[] types = {DType.I32, DType.U8, DType.I8, DType.F16, DType.F32, DType.F8_E4M3, DType.I64};
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 2000; round++) {
            List<Tensor> ts = new ArrayList<>();
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < 1 + rnd.nextInt(5); i++) {
                String name = "m" + rnd.nextInt(2) + suffixes[rnd.nextInt(suffixes.length)];
                if (!names.add(name)) {
                    continue;
                }
                long[] shape = new long[rnd.nextInt(4)];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(300);
                }
                ts.add(t(name, types[rnd.nextInt(types.length)], shape));
            }
            try {
                TensorInventory out = QuantizedLayouts.recognise(inv(ts.toArray(Tensor[]::new)));
                assertThat(out.tensorBytes())
                        .isEqualTo(inv(ts.toArray(Tensor[]::new)).tensorBytes());
            } catch (CorruptModelException | UnsupportedModelException expected) {
                assertThat(expected.key()).isNotNull();
            }
        }
    }

    @Test
    void plainInventoriesComeBackUnchanged() {
        TensorInventory in = inv(t("a.weight", DType.BF16, 4, 4), t("a.weight_scale", DType.BF16, 4));
        assertThat(QuantizedLayouts.recognise(in)).isSameAs(in); // a bf16 weight's "weight_scale" is not FP8 overhead
    }

    @Test
    void brokenLayoutsAreTypedErrorsNamingTheTensor(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> QuantizedLayouts.recognise(inv(t("m.qweight", DType.I32, 512, 4096))))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("m.qweight")
                .hasMessageContaining("scales");
        assertThatThrownBy(() -> QuantizedLayouts.recognise(inv(
                        t("m.qweight", DType.I32, 512, 4096),
                        t("m.qzeros", DType.I32, 32, 700),
                        t("m.scales", DType.F16, 32, 4096))))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("m.qzeros");
        assertThatThrownBy(() -> QuantizedLayouts.recognise(
                        inv(t("m.qweight", DType.I32, 512, 100), t("m.scales", DType.F16, 32, 4096))))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("neither GPTQ");
        // quant_state pointing past the end of its file, and one that is not JSON.
        Path file = dir.resolve("x.safetensors");
        Files.write(file, "not json at all".getBytes(StandardCharsets.UTF_8));
        Tensor w = t("l.weight", DType.U8, 8, 1);
        Tensor past = new Tensor(
                "l.weight.quant_state.bitsandbytes__nf4",
                new long[] {64},
                DType.U8,
                TensorRole.WEIGHT,
                64,
                10,
                64,
                file);
        assertThatThrownBy(() -> QuantizedLayouts.recognise(inv(w, past)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("past the end");
        Tensor garbage = new Tensor(
                "l.weight.quant_state.bitsandbytes__nf4",
                new long[] {15},
                DType.U8,
                TensorRole.WEIGHT,
                15,
                0,
                15,
                file);
        assertThatThrownBy(() -> QuantizedLayouts.recognise(inv(w, garbage)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("not valid JSON");
        Tensor huge = new Tensor(
                "l.weight.quant_state.bitsandbytes__nf4",
                new long[] {1L << 40},
                DType.U8,
                TensorRole.WEIGHT,
                1L << 40,
                0,
                1L << 40,
                file);
        assertThatThrownBy(() -> QuantizedLayouts.recognise(inv(w, huge)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("expected at most");
    }

    @Test
    void anUnquantizedCheckpointComesBackAsItIs() {
        TensorInventory in = inv(
                t("model.layers.0.mlp.down_proj.weight", DType.BF16, 64, 32),
                t("model.layers.0.self_attn.q_proj.bias", DType.BF16, 64),
                t("model.norm.weight", DType.BF16, 64));
        assertThat(QuantizedLayouts.recognise(in)).isSameAs(in);
    }

    @Test
    void aQuantizedConfigWithNoPackedTensorSaysSoWithOrWithoutAnAnchorName() {
        var gptq = Json.parse("{\"quantization_config\": {\"quant_method\": \"gptq\", \"bits\": 4}}")
                .asObject("config");
        String note = "config.json says the weights are quantized (gptq) but no packed layout heft knows was found";
        // No name ends like an anchor: the layouts are not asked at all.
        TensorInventory plain = inv(t("m.weight", DType.F16, 64, 32)).withConfig(gptq);
        TensorInventory out = QuantizedLayouts.recognise(plain);
        assertThat(out.notes()).singleElement().asString().startsWith(note);
        assertThat(out.tensors()).isEqualTo(plain.tensors());
        // An anchor name (MLX's ".scales") whose layout does not hold (no U32 weight beside it): asked, and empty.
        TensorInventory anchored = inv(t("m.weight", DType.F16, 64, 32), t("m.scales", DType.F16, 64, 1))
                .withConfig(gptq);
        TensorInventory out2 = QuantizedLayouts.recognise(anchored);
        assertThat(out2.notes()).singleElement().asString().startsWith(note);
        assertThat(out2.tensors()).isEqualTo(anchored.tensors());
    }
}
