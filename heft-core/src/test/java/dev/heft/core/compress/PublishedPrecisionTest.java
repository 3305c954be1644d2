package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.DType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a config.json says about the precision of its published weights, read as the loaders read it: transformers'
 * quantizer configs (Mxfp4Config, FineGrainedFP8Config, FbgemmFp8Config, GPTQConfig, AwqConfig, BitsAndBytesConfig;
 * quantizers/auto.py maps quant_method to each) and {@code torch_dtype}, which save_pretrained writes.
 */
class PublishedPrecisionTest {

    private static JsonObject config(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8)).asObject("test config");
    }

    @Test
    void gptOssQuantizationConfigIsMxfp4ExpertsWithTheRestInBf16() {
        // openai/gpt-oss-20b config.json: no torch_dtype, quantization_config {quant_method: mxfp4,
        // modules_to_not_convert: [self_attn, router, embed_tokens, lm_head]}
        PublishedPrecision p = PublishedPrecision.of(config("""
                {"model_type": "gpt_oss", "quantization_config": {"modules_to_not_convert": ["model.layers.*.self_attn",
                 "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], "quant_method": "mxfp4"}}"""));
        assertThat(p.format()).isEqualTo(new Mxfp4Format());
        assertThat(p.keepType()).isEqualTo(DType.BF16);
        assertThat(p.stated()).isTrue();
        assertThat(p.basis()).contains("quant_method mxfp4");
    }

    @Test
    void deepSeekV3Fp8WithBlockSize128IsBlockScaledFp8KeepingTorchDtypeForTheRest() {
        PublishedPrecision p = PublishedPrecision.of(config("""
                {"torch_dtype": "bfloat16", "quantization_config": {"activation_scheme": "dynamic", "fmt": "e4m3",
                 "quant_method": "fp8", "weight_block_size": [128, 128]}}"""));
        assertThat(p.format()).isEqualTo(new Fp8Weights(DType.F8_E4M3, Fp8Weights.Scaling.BLOCK_128));
        assertThat(p.keepType()).isEqualTo(DType.BF16);
        assertThat(p.basis()).contains("weight_block_size [128, 128]");
    }

    @Test
    void fp8WithoutABlockSizeIsPerTensorAndAnotherBlockSizeIsNotLaidOut() {
        assertThat(PublishedPrecision.of(config("{\"quantization_config\": {\"quant_method\": \"fp8\"}}"))
                        .format())
                .isEqualTo(new Fp8Weights(DType.F8_E4M3, Fp8Weights.Scaling.PER_TENSOR));
        PublishedPrecision odd = PublishedPrecision.of(config("""
                {"torch_dtype": "float16",
                 "quantization_config": {"quant_method": "fp8", "weight_block_size": [64, 64]}}
                """));
        assertThat(odd.format()).isEqualTo(new PlainFormat(DType.F16));
        assertThat(odd.notes()).singleElement().asString().contains("[64, 64]").contains("torch_dtype");
    }

    @Test
    void gptqAwqBitsandbytesAndFbgemmReadTheirOwnKeys() {
        assertThat(PublishedPrecision.of(config("""
                {"quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": true}}""")).format().label()).isEqualTo("gptq-4bit-g128-actorder");
        assertThat(PublishedPrecision.of(config("""
                {"quantization_config": {"quant_method": "awq", "bits": 4, "group_size": 64}}""")).format().label()).isEqualTo("awq-4bit-g64");
        assertThat(PublishedPrecision.of(config("""
                {"quantization_config": {"quant_method": "bitsandbytes", "load_in_4bit": true,
                 "bnb_4bit_quant_type": "nf4", "bnb_4bit_use_double_quant": true}}""")).format()).isEqualTo(new Nf4Format(true));
        assertThat(PublishedPrecision.of(config("""
                {"quantization_config": {"quant_method": "bitsandbytes", "load_in_8bit": true}}""")).format()).isEqualTo(new LlmInt8Format());
        assertThat(PublishedPrecision.of(config("""
                {"quantization_config": {"quant_method": "fbgemm_fp8", "activation_scale_ub": 1200.0}}""")).format())
                .isEqualTo(new Fp8Weights(DType.F8_E4M3, Fp8Weights.Scaling.PER_CHANNEL));
    }

    @Test
    void torchDtypeOrItsNewNameDtypeStatesAPlainType() {
        assertThat(PublishedPrecision.of(config("{\"torch_dtype\": \"float16\"}"))
                        .format())
                .isEqualTo(new PlainFormat(DType.F16));
        assertThat(PublishedPrecision.of(config("{\"dtype\": \"float32\"}")).format())
                .isEqualTo(new PlainFormat(DType.F32));
    }

    @Test
    void aConfigThatStatesNothingAssumesBf16AndSaysSo() {
        PublishedPrecision p = PublishedPrecision.of(config("{\"model_type\": \"gpt2\"}"));
        assertThat(p.stated()).isFalse();
        assertThat(p.format()).isEqualTo(new PlainFormat(DType.BF16));
        assertThat(p.basis()).contains("no torch_dtype");
        PublishedPrecision unknown = PublishedPrecision.of(config("""
                {"torch_dtype": "bfloat16", "quantization_config": {"quant_method": "compressed-tensors"}}"""));
        assertThat(unknown.format()).isEqualTo(new PlainFormat(DType.BF16));
        assertThat(unknown.notes()).singleElement().asString().contains("compressed-tensors");
    }

    @Test
    void qwenFp8ReleasesStoreBf16BlockScales() {
        // A catalog entry names what its config cannot: Qwen/Qwen3-*-FP8 store weight_scale_inv in BF16.
        PrecisionFormat f = PrecisionFormats.parse("fp8-block128-bf16-scales");
        assertThat(f).isEqualTo(new Fp8Weights(DType.F8_E4M3, Fp8Weights.Scaling.BLOCK_128, DType.BF16));
        assertThat(f.label()).isEqualTo("fp8-block128-bf16-scales");
        // down_proj [2048, 768] of Qwen3-30B-A3B: ceil(2048/128) x ceil(768/128) = 16 x 6 scales, 2 bytes each
        assertThat(((Fp8Weights) f).store("w", new long[] {2048, 768}).get(1).bytes())
                .isEqualTo(16 * 6 * 2);
    }
}
