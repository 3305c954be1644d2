package dev.heft.core.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.testing.FuzzBudget;
import dev.heft.core.testing.SeedCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over heft's JSON parser (config.json, model.json, index files, API bodies): any bytes parse or fail with a
 * {@link JsonException}; what parses is written back and parses to an equal value (the writer escapes what the
 * parser accepts); nesting, number and string sizes stay within {@link FuzzBudget}. Seeds: {@link #seeds()}.
 */
class JsonFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> {
            JsonValue v;
            try {
                v = Json.parse(data);
            } catch (JsonException expected) {
                return;
            }
            String written = JsonWriter.writeCompact(v);
            JsonValue again = Json.parse(written);
            if (!JsonWriter.writeCompact(again).equals(written)) {
                throw new AssertionError("round trip changed " + written);
            }
        });
    }

    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put(
                "config.json",
                ("{\"model_type\": \"llama\", \"hidden_size\": 4096, \"rope_theta\": 5e5, "
                                + "\"rope_scaling\": null, \"tie_word_embeddings\": false, \"architectures\": [\"LlamaForCausalLM\"], "
                                + "\"torch_dtype\": \"bfloat16\", \"eps\": 1e-05}")
                        .getBytes(StandardCharsets.UTF_8));
        seeds.put(
                "index.json",
                ("{\"metadata\": {\"total_size\": 16060522496}, \"weight_map\": "
                                + "{\"lm_head.weight\": \"model-00004-of-00004.safetensors\"}}")
                        .getBytes(StandardCharsets.UTF_8));
        seeds.put(
                "escapes.json",
                "[\"\\u00e9\\ud83d\\ude00\\n\\t\\\"\", -0.0, 1E+400, 123456789012345678901234567890]"
                        .getBytes(StandardCharsets.UTF_8));
        seeds.put("nested.json", "{\"a\": [[[{\"b\": [true, false, null]}]]]}".getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        SeedCorpus.verify(SeedCorpus.dir(JsonFuzzTest.class, "parse"), seeds());
    }

    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(JsonFuzzTest.class, "parse"), seeds());
    }
}
