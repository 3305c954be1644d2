package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vision-language composites as transformers 5.18 builds their {@code *ForConditionalGeneration}: a vision tower
 * ({@link VisionTowers}), a projector, and a language model that is any family heft counts exactly (its
 * {@code *ForCausalLM}: {@code model.language_model} plus {@code lm_head}), reported as parts. A composite whose tower
 * or language model heft does not model exactly is counted by {@link GenericTransformer} and says so.
 */
final class VisionLanguageModels {
    private VisionLanguageModels() {
    }

    private static final class Defaults {
        /** The CLIP ViT-L/14 at 336 px that LlavaConfig and LlavaNextConfig build when vision_config is absent. */
        static final Map<String, Object> CLIP_L_336 = Map.of("intermediate_size", 4096L, "hidden_size", 1024L,
                "patch_size", 14L, "image_size", 336L, "num_hidden_layers", 24L, "num_attention_heads", 16L);
    }

    /** What one composite family builds around its tower and language model. */
    enum Style {
        // configuration_llava.py LlavaConfig; modeling_llava.py LlavaMultiModalProjector (linear_1, GELU, linear_2)
        LLAVA("llava", "LlavaForConditionalGeneration", "clip_vision_model", Defaults.CLIP_L_336, "llama", Map.of()),
        // configuration_llava_next.py: LLaVA's modules plus image_newline (text width) owned by LlavaNextModel
        LLAVA_NEXT("llava_next", "LlavaNextForConditionalGeneration", "clip_vision_model", Defaults.CLIP_L_336,
                "llama", Map.of()),
        // configuration_paligemma.py PaliGemmaConfig; modeling_paligemma.py PaliGemmaMultiModalProjector (one linear)
        PALIGEMMA("paligemma", "PaliGemmaForConditionalGeneration", "siglip_vision_model",
                Map.of("intermediate_size", 4096L, "hidden_size", 1152L, "patch_size", 14L, "image_size", 224L,
                        "num_hidden_layers", 27L, "num_attention_heads", 16L, "vocab_size", 257152L,
                        "vision_use_head", false),
                "gemma", Map.of("hidden_size", 2048L, "num_hidden_layers", 18L, "intermediate_size", 16384L,
                        "num_attention_heads", 8L, "num_key_value_heads", 1L, "vocab_size", 257152L));

        final String type;
        final String modelClass;
        final String visionType;
        final Map<String, Object> visionDefaults;
        final String textType;
        final Map<String, Object> textDefaults;

        Style(String type, String modelClass, String visionType, Map<String, Object> visionDefaults, String textType,
              Map<String, Object> textDefaults) {
            this.type = type;
            this.modelClass = modelClass;
            this.visionType = visionType;
            this.visionDefaults = visionDefaults;
            this.textType = textType;
            this.textDefaults = textDefaults;
        }
    }

    static HfArchitecture llava(HfConfig c) {
        return count(c, Style.LLAVA);
    }

    static HfArchitecture llavaNext(HfConfig c) {
        return count(c, Style.LLAVA_NEXT);
    }

    static HfArchitecture paligemma(HfConfig c) {
        return count(c, Style.PALIGEMMA);
    }

    private static HfArchitecture count(HfConfig c, Style style) {
        JsonObject visionJson = subConfig(c, "vision_config", style.visionType, style.visionDefaults);
        JsonObject textJson = subConfig(c, "text_config", style.textType, style.textDefaults);
        // the composite's tie_word_embeddings decides whether lm_head is the language model's token table
        Map<String, JsonValue> text = new LinkedHashMap<>(textJson.members());
        text.remove("architectures");
        if (c.mentions("tie_word_embeddings")) {
            text.put("tie_word_embeddings", c.json().members().get("tie_word_embeddings"));
        } else if (style == Style.PALIGEMMA) {
            text.put("tie_word_embeddings", new JsonValue.JsonBoolean(true)); // PaliGemmaConfig default
        } else if (!text.containsKey("tie_word_embeddings")) {
            text.put("tie_word_embeddings", new JsonValue.JsonBoolean(false)); // LlavaConfig default
        }
        Optional<HfModelType> textType = HfModelType.of(new JsonObject(text).getString("model_type", ""));
        ModuleTally t = new ModuleTally();
        Optional<VisionTowers.Tower> tower = VisionTowers.count(new HfConfig(visionJson, c.modelType() + ".vision_config"),
                t);
        if (tower.isEmpty() || textType.isEmpty()) {
            return GenericTransformer.count(c); // a tower or language model heft has no exact model of
        }
        HfArchitecture lm = textType.get().count(new HfConfig(new JsonObject(text), textType.get().id()));
        long th = lm.shape().hiddenSize();
        long vh = tower.get().hidden();
        long before = t.parameters();
        if (style == Style.PALIGEMMA) {
            long projection = c.size(2048, "projection_dim");
            t.linear(LayerKind.MLP, 1, vh, projection, true); // multi_modal_projector.linear
        } else {
            boolean bias = c.flag(true, "multimodal_projector_bias");
            long featureLayers = c.json().members().get("vision_feature_layer") instanceof JsonValue.JsonArray a
                    ? a.size() : 1;
            t.linear(LayerKind.MLP, 1, mul(vh, featureLayers), th, bias).linear(LayerKind.MLP, 1, th, th, bias);
        }
        long projector = t.parameters() - before;
        long newline = 0;
        if (style == Style.LLAVA_NEXT) {
            t.parameter(LayerKind.EMBEDDING, "LlavaNextModel", th); // image_newline
            newline = th;
        }
        t.merge(lm.counts(), lm.shape().matmulParametersPerToken());
        List<HfArchitecture.Part> parts = new java.util.ArrayList<>(List.of(
                new HfArchitecture.Part("model.vision_tower", "vision tower", tower.get().parameters()),
                new HfArchitecture.Part("model.multi_modal_projector", "projector", projector)));
        if (newline > 0) {
            parts.add(new HfArchitecture.Part("model.image_newline", "image newline", newline));
        }
        parts.add(new HfArchitecture.Part("model.language_model + lm_head", "language model (" + lm.modelClass()
                + ")", lm.counts().parameters()));
        return new HfArchitecture(style.type, style.modelClass, t.build(), lm.shape(), lm.checkpointOnlyParameters(),
                CountAccuracy.Exact.INSTANCE, parts);
    }

    /** The sub-config as written, or the composite's own default when absent (its __post_init__ builds that). */
    private static JsonObject subConfig(HfConfig c, String key, String defaultType, Map<String, Object> defaults) {
        Optional<JsonObject> given = c.object(key);
        Map<String, JsonValue> m = new LinkedHashMap<>();
        if (given.isEmpty()) {
            defaults.forEach((k, v) -> m.put(k, v instanceof Boolean b ? new JsonValue.JsonBoolean(b)
                    : JsonValue.JsonNumber.of((Long) v)));
        } else {
            m.putAll(given.get().members());
        }
        if (!(m.get("model_type") instanceof JsonValue.JsonString)) {
            m.put("model_type", new JsonValue.JsonString(defaultType));
        }
        return new JsonObject(m);
    }
}
