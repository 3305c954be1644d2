package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import java.util.Optional;

/**
 * The ViT encoders vision-language models put in front of their language model, as transformers 5.18 builds them
 * inside a composite: CLIP's (modeling_clip.py CLIPVisionTransformer) and SigLIP's (modeling_siglip.py
 * SiglipVisionTransformer). Each adds its modules to a tally and says how wide its output is.
 */
final class VisionTowers {
    private VisionTowers() {
    }

    /** @param hidden width of the tower's output, which the projector reads */
    record Tower(long hidden, long parameters) {
    }

    /** The tower a vision sub-config names, when heft models it. */
    static Optional<Tower> count(HfConfig v, ModuleTally t) {
        String type = v.text("", "model_type");
        long before = t.parameters();
        long hidden;
        switch (type) {
            case "clip_vision_model" -> hidden = clip(v, t);
            case "siglip_vision_model" -> hidden = siglip(v, t);
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(new Tower(hidden, t.parameters() - before));
    }

    // configuration_clip.py CLIPVisionConfig; modeling_clip.py: class_embedding (owned by CLIPVisionEmbeddings), a
    // bias-free patch Conv2d, position_embedding (patches + 1), pre_layrnorm, layers, post_layernorm
    private static long clip(HfConfig v, ModuleTally t) {
        long h = v.size(768, "hidden_size");
        long inter = v.size(3072, "intermediate_size");
        long layers = v.layers(12, "num_hidden_layers");
        long channels = v.size(3, "num_channels");
        long image = v.size(224, "image_size");
        long patch = v.size(32, "patch_size");
        DecoderFamilies.requirePositive(v, "patch_size", patch);
        long positions = mul(image / patch, image / patch) + 1;
        t.parameter(LayerKind.EMBEDDING, "CLIPVisionEmbeddings", h);
        long conv = mul(h, mul(channels, mul(patch, patch)));
        t.conv("Conv2d", 1, conv, 0, 0);
        t.embedding(ModuleTally.EMBEDDING, 1, positions, h);
        t.buffer(positions); // position_ids (1, num_positions)
        t.norm(LAYER_NORM, 2, h, true); // pre_layrnorm, post_layernorm
        encoderLayers(t, layers, h, inter);
        return h;
    }

    // configuration_siglip.py SiglipVisionConfig; modeling_siglip.py: biased patch Conv2d, position_embedding (patches),
    // layers, post_layernorm, and with vision_use_head a pooling head (probe, nn.MultiheadAttention, LayerNorm, MLP)
    private static long siglip(HfConfig v, ModuleTally t) {
        long h = v.size(768, "hidden_size");
        long inter = v.size(3072, "intermediate_size");
        long layers = v.layers(12, "num_hidden_layers");
        long channels = v.size(3, "num_channels");
        long image = v.size(224, "image_size");
        long patch = v.size(16, "patch_size");
        DecoderFamilies.requirePositive(v, "patch_size", patch);
        long positions = mul(image / patch, image / patch);
        long conv = mul(h, mul(channels, mul(patch, patch)));
        t.conv("Conv2d", 1, conv, h, 0);
        t.embedding(ModuleTally.EMBEDDING, 1, positions, h);
        t.buffer(positions); // position_ids (1, num_patches)
        encoderLayers(t, layers, h, inter);
        t.norm(LAYER_NORM, 1, h, true); // post_layernorm
        if (v.flag(true, "vision_use_head")) {
            t.parameter(LayerKind.ATTENTION, "SiglipMultiheadAttentionPoolingHead", h); // probe (1, 1, H)
            // nn.MultiheadAttention owns in_proj_weight (3H, H) and in_proj_bias; out_proj is its own Linear subclass
            t.parameter(LayerKind.ATTENTION, "MultiheadAttention", mul(3 * h, h) + 3 * h);
            t.linear(LayerKind.ATTENTION, "NonDynamicallyQuantizableLinear", 1, h, h, true);
            t.norm(LAYER_NORM, 1, h, true);
            t.linear(LayerKind.MLP, 1, h, inter, true).linear(LayerKind.MLP, 1, inter, h, true);
        }
        return h;
    }

    /** CLIP/SigLIP encoder layers: q/k/v/out_proj and fc1/fc2 with biases, layer_norm1/layer_norm2. */
    private static void encoderLayers(ModuleTally t, long layers, long h, long inter) {
        t.linear(LayerKind.ATTENTION, mul(layers, 4), h, h, true);
        t.norm(LAYER_NORM, mul(layers, 2), h, true);
        t.linear(LayerKind.MLP, layers, h, inter, true).linear(LayerKind.MLP, layers, inter, h, true);
    }
}
