package dev.heft.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.testing.SharedFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The classifier over the real tensor names that transformers, torch and llama.cpp wrote into the shared fixtures
 * (names and shapes from their expected.json). The expected kinds are the module each tensor belongs to in the
 * library's own model code, not numbers heft produced.
 */
class TensorClassifierTest {
    private final TensorClassifier classifier = new TensorClassifier();

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource({
        // Hugging Face llama / mistral / qwen
        "model.embed_tokens.weight, EMBEDDING, token, false",
        "model.layers.0.self_attn.q_proj.weight, ATTENTION, q, false",
        "model.layers.3.self_attn.k_proj.bias, ATTENTION, k, true",
        "model.layers.0.self_attn.o_proj.weight, ATTENTION, o, false",
        "model.layers.0.mlp.gate_proj.weight, MLP, gate, false",
        "model.layers.0.mlp.up_proj.weight, MLP, up, false",
        "model.layers.0.mlp.down_proj.weight, MLP, down, false",
        "model.layers.0.input_layernorm.weight, NORM, '', false",
        "model.norm.weight, NORM, '', false",
        "lm_head.weight, HEAD, lm_head, false",
        // MoE: mixtral (transformers 5 fused experts), qwen2_moe shared expert, deepseek MLA
        "model.layers.0.mlp.experts.gate_up_proj, EXPERTS, gate_up, false",
        "model.layers.0.mlp.experts.down_proj, EXPERTS, down, false",
        "model.layers.0.mlp.gate.weight, ROUTER, router, false",
        "model.layers.1.block_sparse_moe.experts.3.w1.weight, EXPERTS, gate, false",
        "model.layers.1.mlp.shared_expert.up_proj.weight, MLP, shared_expert, false",
        "model.layers.1.mlp.shared_expert_gate.weight, ROUTER, shared_expert_gate, false",
        "model.layers.1.self_attn.kv_a_proj_with_mqa.weight, ATTENTION, kv_down, false",
        "model.layers.1.self_attn.kv_b_proj.weight, ATTENTION, kv_up, false",
        "model.layers.1.self_attn.q_a_layernorm.weight, NORM, '', false",
        // gpt2, gpt-neox, falcon, bloom, phi3
        "transformer.wte.weight, EMBEDDING, token, false",
        "transformer.wpe.weight, EMBEDDING, position, false",
        "transformer.h.0.attn.c_attn.weight, ATTENTION, qkv, false",
        "transformer.h.0.attn.c_proj.bias, ATTENTION, o, true",
        "transformer.h.0.mlp.c_fc.weight, MLP, up, false",
        "transformer.h.0.mlp.c_proj.weight, MLP, down, false",
        "transformer.h.0.ln_1.weight, NORM, '', false",
        "gpt_neox.layers.0.attention.query_key_value.weight, ATTENTION, qkv, false",
        "gpt_neox.layers.0.mlp.dense_h_to_4h.weight, MLP, up, false",
        "gpt_neox.embed_in.weight, EMBEDDING, token, false",
        "embed_out.weight, HEAD, lm_head, false",
        "model.layers.0.self_attn.qkv_proj.weight, ATTENTION, qkv, false",
        "model.layers.0.mlp.gate_up_proj.weight, MLP, gate_up, false",
        // bert, t5, whisper, vit
        "embeddings.word_embeddings.weight, EMBEDDING, token, false",
        "embeddings.token_type_embeddings.weight, EMBEDDING, type, false",
        "embeddings.LayerNorm.weight, NORM, '', false",
        "encoder.layer.0.attention.self.query.weight, ATTENTION, q, false",
        "encoder.layer.0.attention.output.dense.weight, ATTENTION, o, false",
        "encoder.layer.0.intermediate.dense.weight, MLP, up, false",
        "encoder.layer.0.output.dense.weight, MLP, down, false",
        "pooler.dense.weight, HEAD, pooler, false",
        "shared.weight, EMBEDDING, token, false",
        "encoder.block.0.layer.0.SelfAttention.q.weight, ATTENTION, q, false",
        "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight, ATTENTION, relative_bias, false",
        "encoder.block.0.layer.1.DenseReluDense.wi_0.weight, MLP, gate, false",
        "encoder.block.0.layer.1.DenseReluDense.wo.weight, MLP, down, false",
        "model.encoder.conv1.weight, CONV, '', false",
        "model.encoder.embed_positions.weight, EMBEDDING, position, false",
        "embeddings.cls_token, EMBEDDING, special_token, false",
        // mamba
        "backbone.layers.0.mixer.in_proj.weight, SSM, in_proj, false",
        "backbone.layers.0.mixer.A_log, SSM, A, false",
        "backbone.layers.0.mixer.D, SSM, D, false",
        // llama.cpp GGUF names
        "token_embd.weight, EMBEDDING, token, false",
        "output.weight, HEAD, lm_head, false",
        "output_norm.weight, NORM, '', false",
        "blk.0.attn_q.weight, ATTENTION, q, false",
        "blk.2.attn_output.weight, ATTENTION, o, false",
        "blk.0.ffn_gate.weight, MLP, gate, false",
        "blk.0.ffn_down_exps.weight, EXPERTS, down, false",
        "blk.0.ffn_gate_inp.weight, ROUTER, router, false",
        "blk.0.ffn_up_shexp.weight, MLP, shared_expert, false",
        "blk.0.attn_kv_a_mqa.weight, ATTENTION, kv_down, false",
        "blk.0.ssm_conv1d.weight, SSM, conv1d, false",
    })
    void knowsTheNamingOfEachFamily(String name, LayerKind kind, String part, boolean bias) {
        Classification c = classifier.classify(name, new long[] {4, 4});
        assertThat(c.kind()).as(name).isEqualTo(kind);
        assertThat(c.part()).as(name).isEqualTo(part);
        assertThat(c.bias()).as(name).isEqualTo(bias);
    }

    @Test
    void blockIndexComesFromTheContainer() {
        assertThat(classifier
                        .classify("model.layers.12.mlp.up_proj.weight", new long[] {2, 2})
                        .block())
                .isEqualTo(12);
        assertThat(classifier.classify("blk.7.attn_q.weight", new long[] {2, 2}).block())
                .isEqualTo(7);
        assertThat(classifier
                        .classify("transformer.h.3.ln_1.weight", new long[] {2})
                        .block())
                .isEqualTo(3);
        assertThat(classifier
                        .classify("model.embed_tokens.weight", new long[] {2, 2})
                        .block())
                .isEqualTo(-1);
    }

    @Test
    void usesSiblingsForBiasesAndBatchNorm() {
        List<Tensor> tensors = List.of(
                t("f.0.weight", 8, 3, 3, 3),
                t("f.0.bias", 8),
                t("f.1.weight", 8),
                t("f.1.bias", 8),
                t("f.1.running_mean", 8),
                t("f.1.running_var", 8));
        List<Classification> c = classifier.classifyAll(tensors);
        assertThat(c.get(0).kind()).isEqualTo(LayerKind.CONV);
        assertThat(c.get(1).kind()).isEqualTo(LayerKind.CONV);
        assertThat(c.get(1).bias()).isTrue();
        assertThat(c.subList(2, 6)).allMatch(x -> x.kind() == LayerKind.NORM);
    }

    /** Every tensor name the real libraries wrote into the shared fixtures lands in a real kind, never OTHER. */
    @Test
    void nothingInTheLibraryWrittenFixturesIsUnclassified() {
        JsonObject hf = SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"));
        List<String> other = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonValue> e : hf.members().entrySet()) {
            if (e.getKey().endsWith("shared-storage.pt")) {
                continue; // three views named a, b, c: not a model
            }
            JsonObject entry = e.getValue().asObject(e.getKey());
            if (!entry.has("state_dict")) {
                continue;
            }
            List<Tensor> tensors = new ArrayList<>();
            for (Map.Entry<String, JsonValue> sd :
                    entry.getObject("state_dict").orElseThrow().members().entrySet()) {
                // state_dict entries are [shape, "torch.dtype"]
                JsonValue.JsonArray shape = (JsonValue.JsonArray) ((JsonValue.JsonArray) sd.getValue()).get(0);
                long[] dims = shape.elements().stream()
                        .mapToLong(v -> ((JsonValue.JsonNumber) v).value().longValue())
                        .toArray();
                tensors.add(t(sd.getKey(), dims));
            }
            List<Classification> classes = classifier.classifyAll(tensors);
            for (int i = 0; i < tensors.size(); i++) {
                checked++;
                if (classes.get(i).kind() == LayerKind.OTHER) {
                    other.add(e.getKey() + ": " + tensors.get(i).name());
                }
            }
        }
        JsonObject gguf = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"));
        for (Map.Entry<String, JsonValue> e :
                gguf.getObject("files").orElseThrow().members().entrySet()) {
            for (JsonValue tv : e.getValue()
                    .asObject(e.getKey())
                    .getArray("tensors")
                    .orElseThrow()
                    .elements()) {
                JsonObject t = tv.asObject("tensor");
                checked++;
                if (classifier
                                .classify(t.getString("name", ""), new long[] {2, 2})
                                .kind()
                        == LayerKind.OTHER) {
                    other.add(e.getKey() + ": " + t.getString("name", ""));
                }
            }
        }
        assertThat(checked).isGreaterThan(500);
        assertThat(other).isEmpty();
    }

    private static Tensor t(String name, long... shape) {
        return Tensor.weight(name, shape, DType.F32, 0, 0, null);
    }

    @org.junit.jupiter.api.Test
    void recurrentWeightsAreRecurrentWhateverTheModuleIsCalled() {
        TensorClassifier c = new TensorClassifier();
        // silero-vad's LSTMCell sits in a module called decoder; torch nn.LSTM names; Keras 2 cells.
        for (String n : new String[] {
            "_model.decoder.rnn.weight_ih",
            "_model.decoder.rnn.bias_hh",
            "encoder.lstm.weight_hh_l0",
            "rnn.weight_ih_l1_reverse",
            "gru.bias_ih_l0",
            "lstm/lstm_cell/kernel:0",
            "lstm/lstm_cell/recurrent_kernel:0",
            "gru/gru_cell/bias:0"
        }) {
            org.assertj.core.api.Assertions.assertThat(
                            c.classify(n, new long[] {4, 4}).kind())
                    .as(n)
                    .isEqualTo(LayerKind.RECURRENT);
        }
        org.assertj.core.api.Assertions.assertThat(c.classify("model.decoder.layers.0.fc1.weight", new long[] {4, 4})
                        .kind())
                .isEqualTo(LayerKind.MLP);
    }
}
