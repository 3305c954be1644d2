package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import dev.heft.core.tensor.DType;
import dev.heft.core.testing.SharedFixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hugging Face state dicts written by transformers (../shared/fixtures/hf/expected.json) mapped to the names
 * llama.cpp's convert_hf_to_gguf.py gives them (gguf-py tensor_mapping.py).
 */
class HfTensorNamesTest {

    private static JsonObject entry(String key) {
        return SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"))
                .getObject(key)
                .orElseThrow();
    }

    private static List<TensorSpec> stateDict(String key) {
        List<TensorSpec> out = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e :
                entry(key).getObject("state_dict").orElseThrow().members().entrySet()) {
            JsonArray pair = (JsonArray) e.getValue();
            JsonArray dims = (JsonArray) pair.get(0);
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = ((JsonNumber) dims.get(i)).longValueExact("shape");
            }
            DType type = switch (((JsonString) pair.get(1)).value()) {
                case "torch.bfloat16" -> DType.BF16;
                case "torch.float16" -> DType.F16;
                default -> DType.F32;
            };
            out.add(new TensorSpec(e.getKey(), shape, type));
        }
        return out;
    }

    private static Map<String, String> byName(List<TensorSpec> specs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (TensorSpec t : specs) {
            m.put(t.name(), Arrays.toString(t.shape()) + " " + t.sourceType());
        }
        return m;
    }

    private static long elements(List<TensorSpec> specs) {
        return specs.stream().mapToLong(TensorSpec::elements).sum();
    }

    @Test
    void tinyLlamaMapsToLlamaCppNames() {
        List<TensorSpec> hf = stateDict("safetensors/tiny-llama-bf16");
        HfTensorNames.Result r = HfTensorNames.map(hf);
        assertThat(r.unmapped()).isEmpty();
        Map<String, String> m = byName(r.tensors());
        assertThat(m)
                .containsEntry("token_embd.weight", "[256, 64] BF16")
                .containsEntry("output.weight", "[256, 64] BF16")
                .containsEntry("output_norm.weight", "[64] F32")
                .containsEntry("blk.0.attn_norm.weight", "[64] F32")
                .containsEntry("blk.0.ffn_norm.weight", "[64] F32")
                .containsEntry("blk.1.attn_q.weight", "[64, 64] BF16")
                .containsEntry("blk.1.attn_k.weight", "[32, 64] BF16")
                .containsEntry("blk.1.attn_v.weight", "[32, 64] BF16")
                .containsEntry("blk.1.attn_output.weight", "[64, 64] BF16")
                .containsEntry("blk.1.ffn_gate.weight", "[176, 64] BF16")
                .containsEntry("blk.1.ffn_up.weight", "[176, 64] BF16")
                .containsEntry("blk.1.ffn_down.weight", "[64, 176] BF16");
        assertThat(m).hasSize(hf.size());
        assertThat(elements(r.tensors()))
                .isEqualTo(entry("safetensors/tiny-llama-bf16").getLong("params_counting_tied_twice", -1));
    }

    @Test
    void tinyMixtralFusedExpertsSplitIntoGateUpDown() {
        HfTensorNames.Result r = HfTensorNames.map(stateDict("safetensors/tiny-mixtral"));
        assertThat(r.unmapped()).isEmpty();
        Map<String, String> m = byName(r.tensors());
        // transformers 5 stores gate_up_proj [4, 192, 64] (2 x ff 96 outputs, hidden 64 inputs), down_proj [4, 64, 96].
        assertThat(m)
                .containsEntry("blk.0.ffn_gate_exps.weight", "[4, 96, 64] F32")
                .containsEntry("blk.0.ffn_up_exps.weight", "[4, 96, 64] F32")
                .containsEntry("blk.0.ffn_down_exps.weight", "[4, 64, 96] F32")
                .containsEntry("blk.1.ffn_gate_inp.weight", "[4, 64] F32");
        assertThat(elements(r.tensors()))
                .isEqualTo(entry("safetensors/tiny-mixtral").getLong("params_counting_tied_twice", -1));
        // And the result plans: llama.cpp keeps the router, quantizes experts whole.
        QuantPlan p = LlamaQuantPlanner.plan(r.tensors(), ModelFacts.of("llama", 2, 4, 2, 4), LlamaFileType.Q8_0);
        assertThat(p.tensor("blk.0.ffn_gate_inp.weight").orElseThrow().encoding())
                .isEqualTo("F32");
        assertThat(p.tensor("blk.0.ffn_down_exps.weight").orElseThrow().bytes()).isEqualTo(4L * 64 * (96 / 32) * 34);
    }

    @Test
    void gpt2Conv1DWeightsAreTurnedRound() {
        HfTensorNames.Result r = HfTensorNames.map(stateDict("safetensors/tiny-gpt2-tied"));
        assertThat(r.unmapped()).isEmpty();
        Map<String, String> m = byName(r.tensors());
        assertThat(m)
                .containsEntry("blk.0.attn_qkv.weight", "[144, 48] F32") // stored [48, 144]
                .containsEntry("blk.0.attn_qkv.bias", "[144] F32")
                .containsEntry("blk.0.ffn_up.weight", "[192, 48] F32") // stored [48, 192]
                .containsEntry("blk.0.ffn_down.weight", "[48, 192] F32") // stored [192, 48]
                .containsEntry("blk.1.attn_output.weight", "[48, 48] F32")
                .containsEntry("position_embd.weight", "[64, 48] F32")
                .containsEntry("token_embd.weight", "[300, 48] F32")
                .containsEntry("output_norm.bias", "[48] F32")
                .containsEntry("blk.1.ffn_norm.weight", "[48] F32");
        assertThat(elements(r.tensors()))
                .isEqualTo(entry("safetensors/tiny-gpt2-tied").getLong("params_counting_tied_twice", -1));
    }

    @Test
    void perExpertTensorsMergeAndMustBeComplete() {
        List<TensorSpec> hf = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            hf.add(TensorSpec.of("model.layers.0.block_sparse_moe.experts." + e + ".w1.weight", DType.BF16, 96, 64));
            hf.add(TensorSpec.of("model.layers.0.block_sparse_moe.experts." + e + ".w2.weight", DType.BF16, 64, 96));
        }
        hf.add(TensorSpec.of("model.layers.0.block_sparse_moe.gate.weight", DType.BF16, 3, 64));
        hf.add(TensorSpec.of("vision_tower.patch_embed.weight", DType.BF16, 16, 3));
        HfTensorNames.Result r = HfTensorNames.map(hf);
        assertThat(byName(r.tensors()))
                .containsEntry("blk.0.ffn_gate_exps.weight", "[3, 96, 64] BF16")
                .containsEntry("blk.0.ffn_down_exps.weight", "[3, 64, 96] BF16")
                .containsEntry("blk.0.ffn_gate_inp.weight", "[3, 64] F32");
        assertThat(r.unmapped()).containsExactly("vision_tower.patch_embed.weight");

        List<TensorSpec> gap = List.of(
                TensorSpec.of("model.layers.0.block_sparse_moe.experts.0.w1.weight", DType.BF16, 96, 64),
                TensorSpec.of("model.layers.0.block_sparse_moe.experts.2.w1.weight", DType.BF16, 96, 64));
        assertThatThrownBy(() -> HfTensorNames.map(gap))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("missing expert 1");
        List<TensorSpec> uneven = List.of(
                TensorSpec.of("model.layers.0.mlp.experts.0.up_proj.weight", DType.BF16, 96, 64),
                TensorSpec.of("model.layers.0.mlp.experts.1.up_proj.weight", DType.BF16, 95, 64));
        assertThatThrownBy(() -> HfTensorNames.map(uneven))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expert 1 has shape");
    }

    @Test
    void deepSeekLatentAttentionCountsAsAttnV() {
        List<TensorSpec> hf = List.of(
                TensorSpec.of("model.layers.0.self_attn.kv_a_proj_with_mqa.weight", DType.BF16, 576, 2048),
                TensorSpec.of("model.layers.0.self_attn.kv_a_layernorm.weight", DType.BF16, 512),
                TensorSpec.of("model.layers.0.self_attn.kv_b_proj.weight", DType.BF16, 4096, 512),
                TensorSpec.of("model.layers.0.self_attn.q_proj.weight", DType.BF16, 3072, 2048));
        Map<String, String> m = byName(HfTensorNames.map(hf).tensors());
        assertThat(m)
                .containsEntry("blk.0.attn_kv_a_mqa.weight", "[576, 2048] BF16")
                .containsEntry("blk.0.attn_kv_a_norm.weight", "[512] F32")
                .containsEntry("blk.0.attn_kv_b.weight", "[4096, 512] BF16");
        // llama-quantize counts attn_kv_b in n_attention_wv: one per layer, so no note.
        QuantPlan p = LlamaQuantPlanner.plan(
                HfTensorNames.map(hf).tensors(), ModelFacts.of("deepseek2", 1, 16, 16, 0), LlamaFileType.Q8_0);
        assertThat(p.notes()).isEmpty();
    }

    @Test
    void gptOssTransposedFusedExperts() {
        // gpt-oss (bf16 form): gate_up_proj [E, hidden, 2*ff], down_proj [E, ff, hidden], biases [E, 2*ff], [E,
        // hidden].
        List<TensorSpec> hf = List.of(
                TensorSpec.of("model.embed_tokens.weight", DType.BF16, 1000, 64),
                TensorSpec.of("model.layers.0.mlp.experts.gate_up_proj", DType.BF16, 4, 64, 256),
                TensorSpec.of("model.layers.0.mlp.experts.gate_up_proj_bias", DType.BF16, 4, 256),
                TensorSpec.of("model.layers.0.mlp.experts.down_proj", DType.BF16, 4, 128, 64),
                TensorSpec.of("model.layers.0.mlp.router.weight", DType.BF16, 4, 64));
        Map<String, String> m = byName(HfTensorNames.map(hf).tensors());
        assertThat(m)
                .containsEntry("blk.0.ffn_gate_exps.weight", "[4, 128, 64] BF16")
                .containsEntry("blk.0.ffn_up_exps.weight", "[4, 128, 64] BF16")
                .containsEntry("blk.0.ffn_gate_exps.bias", "[4, 128] BF16")
                .containsEntry("blk.0.ffn_down_exps.weight", "[4, 64, 128] BF16")
                .containsEntry("blk.0.ffn_gate_inp.weight", "[4, 64] F32");
    }
}
