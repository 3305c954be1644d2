package dev.heft.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.safetensors.SafetensorsReader;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bias parameters as transformers counts them: every parameter named {@code *.bias} of the saved model (LayerNorm,
 * Linear and GPT-2's Conv1D biases alike), summed from the state dict transformers wrote into
 * ../shared/fixtures/hf/expected.json. GPT-2's fused {@code c_attn.bias} is one of them; its causal-mask buffer
 * {@code attn.bias} (not saved by transformers 5) is not.
 */
class BiasCountTest {

    private static long biasParameters(String key) {
        JsonObject sd = SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"))
                .getObject(key)
                .orElseThrow()
                .getObject("state_dict")
                .orElseThrow();
        long n = 0;
        for (Map.Entry<String, JsonValue> e : sd.members().entrySet()) {
            if (e.getKey().endsWith(".bias")) {
                long p = 1;
                for (JsonValue d : ((JsonArray) ((JsonArray) e.getValue()).get(0)).elements()) {
                    p *= ((JsonNumber) d).longValueExact("dim");
                }
                n += p;
            }
        }
        return n;
    }

    @Test
    void biasesAreWhatTransformersNamesBias() throws Exception {
        for (String model : new String[] {"tiny-gpt2-tied", "tiny-bert", "tiny-llama-f32", "tiny-mixtral"}) {
            InspectReport r = InspectReport.of(
                    SafetensorsReader.readDirectory(SharedFixtures.fixture("hf/safetensors/" + model)));
            assertThat(r.biasParameters()).as(model).isEqualTo(biasParameters("safetensors/" + model));
        }
        assertThat(biasParameters("safetensors/tiny-gpt2-tied")).isEqualTo(1_104); // README's example
    }
}
