package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** Facts read from configs transformers wrote (../shared/ground-truth/hf-architectures.json). */
class ModelFactsTest {

    private static JsonObject model(String name) {
        return SharedFixtures.json(SharedFixtures.groundTruth("hf-architectures.json"))
                .getObject(name)
                .orElseThrow();
    }

    @Test
    void fullConfigAndSavedDiffGiveTheSameFacts() {
        for (String name : new String[] {
            "llama-2-7b",
            "llama-3-8b",
            "llama-3.2-1b",
            "mistral-7b-v0.1",
            "mixtral-8x7b",
            "qwen2-7b",
            "gemma-7b",
            "phi-3-mini-4k",
            "deepseek-v2-lite",
            "gpt2"
        }) {
            JsonObject m = model(name);
            assertThat(ModelFacts.fromHfConfig(m.getObject("config_diff").orElseThrow()))
                    .as(name)
                    .isEqualTo(
                            ModelFacts.fromHfConfig(m.getObject("config_full").orElseThrow()));
        }
    }

    @Test
    void knownModels() {
        assertThat(ModelFacts.fromHfConfig(
                        model("llama-3-8b").getObject("config_diff").orElseThrow()))
                .isEqualTo(new ModelFacts("llama", 32, 32, 8, 0, false));
        ModelFacts mixtral = ModelFacts.fromHfConfig(
                model("mixtral-8x7b").getObject("config_diff").orElseThrow());
        assertThat(mixtral).isEqualTo(new ModelFacts("llama", 32, 32, 8, 8, false));
        assertThat(mixtral.nGqa()).isEqualTo(4);
        assertThat(ModelFacts.fromHfConfig(
                        model("deepseek-v2-lite").getObject("config_diff").orElseThrow()))
                .isEqualTo(new ModelFacts("deepseek2", 27, 16, 16, 64, false));
        assertThat(ModelFacts.fromHfConfig(
                        model("gpt2").getObject("config_diff").orElseThrow()))
                .isEqualTo(new ModelFacts("gpt2", 12, 12, 12, 0, false));
        // A Llama-2-70B-shaped config is llama.cpp's LLM_TYPE_70B.
        assertThat(ModelFacts.fromHfConfig(Json.parse("{\"model_type\": \"llama\", \"num_hidden_layers\": 80, "
                                        + "\"num_attention_heads\": 64, \"num_key_value_heads\": 8}")
                                .asObject("c"))
                        .is70B())
                .isTrue();
    }

    @Test
    void missingOrBadKeysAreTypedErrors() {
        assertThatThrownBy(() -> ModelFacts.fromHfConfig(
                        Json.parse("{\"num_hidden_layers\": 2}").asObject("c")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("model_type");
        assertThatThrownBy(() -> ModelFacts.fromHfConfig(
                        Json.parse("{\"model_type\": \"llama\"}").asObject("c")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("num_hidden_layers");
        assertThatThrownBy(() -> ModelFacts.fromHfConfig(
                        Json.parse("{\"model_type\": \"llama\", \"num_hidden_layers\": \"two\"}")
                                .asObject("c")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("num_hidden_layers");
    }
}
