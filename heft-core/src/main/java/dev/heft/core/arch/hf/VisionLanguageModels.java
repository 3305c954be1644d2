package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Vision-language composites as transformers 5.18 builds their {@code *ForConditionalGeneration}: a vision tower
 * ({@link VisionTowers}), a projector, and a language model that is any family heft counts exactly (its decoder plus
 * {@code lm_head}), reported as parts under the module names transformers gives them. One {@link Style} per family
 * holds what its configuration and modeling files differ in: the default sub-configs its {@code __post_init__} builds,
 * the projector, where the parts sit, and which flag ties the head to the token table. A composite whose tower or
 * language model heft does not model exactly is counted by {@link GenericTransformer} and says so.
 */
final class VisionLanguageModels {
    private VisionLanguageModels() {}

    /** Which flag decides whether lm_head shares the language model's token table. */
    enum TieRule {
        /** The composite's own tie_word_embeddings (its class default when absent). */
        COMPOSITE,
        /** The composite's flag, forced on by a text_config that ties (pre-v5 checkpoints saved it there). */
        COMPOSITE_OR_TEXT,
        /** The language model is a whole *ForCausalLM that follows its own text config (Llama 4). */
        TEXT,
        /** Never tied (Mllama leaves _tied_weights_keys commented out). */
        NEVER
    }

    /** Where the parts sit in the module tree, for the parts report (prefixes of transformers' parameter names). */
    record Layout(String tower, String projector, String language) {
        static final Layout MODEL =
                new Layout("model.vision_tower", "model.multi_modal_projector", "model.language_model + lm_head");
    }

    private static final class Defaults {
        /** The CLIP ViT-L/14 at 336 px that LlavaConfig and LlavaNextConfig build when vision_config is absent. */
        static final Map<String, Object> CLIP_L_336 = Map.of(
                "intermediate_size",
                4096L,
                "hidden_size",
                1024L,
                "patch_size",
                14L,
                "image_size",
                336L,
                "num_hidden_layers",
                24L,
                "num_attention_heads",
                16L);
        /** configuration_mistral3.py: the Pixtral tower and Mistral text model Mistral3Config builds by default. */
        static final Map<String, Object> PIXTRAL = Map.of(
                "intermediate_size",
                4096L,
                "hidden_size",
                1024L,
                "patch_size",
                14L,
                "image_size",
                1540L,
                "num_hidden_layers",
                24L,
                "num_attention_heads",
                16L,
                "head_dim",
                64L);

        static final Map<String, Object> MISTRAL_SMALL = Map.of(
                "head_dim",
                128L,
                "hidden_size",
                5120L,
                "intermediate_size",
                32768L,
                "max_position_embeddings",
                131072L,
                "num_attention_heads",
                32L,
                "num_hidden_layers",
                40L,
                "num_key_value_heads",
                8L,
                "vocab_size",
                131072L);
    }

    /** What one composite family builds around its tower and language model. */
    enum Style {
        // configuration_llava.py LlavaConfig; modeling_llava.py LlavaMultiModalProjector (linear_1, GELU, linear_2)
        LLAVA(
                "llava",
                "LlavaForConditionalGeneration",
                "clip_vision_model",
                Defaults.CLIP_L_336,
                "llama",
                Map.of(),
                false,
                TieRule.COMPOSITE_OR_TEXT,
                Layout.MODEL),
        // configuration_llava_next.py: LLaVA's modules plus image_newline (text width) owned by LlavaNextModel
        LLAVA_NEXT(
                "llava_next",
                "LlavaNextForConditionalGeneration",
                "clip_vision_model",
                Defaults.CLIP_L_336,
                "llama",
                Map.of(),
                false,
                TieRule.COMPOSITE_OR_TEXT,
                Layout.MODEL),
        // configuration_paligemma.py PaliGemmaConfig; modeling_paligemma.py PaliGemmaMultiModalProjector (one linear)
        PALIGEMMA(
                "paligemma",
                "PaliGemmaForConditionalGeneration",
                "siglip_vision_model",
                Map.of(
                        "intermediate_size",
                        4096L,
                        "hidden_size",
                        1152L,
                        "patch_size",
                        14L,
                        "image_size",
                        224L,
                        "num_hidden_layers",
                        27L,
                        "num_attention_heads",
                        16L,
                        "vocab_size",
                        257152L,
                        "vision_use_head",
                        false),
                "gemma",
                Map.of(
                        "hidden_size",
                        2048L,
                        "num_hidden_layers",
                        18L,
                        "intermediate_size",
                        16384L,
                        "num_attention_heads",
                        8L,
                        "num_key_value_heads",
                        1L,
                        "vocab_size",
                        257152L),
                true,
                TieRule.COMPOSITE,
                Layout.MODEL),
        // configuration_gemma3.py Gemma3Config (SiglipVisionConfig() and Gemma3TextConfig() by default);
        // modeling_gemma3.py Gemma3MultiModalProjector: mm_input_projection_weight (vision x text) and a Gemma RMSNorm
        GEMMA3(
                "gemma3",
                "Gemma3ForConditionalGeneration",
                "siglip_vision_model",
                Map.of(),
                "gemma3_text",
                Map.of(),
                true,
                TieRule.COMPOSITE,
                Layout.MODEL),
        // configuration_mistral3.py Mistral3Config; modeling_mistral3.py Mistral3MultiModalProjector: RMSNorm, patch
        // merger (vision x merge^2 -> vision), linear_1, linear_2 (bias by multimodal_projector_bias)
        MISTRAL3(
                "mistral3",
                "Mistral3ForConditionalGeneration",
                "pixtral",
                Defaults.PIXTRAL,
                "mistral",
                Defaults.MISTRAL_SMALL,
                true,
                TieRule.COMPOSITE,
                Layout.MODEL),
        // configuration_llama4.py Llama4Config; modeling_llama4.py: vision_model, multi_modal_projector.linear_1
        // (vision_output_dim -> text, no bias) and a whole Llama4ForCausalLM as language_model
        LLAMA4(
                "llama4",
                "Llama4ForConditionalGeneration",
                "llama4_vision_model",
                Map.of(),
                "llama4_text",
                Map.of(),
                false,
                TieRule.TEXT,
                new Layout("vision_model", "multi_modal_projector", "language_model")),
        // configuration_qwen2_vl.py Qwen2VLConfig: the merger is inside model.visual; pre-v5 configs are flat (the text
        // keys at top level)
        QWEN2_VL(
                "qwen2_vl",
                "Qwen2VLForConditionalGeneration",
                "qwen2_vl",
                Map.of(),
                "qwen2_vl_text",
                Map.of(),
                false,
                TieRule.COMPOSITE_OR_TEXT,
                new Layout("model.visual", null, "model.language_model + lm_head")),
        QWEN2_5_VL(
                "qwen2_5_vl",
                "Qwen2_5_VLForConditionalGeneration",
                "qwen2_5_vl",
                Map.of(),
                "qwen2_5_vl_text",
                Map.of(),
                false,
                TieRule.COMPOSITE_OR_TEXT,
                new Layout("model.visual", null, "model.language_model + lm_head")),
        // configuration_qwen3_vl.py Qwen3VLConfig (and its MoE twin): deepstack mergers inside model.visual
        QWEN3_VL(
                "qwen3_vl",
                "Qwen3VLForConditionalGeneration",
                "qwen3_vl_vision",
                Map.of(),
                "qwen3_vl_text",
                Map.of(),
                false,
                TieRule.COMPOSITE,
                new Layout("model.visual", null, "model.language_model + lm_head")),
        QWEN3_VL_MOE(
                "qwen3_vl_moe",
                "Qwen3VLMoeForConditionalGeneration",
                "qwen3_vl_moe_vision",
                Map.of(),
                "qwen3_vl_moe_text",
                Map.of(),
                false,
                TieRule.COMPOSITE,
                new Layout("model.visual", null, "model.language_model + lm_head")),
        // configuration_internvl.py InternVLConfig (Qwen2 text by default); modeling_internvl.py
        // InternVLMultiModalProjector: LayerNorm and linear_1 over the pixel-shuffled width, linear_2, all biased
        INTERNVL(
                "internvl",
                "InternVLForConditionalGeneration",
                "internvl_vision",
                Map.of(),
                "qwen2",
                Map.of(),
                true,
                TieRule.COMPOSITE,
                Layout.MODEL),
        // configuration_idefics3.py Idefics3Config (Llama text by default); modeling_idefics3.py Idefics3Connector:
        // modality_projection.proj (vision x scale_factor^2 -> text, no bias)
        IDEFICS3(
                "idefics3",
                "Idefics3ForConditionalGeneration",
                "idefics3_vision",
                Map.of(),
                "llama",
                Map.of("rms_norm_eps", 1e-5),
                false,
                TieRule.COMPOSITE,
                new Layout("model.vision_model", "model.connector", "model.text_model + lm_head")),
        // configuration_mllama.py MllamaConfig; modeling_mllama.py: a tiled vision model, a biased Linear projector
        // (vision_output_dim -> text) and MllamaTextModel, whose cross-attention layers hold q/k norms and two gates
        MLLAMA(
                "mllama",
                "MllamaForConditionalGeneration",
                "mllama_vision_model",
                Map.of(),
                "mllama_text_model",
                Map.of(),
                false,
                TieRule.NEVER,
                new Layout("model.vision_model", "model.multi_modal_projector", "model.language_model + lm_head"));

        final String type;
        final String modelClass;
        final String visionType;
        final Map<String, Object> visionDefaults;
        final String textType;
        final Map<String, Object> textDefaults;
        final boolean tieDefault;
        final TieRule tieRule;
        final Layout layout;

        Style(
                String type,
                String modelClass,
                String visionType,
                Map<String, Object> visionDefaults,
                String textType,
                Map<String, Object> textDefaults,
                boolean tieDefault,
                TieRule tieRule,
                Layout layout) {
            this.type = type;
            this.modelClass = modelClass;
            this.visionType = visionType;
            this.visionDefaults = visionDefaults;
            this.textType = textType;
            this.textDefaults = textDefaults;
            this.tieDefault = tieDefault;
            this.tieRule = tieRule;
            this.layout = layout;
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

    static HfArchitecture gemma3(HfConfig c) {
        return count(c, Style.GEMMA3);
    }

    static HfArchitecture mistral3(HfConfig c) {
        return count(c, Style.MISTRAL3);
    }

    static HfArchitecture llama4(HfConfig c) {
        return count(c, Style.LLAMA4);
    }

    static HfArchitecture qwen2Vl(HfConfig c) {
        return count(c, Style.QWEN2_VL);
    }

    static HfArchitecture qwen25Vl(HfConfig c) {
        return count(c, Style.QWEN2_5_VL);
    }

    static HfArchitecture qwen3Vl(HfConfig c) {
        return count(c, Style.QWEN3_VL);
    }

    static HfArchitecture qwen3VlMoe(HfConfig c) {
        return count(c, Style.QWEN3_VL_MOE);
    }

    static HfArchitecture internvl(HfConfig c) {
        return count(c, Style.INTERNVL);
    }

    static HfArchitecture idefics3(HfConfig c) {
        return count(c, Style.IDEFICS3);
    }

    static HfArchitecture mllama(HfConfig c) {
        return count(c, Style.MLLAMA);
    }

    /** Keys of a flat (pre-v5) Qwen-VL config that belong to the composite, not to its text model. */
    private static final Set<String> COMPOSITE_KEYS = Set.of(
            "vision_config",
            "model_type",
            "architectures",
            "image_token_id",
            "video_token_id",
            "vision_start_token_id",
            "vision_end_token_id",
            "text_config");

    private static HfArchitecture count(HfConfig c, Style style) {
        JsonObject visionJson = subConfig(c, "vision_config", style.visionType, style.visionDefaults);
        Map<String, JsonValue> text = new LinkedHashMap<>(textConfig(c, style).members());
        text.remove("architectures");
        if (!(text.get("model_type") instanceof JsonValue.JsonString)) {
            text.put("model_type", new JsonValue.JsonString(style.textType));
        }
        HfConfig textConfig = new HfConfig(new JsonObject(text), c.modelType() + ".text_config");
        boolean tie = tie(c, style, textConfig);
        ModuleTally t = new ModuleTally();
        Optional<VisionTowers.Tower> tower =
                VisionTowers.count(new HfConfig(visionJson, c.modelType() + ".vision_config"), t);
        Optional<HfArchitecture> lm = tower.isEmpty() ? Optional.empty() : languageModel(textConfig, style, tie);
        if (tower.isEmpty() || lm.isEmpty()) {
            return GenericTransformer.count(c); // a tower or language model heft has no exact model of
        }
        long th = lm.get().shape().hiddenSize();
        long before = t.parameters();
        projector(t, c, style, new HfConfig(visionJson, c.modelType() + ".vision_config"), tower.get(), th);
        long projector = t.parameters() - before;
        long newline = 0;
        if (style == Style.LLAVA_NEXT) {
            t.parameter(LayerKind.EMBEDDING, "LlavaNextModel", th); // image_newline
            newline = th;
        }
        long lmBefore = t.parameters();
        t.merge(lm.get().counts(), lm.get().shape().matmulParametersPerToken());
        if (style == Style.MLLAMA) {
            mllamaTextExtras(t, textConfig, lm.get());
        }
        long language = t.parameters() - lmBefore;
        Layout l = style.layout;
        List<HfArchitecture.Part> parts = new ArrayList<>();
        parts.add(new HfArchitecture.Part(l.tower(), "vision tower", tower.get().parameters()));
        if (l.projector() != null) {
            parts.add(new HfArchitecture.Part(l.projector(), "projector", projector));
        }
        if (newline > 0) {
            parts.add(new HfArchitecture.Part("model.image_newline", "image newline", newline));
        }
        parts.add(new HfArchitecture.Part(
                l.language(), "language model (" + lm.get().modelClass() + ")", language));
        return new HfArchitecture(
                style.type,
                style.modelClass,
                t.build(),
                lm.get().shape(),
                lm.get().checkpointOnlyParameters(),
                CountAccuracy.Exact.INSTANCE,
                parts);
    }

    /** The text sub-config; a flat pre-v5 Qwen-VL config keeps its text keys at top level. */
    private static JsonObject textConfig(HfConfig c, Style style) {
        boolean flat = (style == Style.QWEN2_VL || style == Style.QWEN2_5_VL)
                && c.object("text_config").isEmpty()
                && c.mentions("hidden_size");
        if (!flat) {
            return subConfig(c, "text_config", style.textType, style.textDefaults);
        }
        Map<String, JsonValue> m = new LinkedHashMap<>();
        c.json().members().forEach((k, v) -> {
            if (!COMPOSITE_KEYS.contains(k)) {
                m.put(k, v);
            }
        });
        m.put("model_type", new JsonValue.JsonString(style.textType));
        return new JsonObject(m);
    }

    private static boolean tie(HfConfig c, Style style, HfConfig text) {
        return switch (style.tieRule) {
            case COMPOSITE -> c.flag(style.tieDefault, "tie_word_embeddings");
            case COMPOSITE_OR_TEXT ->
                c.flag(style.tieDefault, "tie_word_embeddings") || text.flag(false, "tie_word_embeddings");
            case TEXT -> text.flag(false, "tie_word_embeddings");
            case NEVER -> false;
        };
    }

    /** The language model with its lm_head, counted by its own family, or empty when heft does not model it. */
    private static Optional<HfArchitecture> languageModel(HfConfig text, Style style, boolean tie) {
        if (style == Style.MLLAMA) {
            DecoderSpec s = mllamaText(text);
            return Optional.of(LlamaStyleDecoder.count("mllama_text_model", s));
        }
        Optional<HfModelType> type = HfModelType.of(text.text("", "model_type"));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        HfConfig typed = new HfConfig(text.json(), type.get().id());
        Optional<HfModelType.Spec> spec = type.get().decoderSpec();
        if (spec.isPresent()) {
            DecoderSpec s = spec.get().apply(typed);
            s.tieWordEmbeddings = tie;
            s.baseModel = false;
            return Optional.of(LlamaStyleDecoder.count(type.get().id(), s));
        }
        Map<String, JsonValue> m = new LinkedHashMap<>(text.json().members());
        m.put("tie_word_embeddings", new JsonValue.JsonBoolean(tie));
        return Optional.of(
                type.get().count(new HfConfig(new JsonObject(m), type.get().id())));
    }

    /** The modules between the tower and the language model, by family. */
    private static void projector(
            ModuleTally t, HfConfig c, Style style, HfConfig vision, VisionTowers.Tower tower, long th) {
        long vh = tower.hidden();
        LayerKind p = LayerKind.MLP;
        switch (style) {
            case LLAVA, LLAVA_NEXT -> {
                boolean bias = c.flag(true, "multimodal_projector_bias");
                t.linear(p, 1, mul(vh, featureLayers(c)), th, bias).linear(p, 1, th, th, bias);
            }
            case PALIGEMMA -> t.linear(p, 1, vh, c.size(2048, "projection_dim"), true);
            case GEMMA3 -> {
                t.parameter(p, "Gemma3MultiModalProjector", mul(vh, th)); // mm_input_projection_weight
                t.norm("Gemma3RMSNorm", 1, vh, false); // mm_soft_emb_norm
            }
            case MISTRAL3 -> {
                boolean bias = c.flag(false, "multimodal_projector_bias");
                long merge = c.size(2, "spatial_merge_size");
                t.norm("Mistral3RMSNorm", 1, vh, false);
                t.linear(p, 1, mul(vh, mul(merge, merge)), vh, false); // patch_merger.merging_layer
                t.linear(p, 1, mul(vh, featureLayers(c)), th, bias).linear(p, 1, th, th, bias);
            }
            case LLAMA4 -> t.linear(p, 1, tower.output(), th, false);
            case INTERNVL -> {
                long shuffled = mul(vh, square(pixelShuffle(c)));
                t.norm(ModuleTally.LAYER_NORM, 1, shuffled, true);
                t.linear(p, 1, shuffled, th, true).linear(p, 1, th, th, true);
            }
            case IDEFICS3 -> t.linear(p, 1, mul(vh, square(c.size(2, "scale_factor"))), th, false);
            case MLLAMA -> t.linear(p, 1, tower.output(), th, true);
            case QWEN2_VL, QWEN2_5_VL, QWEN3_VL, QWEN3_VL_MOE -> {
                // the merger is part of model.visual
            }
        }
    }

    /** InternVL's pixel shuffle factor: int(1 / downsample_ratio). */
    private static long pixelShuffle(HfConfig c) {
        double ratio = c.number(0.5, "downsample_ratio");
        if (!(ratio > 0 && ratio <= 1)) {
            throw c.invalid("downsample_ratio", "must be in (0, 1], found " + ratio);
        }
        return (long) (1 / ratio);
    }

    private static long featureLayers(HfConfig c) {
        return c.json().members().get("vision_feature_layer") instanceof JsonValue.JsonArray a ? a.size() : 1;
    }

    private static long square(long v) {
        return mul(v, v);
    }

    // configuration_mllama.py MllamaTextConfig; modeling_mllama.py MllamaTextModel and MllamaForConditionalGeneration:
    // Llama's decoder (self-attention layers) under Mllama names, lm_head of vocab_size
    private static DecoderSpec mllamaText(HfConfig c) {
        DecoderSpec s = DecoderFamilies.base(c, "MllamaText", 128256, 4096, 14336, 40, 32, 8L, 131072, false);
        s.modelClass = "MllamaForCausalLM";
        s.tieWordEmbeddings = false;
        return s;
    }

    /**
     * What MllamaTextModel adds to Llama's modules: 8 extra rows of embed_tokens (vocab_size + 8) and, in every
     * cross-attention layer (cross_attention_layers below num_hidden_layers), q/k RMSNorms over head_dim and the
     * cross_attn_attn_gate and cross_attn_mlp_gate parameters.
     */
    private static void mllamaTextExtras(ModuleTally t, HfConfig c, HfArchitecture lm) {
        long h = lm.shape().hiddenSize();
        long layers = lm.shape().layers();
        List<Long> cross = c.json().members().get("cross_attention_layers") instanceof JsonValue.JsonArray
                ? c.sizes("cross_attention_layers")
                : List.of(3L, 8L, 13L, 18L, 23L, 28L, 33L, 38L);
        long crossLayers = cross.stream().distinct().filter(i -> i < layers).count();
        t.embedding(ModuleTally.EMBEDDING, 1, 8, h);
        t.norm("MllamaTextRMSNorm", mul(crossLayers, 2), lm.shape().headDimK(), false);
        t.parameter(LayerKind.OTHER, "MllamaCrossAttentionDecoderLayer", mul(crossLayers, 2));
    }

    /** The sub-config as written, or the composite's own default when absent (its __post_init__ builds that). */
    private static JsonObject subConfig(HfConfig c, String key, String defaultType, Map<String, Object> defaults) {
        Optional<JsonObject> given = c.object(key);
        Map<String, JsonValue> m = new LinkedHashMap<>();
        if (given.isEmpty()) {
            defaults.forEach((k, v) -> m.put(
                    k,
                    switch (v) {
                        case Boolean b -> new JsonValue.JsonBoolean(b);
                        case Long l -> JsonValue.JsonNumber.of(l);
                        case Double d -> JsonValue.JsonNumber.of(d);
                        default -> throw new IllegalStateException("default of unexpected type: " + v);
                    }));
        } else {
            m.putAll(given.get().members());
        }
        if (!(m.get("model_type") instanceof JsonValue.JsonString)) {
            m.put("model_type", new JsonValue.JsonString(defaultType));
        }
        return new JsonObject(m);
    }
}
