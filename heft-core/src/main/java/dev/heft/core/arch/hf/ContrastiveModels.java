package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Image-text contrastive models and their halves as transformers 5.18 builds them: CLIP (modeling_clip.py CLIPModel:
 * text_model, vision_model, visual_projection, text_projection, logit_scale), SigLIP and SigLIP 2
 * (modeling_siglip.py / modeling_siglip2.py SiglipModel: text_model with its head, vision_model, logit_scale and
 * logit_bias), and the stand-alone vision towers and text encoders ({@code clip_vision_model}, {@code pixtral}...).
 * Parts are reported under transformers' module names.
 */
final class ContrastiveModels {
    private ContrastiveModels() {}

    /** One family's text encoder defaults (configuration_clip.py CLIPTextConfig, SiglipTextConfig...). */
    private enum Text {
        CLIP("CLIP", 49408, 512, 2048, 12, 77),
        SIGLIP("Siglip", 32000, 768, 3072, 12, 64),
        SIGLIP2("Siglip2", 32000, 768, 3072, 12, 64);

        final String prefix;
        final long vocab;
        final long hidden;
        final long inter;
        final long layers;
        final long positions;

        Text(String prefix, long vocab, long hidden, long inter, long layers, long positions) {
            this.prefix = prefix;
            this.vocab = vocab;
            this.hidden = hidden;
            this.inter = inter;
            this.layers = layers;
            this.positions = positions;
        }
    }

    static HfArchitecture clip(HfConfig c) {
        return pair(c, Text.CLIP, "clip_vision_model", "clip");
    }

    static HfArchitecture siglip(HfConfig c) {
        return pair(c, Text.SIGLIP, "siglip_vision_model", "siglip");
    }

    static HfArchitecture siglip2(HfConfig c) {
        return pair(c, Text.SIGLIP2, "siglip2_vision_model", "siglip2");
    }

    static HfArchitecture clipText(HfConfig c) {
        return textAlone(c, Text.CLIP, "clip_text_model");
    }

    static HfArchitecture siglipText(HfConfig c) {
        return textAlone(c, Text.SIGLIP, "siglip_text_model");
    }

    static HfArchitecture siglip2Text(HfConfig c) {
        return textAlone(c, Text.SIGLIP2, "siglip2_text_model");
    }

    static HfArchitecture clipVision(HfConfig c) {
        return visionAlone(c, "clip_vision_model");
    }

    static HfArchitecture siglipVision(HfConfig c) {
        return visionAlone(c, "siglip_vision_model");
    }

    static HfArchitecture siglip2Vision(HfConfig c) {
        return visionAlone(c, "siglip2_vision_model");
    }

    static HfArchitecture pixtral(HfConfig c) {
        return visionAlone(c, "pixtral");
    }

    /** A vision tower on its own ({@code clip_vision_model}, {@code siglip_vision_model}, {@code pixtral}...). */
    private static HfArchitecture visionAlone(HfConfig c, String type) {
        ModuleTally t = new ModuleTally();
        VisionTowers.Tower tower = VisionTowers.count(c, type, t).orElseThrow();
        long layers = c.layers(0, "num_hidden_layers", "depth");
        return new HfArchitecture(
                type,
                tower.modelClass(),
                t.build(),
                Encoders.encoderShape(
                        layers,
                        tower.hidden(),
                        c.size(0, "num_attention_heads", "num_heads"),
                        0,
                        c.size(0, "intermediate_size"),
                        0,
                        t.matmulPerToken()),
                0);
    }

    private static HfArchitecture textAlone(HfConfig c, Text text, String type) {
        ModuleTally t = new ModuleTally();
        long h = textEncoder(t, c, text);
        return new HfArchitecture(type, text.prefix + "TextModel", t.build(), textShape(c, text, h, t), 0);
    }

    private static HfArchitecture pair(HfConfig c, Text text, String visionType, String type) {
        HfConfig tc = sub(c, "text_config", type);
        HfConfig vc = sub(c, "vision_config", type);
        ModuleTally t = new ModuleTally();
        long th = textEncoder(t, tc, text);
        long textParams = t.parameters();
        VisionTowers.Tower tower = VisionTowers.count(vc, visionType, t).orElseThrow();
        long before = t.parameters();
        String modelClass = text.prefix + "Model";
        if (text == Text.CLIP) {
            long projection = c.size(512, "projection_dim");
            t.linear(LayerKind.HEAD, 1, tower.hidden(), projection, false); // visual_projection
            t.linear(LayerKind.HEAD, 1, th, projection, false); // text_projection
            t.parameter(LayerKind.OTHER, modelClass, 1); // logit_scale (a 0-d tensor)
        } else {
            t.parameter(LayerKind.OTHER, modelClass, 2); // logit_scale (1), logit_bias (1)
        }
        List<HfArchitecture.Part> parts = new java.util.ArrayList<>(List.of(
                new HfArchitecture.Part("text_model", "text encoder", textParams),
                new HfArchitecture.Part("vision_model", "vision tower", tower.parameters())));
        if (text == Text.CLIP) {
            parts.add(new HfArchitecture.Part(
                    "visual_projection + text_projection + logit_scale", "projections", t.parameters() - before));
        } else {
            parts.add(new HfArchitecture.Part("logit_scale + logit_bias", "scale and bias", t.parameters() - before));
        }
        return new HfArchitecture(
                type, modelClass, t.build(), textShape(tc, text, th, t), 0, CountAccuracy.Exact.INSTANCE, parts);
    }

    /**
     * The text transformer: token and position embeddings (with the position_ids buffer), encoder layers with biased
     * q/k/v/out_proj and fc1/fc2, two LayerNorms each, final_layer_norm, and SigLIP's pooled head
     * (hidden -> projection_size, hidden when unset).
     */
    private static long textEncoder(ModuleTally t, HfConfig c, Text text) {
        long v = c.size(text.vocab, "vocab_size");
        long h = c.size(text.hidden, "hidden_size");
        long inter = c.size(text.inter, "intermediate_size");
        long layers = c.layers(text.layers, "num_hidden_layers");
        long positions = c.size(text.positions, "max_position_embeddings");
        t.embedding(ModuleTally.EMBEDDING, 1, v, h).embedding(ModuleTally.EMBEDDING, 1, positions, h);
        t.buffer(positions); // embeddings.position_ids (1, max_position_embeddings)
        t.linear(LayerKind.ATTENTION, mul(layers, 4), h, h, true);
        t.norm(LAYER_NORM, mul(layers, 2), h, true);
        t.linear(LayerKind.MLP, layers, h, inter, true).linear(LayerKind.MLP, layers, inter, h, true);
        t.norm(LAYER_NORM, 1, h, true); // final_layer_norm
        if (text != Text.CLIP) {
            t.linear(LayerKind.HEAD, 1, h, c.size(h, "projection_size"), true);
        }
        return h;
    }

    private static TransformerShape textShape(HfConfig c, Text text, long h, ModuleTally t) {
        long heads = c.size(text == Text.CLIP ? 8 : 12, "num_attention_heads");
        return Encoders.encoderShape(
                c.layers(text.layers, "num_hidden_layers"),
                h,
                heads,
                c.size(text.vocab, "vocab_size"),
                c.size(text.inter, "intermediate_size"),
                c.size(text.positions, "max_position_embeddings"),
                t.matmulPerToken());
    }

    /** A sub-config as written, or an empty one (the sub-config class defaults) when absent. */
    private static HfConfig sub(HfConfig c, String key, String type) {
        JsonObject o = c.object(key).orElse(new JsonObject(Map.<String, JsonValue>of()));
        return new HfConfig(o, type + "." + key);
    }
}
