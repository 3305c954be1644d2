package dev.heft.core.arch.hf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.error.HeftException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.testing.FuzzBudget;
import dev.heft.core.testing.SeedCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over a Hugging Face {@code config.json} as heft reads it: JSON, the architecture count, and the model profile
 * every estimate starts from. A typed {@link HeftException} (bad JSON, an unsupported model_type, an impossible value)
 * is the only acceptable failure; an ArithmeticException from sizes that overflow, a negative count or an allocation
 * sized by a field (a layer count of 2^31) is a finding. Seeds: real configs from the catalog ({@link #seeds()}).
 */
class HfConfigFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    @FuzzTest(maxDuration = "60s")
    void configs(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> {
            try {
                if (Json.parse(data) instanceof JsonValue.JsonObject config) {
                    ResolvedModel.Described model = ResolvedModel.Described.of("fuzz", config, "fuzz");
                    ModelProfile profile = ModelProfile.of(model);
                    if (profile.parameters() < 0) {
                        throw new AssertionError("negative parameter count " + profile.parameters());
                    }
                }
            } catch (HeftException expected) {
                // bad input, told as such
            }
        });
    }

    /** Catalog configs of several families (dense, MoE, MLA, encoder, encoder-decoder, audio). */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String id : List.of(
                "llama-3-8b",
                "mixtral-8x7b",
                "deepseek-v3",
                "gpt2-xl",
                "bert-base-uncased",
                "t5-base",
                "whisper-tiny",
                "qwen3-30b-a3b")) {
            seeds.put(
                    id + ".json", JsonWriter.write(LlmCatalog.find(id).config()).getBytes(StandardCharsets.UTF_8));
        }
        return seeds;
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        SeedCorpus.verify(SeedCorpus.dir(HfConfigFuzzTest.class, "configs"), seeds());
    }

    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(HfConfigFuzzTest.class, "configs"), seeds());
    }
}
