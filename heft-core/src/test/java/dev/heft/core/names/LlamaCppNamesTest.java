package dev.heft.core.names;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Hugging Face <-> llama.cpp table against llama.cpp's own gguf-py 0.19.0 (tensor_mapping.py, constants.py), as
 * written by scripts/names/gguf_tensor_map.py into src/test/resources/names/gguf-tensor-map.json.
 */
class LlamaCppNamesTest {

    /**
     * Names gguf-py's TensorNameMap does not see because convert_hf_to_gguf.py rewrites them first: multimodal
     * wrappers drop their "language_model." prefix, and BLOOM's converter strips "transformer.".
     */
    private static final Set<String> REWRITTEN_BY_THE_CONVERTER = Set.of(
            "model.language_model.embed_tokens",
            "language_model.model.embed_tokens",
            "model.language_model.norm",
            "language_model.model.norm",
            "language_model.lm_head",
            "transformer.word_embeddings_layernorm");

    private static JsonObject reference() throws IOException {
        try (InputStream in = LlamaCppNamesTest.class.getResourceAsStream("/names/gguf-tensor-map.json")) {
            return Json.parse(in.readAllBytes()).asObject("gguf-tensor-map.json");
        }
    }

    private static Set<String> strings(JsonValue v) {
        Set<String> out = new HashSet<>();
        for (JsonValue e : ((JsonArray) v).elements()) {
            out.add(((JsonString) e).value());
        }
        return out;
    }

    @Test
    void everyBlockEntryIsWhatGgufPyMapsItTo() throws IOException {
        JsonObject block = reference().getObject("block").orElseThrow();
        int checked = 0;
        for (Map.Entry<String, String> pair : LlamaCppNames.blockPairs()) {
            JsonValue answer = block.members().get(pair.getKey());
            assertThat(answer)
                    .as(
                            "%s is not in the reference; add it to scripts/names/gguf_tensor_map.py and rerun it",
                            pair.getKey())
                    .isNotNull();
            assertThat(strings(answer))
                    .as("gguf-py's names for %s", pair.getKey())
                    .contains(pair.getValue());
            checked++;
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void everyGlobalEntryIsWhatGgufPyMapsItTo() throws IOException {
        JsonObject global = reference().getObject("global").orElseThrow();
        for (Map.Entry<String, String> pair : LlamaCppNames.globalPairs()) {
            Set<String> answer = strings(global.members().get(pair.getKey()));
            if (REWRITTEN_BY_THE_CONVERTER.contains(pair.getKey())) {
                assertThat(answer).as(pair.getKey()).isEmpty();
            } else {
                assertThat(answer).as("gguf-py's names for %s", pair.getKey()).containsExactly(pair.getValue());
            }
        }
    }

    @Test
    void perExpertProjectionsMergeAsGgufPyMapsTheStackedTensor() throws IOException {
        JsonObject block = reference().getObject("block").orElseThrow();
        for (String p : new String[] {
            "mlp.experts.gate_proj",
            "mlp.experts.up_proj",
            "mlp.experts.down_proj",
            "block_sparse_moe.experts.w1",
            "block_sparse_moe.experts.w3",
            "block_sparse_moe.experts.w2"
        }) {
            assertThat(strings(block.members().get(p)))
                    .as(p)
                    .containsExactly(LlamaCppNames.expertToLlamaCpp(p).orElseThrow());
        }
    }

    @Test
    void architectureNamesAreLlamaCppsAndGoBothWays() throws IOException {
        Set<String> archNames = strings(reference().members().get("arch_names"));
        for (Map.Entry<String, String> pair : LlamaCppNames.archPairs()) {
            assertThat(archNames).as("constants.py MODEL_ARCH_NAMES").contains(pair.getValue());
            assertThat(LlamaCppNames.llamaCppArch(pair.getKey())).contains(pair.getValue());
        }
        assertThat(LlamaCppNames.llamaCppArch("deepseek_v3")).contains("deepseek2");
        assertThat(LlamaCppNames.hfModelType("deepseek2")).contains("deepseek_v2");
        assertThat(LlamaCppNames.llamaCppArch("gpt_oss")).contains("gpt-oss");
        assertThat(LlamaCppNames.llamaCppArch("mixtral")).contains("llama");
        assertThat(LlamaCppNames.llamaCppArch("no_such_family")).isEmpty();
    }

    @Test
    void tensorNamesGoBackToTransformersNames() {
        assertThat(LlamaCppNames.toHf("blk.3.attn_q.weight")).contains("model.layers.3.self_attn.q_proj.weight");
        assertThat(LlamaCppNames.toHf("blk.0.attn_kv_a_mqa.weight"))
                .contains("model.layers.0.self_attn.kv_a_proj_with_mqa.weight");
        assertThat(LlamaCppNames.toHf("output_norm.weight")).contains("model.norm.weight");
        assertThat(LlamaCppNames.toHf("blk.1.ffn_down_exps.weight")).isEmpty(); // stacked: no single HF tensor
        for (Map.Entry<String, String> pair : LlamaCppNames.blockPairs()) {
            String gguf = "blk.7." + pair.getValue() + ".weight";
            String hf = LlamaCppNames.toHf(gguf).orElseThrow();
            TensorName back = TensorName.parse(hf);
            assertThat(LlamaCppNames.blockToLlamaCpp(back.modulePath())).as(hf).contains(pair.getValue());
        }
    }
}
