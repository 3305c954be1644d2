package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Bad configs fail with InvalidInputException naming the key and what was expected; never another exception or a hang. */
class HfArchitecturesErrorTest {

    @Test
    void missingModelTypeListsTheSupportedOnes() {
        assertThatThrownBy(() -> HfArchitectures.count(new JsonValue.JsonObject(java.util.Map.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'model_type' missing")
                .hasMessageContaining("llama")
                .hasMessageContaining("whisper");
    }

    @Test
    void unknownModelTypeWithoutAShapeListsTheExactOnes() {
        assertThatThrownBy(() -> Configs.of("llama9").count())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("model_type 'llama9' is not one heft counts exactly")
                .hasMessageContaining("no transformer shape")
                .hasMessageContaining("deepseek_v3")
                .hasMessageContaining("gpt_oss");
    }

    @Test
    void unknownModelTypeWithAShapeIsApproximatedAndSaysSo() {
        HfArchitecture a = Configs.of("llama9")
                .put("vocab_size", 32000)
                .put("hidden_size", 4096)
                .put("intermediate_size", 11008)
                .put("num_hidden_layers", 32)
                .put("num_attention_heads", 32)
                .put("rms_norm_eps", "1e-6")
                .put("hidden_act", "silu")
                .put("tie_word_embeddings", false)
                .count();
        assertThat(a.exact()).isFalse();
        assertThat(a.accuracy()).isInstanceOf(CountAccuracy.Approximate.class);
        assertThat(a.counts().notes()).anyMatch(n -> n.startsWith("approximate: model_type 'llama9'"));
        // LlamaForCausalLM with these sizes has 6,738,415,616 parameters (hf-family-counts.json: llama)
        assertThat(a.counts().parameters()).isEqualTo(6_738_415_616L);
    }

    @Test
    void wrongTypesAndImpossibleValuesNameTheKey() {
        assertThatThrownBy(() -> Configs.of("llama").put("hidden_size", "big").count())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'hidden_size'");
        assertThatThrownBy(() -> Configs.of("llama").put("hidden_size", -5).count())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'hidden_size'");
        assertThatThrownBy(() ->
                        Configs.of("mistral").put("num_attention_heads", 0).count())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'num_attention_heads'");
        assertThatThrownBy(() ->
                        Configs.of("llama").put("num_hidden_layers", 1L << 38).count())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'num_hidden_layers'");
        assertThatThrownBy(() -> Configs.of("gemma2")
                        .put("num_hidden_layers", 3)
                        .put(
                                "layer_types",
                                new JsonValue.JsonArray(List.of(new JsonValue.JsonString("full_attention"))))
                        .count())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'layer_types'");
        assertThatThrownBy(
                        () -> Configs.of("phi3").put("partial_rotary_factor", 3).count())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("partial_rotary_factor");
    }

    @Test
    void overflowIsAnInputErrorNotAnArithmeticException() {
        assertThatThrownBy(() -> Configs.of("llama")
                        .put("hidden_size", 1L << 39)
                        .put("vocab_size", 1L << 39)
                        .put("intermediate_size", 1L << 39)
                        .count())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("overflow");
    }

    @Test
    void deepseekV2WithoutExpertsPerTokenIsCountedAndSaysWhatItAssumed() {
        // DeepseekV2Config's default num_experts_per_tok is None; the parameter count does not depend on it
        HfArchitecture a = Configs.of("deepseek_v2").count();
        assertThat(a.exact()).isTrue();
        assertThat(a.shape().moe().orElseThrow().expertsPerToken()).isEqualTo(6);
        assertThat(a.counts().notes()).anyMatch(n -> n.contains("num_experts_per_tok is null"));
    }

    @Provide
    Arbitrary<JsonValue> hostileValue() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(JsonValue.JsonNumber::of),
                Arbitraries.longs().between(-2, 4096).map(JsonValue.JsonNumber::of),
                Arbitraries.doubles().between(-1e6, 1e6).map(JsonValue.JsonNumber::of),
                Arbitraries.strings().ofMaxLength(6).map(JsonValue.JsonString::new),
                Arbitraries.of(
                        JsonValue.JsonNull.INSTANCE,
                        new JsonValue.JsonBoolean(true),
                        new JsonValue.JsonBoolean(false),
                        new JsonValue.JsonArray(List.of()),
                        new JsonValue.JsonObject(java.util.Map.of())));
    }

    private static final List<String> KEYS = List.of(
            "text_config",
            "vision_config",
            "depths",
            "image_size",
            "state_size",
            "hidden_size",
            "num_hidden_layers",
            "num_attention_heads",
            "num_key_value_heads",
            "head_dim",
            "intermediate_size",
            "vocab_size",
            "n_embd",
            "n_layer",
            "n_head",
            "d_model",
            "num_layers",
            "d_ff",
            "num_experts",
            "num_local_experts",
            "num_experts_per_tok",
            "q_lora_rank",
            "kv_lora_rank",
            "layer_types",
            "tie_word_embeddings",
            "time_step_rank",
            "patch_size",
            "architectures",
            "mlp_only_layers",
            "sliding_window",
            "partial_rotary_factor",
            "n_routed_experts",
            "first_k_dense_replace");

    @Property(tries = 2000)
    void anyConfigEitherCountsOrFailsWithATypedError(
            @ForAll("types") String type,
            @ForAll("hostileValue") JsonValue a,
            @ForAll("hostileValue") JsonValue b,
            @ForAll("hostileValue") JsonValue c,
            @ForAll("keyIndex") int i,
            @ForAll("keyIndex") int j,
            @ForAll("keyIndex") int k) {
        Configs cfg = Configs.of(type).put(KEYS.get(i), a).put(KEYS.get(j), b).put(KEYS.get(k), c);
        try {
            HfArchitecture arch = cfg.count();
            assertThat(arch.counts().parameters()).isNotNegative();
        } catch (InvalidInputException expected) {
            assertThat(expected.getMessage()).startsWith("config.json");
        }
    }

    @Provide
    Arbitrary<String> types() {
        List<String> ids = new ArrayList<>(HfModelType.supported());
        // families counted by the generic approximation take the same hostile values
        ids.addAll(List.of("qwen3_next", "llama4", "jamba", "siglip", "unknown_family"));
        return Arbitraries.of(ids);
    }

    @Provide
    Arbitrary<Integer> keyIndex() {
        return Arbitraries.integers().between(0, KEYS.size() - 1);
    }
}
