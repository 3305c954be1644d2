package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The context limit as vLLM derives its max_model_len from a config (vllm/config.py {@code _get_and_verify_max_len}):
 * the smallest length key, YaRN as factor x original_max_position_embeddings, linear/dynamic scaling as factor x the
 * length, llama3/longrope/su and Gemma 3 unscaled. Each expected number is the published config's own key (quoted) or
 * that rule applied to it, and where a model card states its context, the card.
 */
class ContextLimitTest {

    private static Optional<ContextLimit> catalog(String id) {
        return ModelProfile.of(ModelResolver.catalog(id)).contextLimit();
    }

    private static Optional<ContextLimit> of(String json) {
        JsonObject c = Json.parse(json.getBytes(StandardCharsets.UTF_8)).asObject("config");
        return ContextLimit.of(c, Optional.empty(), "config.json");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        // max_position_embeddings 8192 (Meta-Llama-3-8B config.json)
        "llama-3-8b, 8192",
        // llama3 rope_scaling is already in max_position_embeddings 131072 (the card: 128k context)
        "llama-3.1-8b, 131072",
        "llama-3.2-1b, 131072",
        // yarn: factor 32 x original_max_position_embeddings 4096 (gpt-oss card: 128k context)
        "gpt-oss-120b, 131072",
        // yarn: factor 40 x original_max_position_embeddings 4096 (DeepSeek-V3 card: 128K context length)
        "deepseek-v3, 163840",
        // GPT-2: n_positions 1024
        "gpt2, 1024",
        // BERT: max_position_embeddings 512
        "bert-base-uncased, 512",
        // RoBERTa: a 514-row table whose positions start at pad_token_id + 1 = 2
        "roberta-base, 512",
        // Qwen3: max_position_embeddings 40960 (the card: 32,768 natively, 40,960 reserved with the prompt)
        "qwen3-8b, 40960",
    })
    void limitOfCatalogModels(String id, long tokens) {
        assertThat(catalog(id)).get().extracting(ContextLimit::tokens).isEqualTo(tokens);
    }

    @Test
    void whisperHasADecoderAndAnEncoderLimit() {
        // openai/whisper-tiny config.json: max_target_positions 448, max_source_positions 1500
        ContextLimit l = catalog("whisper-tiny").orElseThrow();
        assertThat(l.tokens()).isEqualTo(448);
        assertThat(l.encoderTokens()).contains(1500L);
        assertThat(l.warnings("whisper-tiny", 448, Optional.of(1500L))).isEmpty();
        assertThat(l.warnings("whisper-tiny", 449, Optional.of(1501L))).hasSize(2);
    }

    @Test
    void recurrentAndAlibiModelsWithoutALengthKeyHaveNoLimit() {
        assertThat(catalog("mamba-130m")).isEmpty();
        assertThat(catalog("bloom-560m")).isEmpty();
        assertThat(LlmCatalog.find("bloom-560m").config().has("max_position_embeddings"))
                .isFalse();
    }

    @Test
    void yarnAddedAsQwenDocumentsItGives131072() {
        // The Qwen3 model cards: add {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}
        // to rope_scaling for 131,072 tokens ("vllm serve ... --max-model-len 131072").
        ContextLimit l = of("""
                {"model_type": "qwen3", "max_position_embeddings": 40960, "rope_scaling": {"rope_type": "yarn",
                 "factor": 4.0, "original_max_position_embeddings": 32768}}""").orElseThrow();
        assertThat(l.tokens()).isEqualTo(131_072);
        assertThat(l.basis()).contains("yarn").contains("32,768");
    }

    @Test
    void linearAndDynamicScaleTheLengthAndTheOldTypeKeyIsRead() {
        assertThat(of("""
                {"max_position_embeddings": 4096, "rope_scaling": {"type": "linear", "factor": 2.0}}""")).get().extracting(ContextLimit::tokens).isEqualTo(8192L);
        assertThat(of("""
                {"max_position_embeddings": 4096, "rope_scaling": {"type": "dynamic", "factor": 4.0}}""")).get().extracting(ContextLimit::tokens).isEqualTo(16384L);
        // longrope (Phi-3 128k): max_position_embeddings is already the extended length
        assertThat(of("""
                {"max_position_embeddings": 131072, "original_max_position_embeddings": 4096,
                 "rope_scaling": {"type": "longrope", "long_factor": [1.0], "short_factor": [1.0]}}""")).get().extracting(ContextLimit::tokens).isEqualTo(131072L);
        // Gemma 3's max_position_embeddings is already scaled (vLLM skips it)
        assertThat(of("""
                {"model_type": "gemma3_text", "max_position_embeddings": 131072,
                 "rope_scaling": {"rope_type": "linear", "factor": 8.0}}""")).get().extracting(ContextLimit::tokens).isEqualTo(131072L);
    }

    @Test
    void theSmallestLengthKeyWins() {
        assertThat(of("{\"max_position_embeddings\": 4096, \"seq_length\": 2048}"))
                .get()
                .extracting(ContextLimit::tokens)
                .isEqualTo(2048L);
    }

    @Test
    void aLengthThatIsNoWholeCountIsNoLength() {
        // Found by the hfconfig fuzz target: 1e-6 once truncated to a limit of 0 and failed with an untyped exception.
        assertThat(of("{\"max_position_embeddings\": 4096, \"max_sequence_length\": 0.000001}"))
                .get()
                .extracting(ContextLimit::tokens)
                .isEqualTo(4096L);
        assertThat(of("{\"max_position_embeddings\": 0, \"seq_length\": 2048.5}"))
                .isEmpty();
        assertThat(of("{\"max_position_embeddings\": 2.048e3}"))
                .get()
                .extracting(ContextLimit::tokens)
                .isEqualTo(2048L);
    }

    @Test
    void aContextWithinTheLimitHasNoWarningAndOnePastItDoes() {
        ContextLimit l = catalog("llama-3-8b").orElseThrow();
        assertThat(l.warnings("llama-3-8b", 8192, Optional.empty())).isEmpty();
        assertThat(l.warnings("llama-3-8b", 131_072, Optional.empty()))
                .singleElement()
                .asString()
                .contains("131,072")
                .contains("8,192");
        assertThat(l.cap(131_072)).isEqualTo(8192);
        assertThat(l.cap(1000)).isEqualTo(1000);
    }
}
