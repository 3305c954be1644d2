package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * llama.cpp's per-tensor rules (src/llama-quant.cpp at 007dbbf3fd17eefe9b47fee45f48f7ba5e62b714) on the tensor names
 * of its deepseek2 architecture, MoE experts, and the fallbacks for expert rows that are not a multiple of 256. Each
 * expectation is worked by hand from the C++ and cites the rule it comes from.
 */
class DeepSeekRulesTest {

    /** DeepSeek-V2-Lite's shapes (config.json: hidden 2048, 16 heads, kv_lora 512, rope 64, nope 128, v 128, 64
     *  routed experts of 1408, 2 shared, first layer dense of 10944), with the converter's MLA split. */
    private static List<TensorSpec> v2Lite(int layers, boolean splitKvB) {
        List<TensorSpec> t = new ArrayList<>();
        t.add(TensorSpec.of("token_embd.weight", DType.BF16, 102400, 2048));
        t.add(TensorSpec.of("output.weight", DType.BF16, 102400, 2048));
        t.add(TensorSpec.of("output_norm.weight", DType.F32, 2048));
        for (int i = 0; i < layers; i++) {
            String b = "blk." + i + ".";
            t.add(TensorSpec.of(b + "attn_norm.weight", DType.F32, 2048));
            t.add(TensorSpec.of(b + "attn_q.weight", DType.BF16, 16 * 192, 2048));
            t.add(TensorSpec.of(b + "attn_kv_a_mqa.weight", DType.BF16, 576, 2048));
            t.add(TensorSpec.of(b + "attn_kv_a_norm.weight", DType.F32, 512));
            if (splitKvB) {
                t.add(TensorSpec.of(b + "attn_k_b.weight", DType.BF16, 16, 512, 128));
                t.add(TensorSpec.of(b + "attn_v_b.weight", DType.BF16, 16, 128, 512));
            } else {
                t.add(TensorSpec.of(b + "attn_kv_b.weight", DType.BF16, 16 * 256, 512));
            }
            t.add(TensorSpec.of(b + "attn_output.weight", DType.BF16, 2048, 16 * 128));
            t.add(TensorSpec.of(b + "ffn_norm.weight", DType.F32, 2048));
            if (i == 0) {
                t.add(TensorSpec.of(b + "ffn_gate.weight", DType.BF16, 10944, 2048));
                t.add(TensorSpec.of(b + "ffn_up.weight", DType.BF16, 10944, 2048));
                t.add(TensorSpec.of(b + "ffn_down.weight", DType.BF16, 2048, 10944));
            } else {
                t.add(TensorSpec.of(b + "ffn_gate_inp.weight", DType.F32, 64, 2048));
                t.add(TensorSpec.of(b + "ffn_gate_exps.weight", DType.BF16, 64, 1408, 2048));
                t.add(TensorSpec.of(b + "ffn_up_exps.weight", DType.BF16, 64, 1408, 2048));
                t.add(TensorSpec.of(b + "ffn_down_exps.weight", DType.BF16, 64, 2048, 1408));
                t.add(TensorSpec.of(b + "ffn_gate_shexp.weight", DType.BF16, 2816, 2048));
                t.add(TensorSpec.of(b + "ffn_up_shexp.weight", DType.BF16, 2816, 2048));
                t.add(TensorSpec.of(b + "ffn_down_shexp.weight", DType.BF16, 2048, 2816));
            }
        }
        return t;
    }

    private static String type(QuantPlan p, String name) {
        return p.tensor(name).orElseThrow(() -> new AssertionError(name)).encoding();
    }

    @Test
    void expertRowsOf1408FallBack() {
        QuantPlan p = LlamaQuantPlanner.plan(
                v2Lite(27, true), ModelFacts.of("deepseek2", 27, 16, 16, 64), LlamaFileType.Q4_K_M);
        // ffn_down (layer from "blk.N." because n_expert > 1): use_more_bits(1, 27) -> Q6_K; 1408 % 256 -> Q8_0.
        assertThat(type(p, "blk.1.ffn_down_exps.weight")).isEqualTo("Q8_0");
        // use_more_bits(4, 27) is false -> Q4_K; 1408 % 256 -> Q5_0.
        assertThat(type(p, "blk.4.ffn_down_exps.weight")).isEqualTo("Q5_0");
        // gate/up experts have rows of hidden 2048: the default Q4_K.
        assertThat(type(p, "blk.4.ffn_gate_exps.weight")).isEqualTo("Q4_K");
        // shared experts are ffn_down by substring: use_more_bits(5, 27) (5-3)%3==2 -> Q6_K; 2816 = 11 x 256.
        assertThat(type(p, "blk.5.ffn_down_shexp.weight")).isEqualTo("Q6_K");
        // the dense layer's ffn_down has rows of 10944 = 42.75 x 256: Q6_K (layer 0 < 27/8) -> Q8_0.
        assertThat(type(p, "blk.0.ffn_down.weight")).isEqualTo("Q8_0");
        // attn_k_b rows are qk_nope = 128: no category, default Q4_K -> Q5_0; attn_v_b rows are kv_lora 512: Q4_K.
        assertThat(type(p, "blk.3.attn_k_b.weight")).isEqualTo("Q5_0");
        assertThat(type(p, "blk.3.attn_v_b.weight")).isEqualTo("Q4_K");
        assertThat(type(p, "blk.3.attn_kv_a_mqa.weight")).isEqualTo("Q4_K");
        assertThat(type(p, "blk.3.ffn_gate_inp.weight")).isEqualTo("F32"); // routers are never quantized
        assertThat(type(p, "output.weight")).isEqualTo("Q6_K");
        assertThat(p.notes()).anyMatch(n -> n.contains("required fallback quantization"));
    }

    @Test
    void olderFilesWithAFusedKvBTreatItAsAttnV() {
        // category_is_attn_v includes ATTENTION_KV_B: n_attention_wv = 27 and use_more_bits(i, 27) raises it to Q6_K.
        QuantPlan p = LlamaQuantPlanner.plan(
                v2Lite(27, false), ModelFacts.of("deepseek2", 27, 16, 16, 64), LlamaFileType.Q4_K_M);
        assertThat(type(p, "blk.0.attn_kv_b.weight")).isEqualTo("Q6_K");
        assertThat(type(p, "blk.4.attn_kv_b.weight")).isEqualTo("Q4_K");
        assertThat(type(p, "blk.5.attn_kv_b.weight")).isEqualTo("Q6_K");
        assertThat(p.notes()).noneMatch(n -> n.contains("attn_v/attn_qkv/attn_kv_b tensors for"));
    }

    @Test
    void fusedQkvIsAttnVLikeToo() {
        // At 007dbbf3 attn_qkv is attn_v-like; its own Q4_K_M -> Q5_K branch is unreachable.
        List<TensorSpec> t = List.of(
                TensorSpec.of("blk.0.attn_qkv.weight", DType.F32, 768, 256),
                TensorSpec.of("blk.1.attn_qkv.weight", DType.F32, 768, 256),
                TensorSpec.of("blk.2.attn_qkv.weight", DType.F32, 768, 256),
                TensorSpec.of("blk.3.attn_qkv.weight", DType.F32, 768, 256));
        QuantPlan p = LlamaQuantPlanner.plan(t, ModelFacts.of("phi3", 4, 8, 8, 0), LlamaFileType.Q4_K_M);
        // use_more_bits(i, 4): 4/8 = 0, 7*4/8 = 3 -> layer 3 only, and (i - 0) % 3 == 2 -> layer 2.
        assertThat(t.stream().map(s -> type(p, s.name()))).containsExactly("Q4_K", "Q4_K", "Q6_K", "Q6_K");
    }

    @Test
    void mxfp4MoePutsExpertsInMxfp4AndTheRestInQ8() {
        List<TensorSpec> t = List.of(
                TensorSpec.of("blk.0.ffn_up_exps.weight", DType.BF16, 32, 2880, 2880),
                TensorSpec.of("blk.0.attn_q.weight", DType.BF16, 4096, 2880),
                TensorSpec.of("output.weight", DType.BF16, 201088, 2880));
        QuantPlan p = LlamaQuantPlanner.plan(t, ModelFacts.of("gpt-oss", 1, 64, 8, 32), LlamaFileType.MXFP4_MOE);
        assertThat(type(p, "blk.0.ffn_up_exps.weight")).isEqualTo("MXFP4");
        assertThat(type(p, "blk.0.attn_q.weight")).isEqualTo("Q8_0");
        assertThat(type(p, "output.weight")).isEqualTo("Q8_0");
    }

    @Test
    void awqAndGptqQuantizeMoeExperts() {
        QuantPlan p = CompressionPlanner.plan(v2Lite(2, true), null, PrecisionFormats.parse("gptq-4bit-g128"));
        assertThat(type(p, "blk.1.ffn_gate_exps.weight")).isEqualTo("gptq-4bit-g128");
        assertThat(type(p, "blk.1.attn_kv_a_mqa.weight")).isEqualTo("gptq-4bit-g128");
        assertThat(type(p, "token_embd.weight")).isEqualTo("F16");
    }
}
