package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code estimate}'s {@code max_positions}: the longest sequence the architecture declares, as the published config
 * says it (transformers' {@code config_full} in ../shared/ground-truth/hf-architectures.json) and as llama.cpp's
 * converter wrote it into a GGUF ({@code llama.context_length}, gguf-py's expected.json). The web page draws context
 * scaling up to it.
 */
class EstimateMaxPositionsTest {
    private static final Heft HEFT = Heft.create();

    @ParameterizedTest
    @ValueSource(strings = {"llama-3-8b", "mistral-7b-v0.1", "gpt2", "phi-3-mini-4k", "mixtral-8x7b"})
    void isTheConfigsDeclaredLength(String id) {
        JsonObject config = SharedFixtures.json(SharedFixtures.groundTruth("hf-architectures.json"))
                .getObject(id)
                .orElseThrow()
                .getObject("config_full")
                .orElseThrow();
        long declared = config.getLong("max_position_embeddings", config.getLong("n_positions", -1));
        assertThat(declared).isPositive();
        assertThat(HEFT.catalogModel(id).estimate().maxPositions()).hasValue(declared);
    }

    @Test
    void isTheGgufContextLength() {
        long declared = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"))
                .getObject("files")
                .orElseThrow()
                .getObject("tiny-llama-Q4_K_M.gguf")
                .orElseThrow()
                .getObject("metadata")
                .orElseThrow()
                .getLong("llama.context_length", -1);
        assertThat(HEFT.open(SharedFixtures.fixture("gguf/tiny-llama-Q4_K_M.gguf"))
                        .estimate()
                        .maxPositions())
                .hasValue(declared);
    }

    @Test
    void networksHaveNone() {
        assertThat(HEFT.catalogModel("resnet50").estimate().maxPositions()).isEmpty();
    }
}
