package dev.heft.core.names;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one tensor-name parser against every tensor name in the shared fixtures (names written by llama.cpp's tools
 * and by transformers/torch/onnx exporters) and against the naming schemes of llama.cpp's gguf-py
 * (tensor_mapping.py) and transformers' modeling files.
 */
class TensorNameTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // name | container | block | expert | module | projection | param
                "model.layers.3.self_attn.q_proj.weight | model.layers | 3 | -1 | self_attn | q_proj | weight",
                "model.layers.3.mlp.experts.7.down_proj.weight | model.layers | 3 | 7 | mlp.experts | down_proj | weight",
                "model.layers.0.block_sparse_moe.experts.5.w1.weight | model.layers | 0 | 5 | block_sparse_moe.experts | w1 | weight",
                "model.layers.0.mlp.experts.gate_up_proj | model.layers | 0 | -1 | mlp.experts | gate_up_proj | ''",
                "model.layers.0.mlp.gate.e_score_correction_bias | model.layers | 0 | -1 | mlp.gate | e_score_correction_bias | ''",
                "blk.12.ffn_down_exps.weight | blk | 12 | -1 | '' | ffn_down_exps | weight",
                "blk.0.attn_kv_a_mqa.weight | blk | 0 | -1 | '' | attn_kv_a_mqa | weight",
                "token_embd.weight | '' | -1 | -1 | '' | token_embd | weight",
                "output.weight | '' | -1 | -1 | '' | output | weight",
                "transformer.h.11.attn.c_attn.bias | transformer.h | 11 | -1 | attn | c_attn | bias",
                "gpt_neox.layers.2.attention.query_key_value.weight | gpt_neox.layers | 2 | -1 | attention | query_key_value | weight",
                "encoder.layer.1.attention.self.query.weight | encoder.layer | 1 | -1 | attention.self | query | weight",
                "model.encoder.layers.4.self_attn.k_proj.weight | model.encoder.layers | 4 | -1 | self_attn | k_proj | weight",
                "model.decoder.layers.4.encoder_attn.k_proj.weight | model.decoder.layers | 4 | -1 | encoder_attn | k_proj | weight",
                "encoder.block.0.layer.1.DenseReluDense.wi.weight | encoder.block | 0 | -1 | layer.1.DenseReluDense | wi | weight",
                "backbone.layers.5.mixer.A_log | backbone.layers | 5 | -1 | mixer | A_log | ''",
                "vision_model.encoder.layers.0.mlp.fc1.weight | vision_model.encoder.layers | 0 | -1 | mlp | fc1 | weight",
                "transformer.resblocks.3.attn.in_proj_weight | transformer.resblocks | 3 | -1 | attn | in_proj_weight | ''",
                "stages.2.blocks.1.conv_dw.weight | stages | 2 | -1 | blocks.1 | conv_dw | weight",
                "bert/encoder/layer_0/attention/self/query/kernel:0 | bert/encoder/layer | 0 | -1 | attention/self | query | kernel:0",
                "layer1.0.conv1.weight | '' | -1 | -1 | layer1.0 | conv1 | weight",
                "model.embed_tokens.weight | '' | -1 | -1 | model | embed_tokens | weight",
                "patch_1.weight | '' | -1 | -1 | '' | patch_1 | weight",
                "lm_head | '' | -1 | -1 | '' | lm_head | ''",
            })
    void takesNamesApart(
            String name, String container, int block, int expert, String module, String projection, String param) {
        TensorName n = TensorName.parse(name);
        assertThat(n.container()).as(name).isEqualTo(container);
        assertThat(n.block()).as(name).isEqualTo(block);
        assertThat(n.expert()).as(name).isEqualTo(expert);
        assertThat(n.module()).as(name).isEqualTo(module);
        assertThat(n.projection()).as(name).isEqualTo(projection);
        assertThat(n.param()).as(name).isEqualTo(param);
    }

    @Test
    void unnamedSequentialContainersGiveTheirFirstIndex() {
        assertThat(TensorName.parse("features.3.weight").firstIndex()).isEqualTo(3);
        assertThat(TensorName.parse("features.3.weight").block()).isEqualTo(-1);
        assertThat(TensorName.parse("layer1.0.conv1.weight").firstIndex()).isZero();
        assertThat(TensorName.parse("model.layers.4.mlp.experts.2.w1.weight").firstIndex())
                .isEqualTo(4);
        assertThat(TensorName.parse("0.weight").firstIndex()).isEqualTo(-1); // first segment: not inside a container
        assertThat(TensorName.parse("layers.99999999999.x.weight").block()).isEqualTo(-1); // not an int
    }

    @Test
    void everyGgufFixtureNameParsesAsLlamaCppWritesIt() {
        JsonObject files = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"))
                .getObject("files")
                .orElseThrow();
        int names = 0;
        for (Map.Entry<String, JsonValue> f : files.members().entrySet()) {
            TreeSet<Integer> blocks = new TreeSet<>();
            for (JsonValue t : ((JsonObject) f.getValue())
                    .getArray("tensors")
                    .orElseThrow()
                    .elements()) {
                String name = ((JsonObject) t).getString("name", null);
                TensorName n = TensorName.parse(name);
                assertThat(n.isGguf()).as(name).isTrue();
                assertThat(n.param()).as(name).isEqualTo("weight");
                if (name.startsWith("blk.")) {
                    assertThat(n.container()).as(name).isEqualTo("blk");
                    assertThat(name).startsWith("blk." + n.block() + "." + n.projection() + ".");
                    blocks.add(n.block());
                } else {
                    assertThat(n.block()).as(name).isEqualTo(-1);
                    assertThat(LlamaCppNames.toHf(name)).as(name).isPresent();
                }
                assertThat(n.expert()).isEqualTo(-1);
                names++;
            }
            long layers = ((JsonObject) f.getValue())
                    .getObject("metadata").orElseThrow().members().entrySet().stream()
                            .filter(e -> e.getKey().endsWith(".block_count"))
                            .count();
            if (layers > 0 && !blocks.isEmpty()) {
                assertThat(blocks.first()).as(f.getKey()).isZero();
            }
        }
        assertThat(names).isGreaterThan(400);
    }

    @Test
    void everyTransformersFixtureNameFindsItsBlocksAndExperts() {
        JsonObject expected = SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"));
        Map<String, String> containerOf = Map.of(
                "safetensors/tiny-llama-f32",
                "model.layers",
                "safetensors/tiny-mixtral",
                "model.layers",
                "safetensors/tiny-gpt2-tied",
                "transformer.h",
                "safetensors/tiny-bert",
                "encoder.layer",
                "pytorch/tiny-llama-state_dict.bin",
                "model.layers");
        for (Map.Entry<String, String> e : containerOf.entrySet()) {
            JsonObject sd = expected.getObject(e.getKey())
                    .orElseThrow()
                    .getObject("state_dict")
                    .orElseThrow();
            JsonObject config = SharedFixtures.json(SharedFixtures.fixture("hf/safetensors/"
                    + (e.getKey().startsWith("pytorch")
                            ? "tiny-llama-f32"
                            : e.getKey().substring(12))
                    + "/config.json"));
            long layers = config.getLong("num_hidden_layers", config.getLong("n_layer", -1));
            TreeSet<Integer> blocks = new TreeSet<>();
            List<String> outside = new ArrayList<>();
            for (String name : sd.members().keySet()) {
                TensorName n = TensorName.parse(name);
                if (n.inBlock()) {
                    assertThat(n.container()).as(name).isEqualTo(e.getValue());
                    assertThat(name).startsWith(n.container() + "." + n.block() + ".");
                    assertThat(name).endsWith(n.projection() + (n.param().isEmpty() ? "" : "." + n.param()));
                    blocks.add(n.block());
                } else {
                    outside.add(name);
                }
                assertThat(n.isGguf()).as(name).isFalse();
            }
            assertThat(blocks).as(e.getKey()).hasSize((int) layers);
            assertThat(blocks.last()).isEqualTo((int) layers - 1);
            assertThat(outside)
                    .as(e.getKey())
                    .allSatisfy(name -> assertThat(name).doesNotContain(".0.", ".1."));
        }
    }

    @Test
    void gpt2BiasNamesKeepTheirModule() {
        JsonObject sd = SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"))
                .getObject("safetensors/tiny-gpt2-tied")
                .orElseThrow()
                .getObject("state_dict")
                .orElseThrow();
        for (String name : sd.members().keySet()) {
            TensorName n = TensorName.parse(name);
            if (name.endsWith(".bias")) {
                assertThat(n.param()).as(name).isEqualTo("bias");
                assertThat(n.projection()).as(name).isNotEqualTo("attn");
            }
        }
    }
}
