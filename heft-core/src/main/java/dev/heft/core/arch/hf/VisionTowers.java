package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.LAYER_NORM;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.json.JsonValue;
import java.util.Optional;

/**
 * The vision encoders transformers 5.18 builds, inside a composite or on their own, each by the {@code model_type} of
 * its config: CLIP's and SigLIP's ViTs, SigLIP 2's NaFlex ViT, Pixtral, Llama 4's and Mllama's tiled encoders,
 * InternViT, Idefics3's SigLIP, and the Qwen2-VL, Qwen2.5-VL and Qwen3-VL towers with their patch mergers. Each adds
 * its modules (parameters and buffers) to a tally and says how wide its output is.
 */
final class VisionTowers {
    private VisionTowers() {}

    private static final LayerKind ATT = LayerKind.ATTENTION;
    private static final LayerKind MLP = LayerKind.MLP;

    /**
     * @param hidden     width of the tower's transformer
     * @param output     width of what the tower hands on (Qwen-VL's merger output, Llama 4's adapter output...)
     * @param parameters parameters the tower added
     * @param modelClass the class transformers builds for this config on its own
     */
    record Tower(long hidden, long output, long parameters, String modelClass) {}

    /** The tower a vision sub-config names, when heft models it. */
    static Optional<Tower> count(HfConfig v, ModuleTally t) {
        return count(v, v.text("", "model_type"), t);
    }

    static Optional<Tower> count(HfConfig v, String type, ModuleTally t) {
        long before = t.parameters();
        Tower partial = switch (type) {
            case "clip_vision_model" -> clip(v, t);
            case "siglip_vision_model" -> siglip(v, t, "Siglip", true);
            case "siglip2_vision_model" -> siglip2(v, t);
            case "idefics3_vision" -> idefics3(v, t);
            case "pixtral" -> pixtral(v, t);
            case "llama4_vision_model" -> llama4(v, t);
            case "mllama_vision_model" -> mllama(v, t);
            case "internvl_vision" -> internvl(v, t);
            case "qwen2_vl", "qwen2_vl_vision" -> qwen2Vl(v, t);
            case "qwen2_5_vl", "qwen2_5_vl_vision" -> qwen25Vl(v, t);
            case "qwen3_vl_vision" -> qwen3Vl(v, t, "Qwen3VLVision");
            case "qwen3_vl_moe_vision" -> qwen3Vl(v, t, "Qwen3VLMoeVision");
            default -> null;
        };
        return Optional.ofNullable(partial)
                .map(p -> new Tower(p.hidden, p.output, t.parameters() - before, p.modelClass));
    }

    private static Tower tower(long hidden, String modelClass) {
        return new Tower(hidden, hidden, 0, modelClass);
    }

    /** An int or the first of a list ({@code image_size: [448, 448]}); the class default when absent. */
    static long side(HfConfig v, long fallback, String key) {
        JsonValue raw = v.json().members().get(key);
        if (raw instanceof JsonValue.JsonArray a && a.size() > 0) {
            if (!(a.get(0) instanceof JsonValue.JsonNumber n)
                    || !n.isIntegral()
                    || n.value().signum() <= 0
                    || n.value().compareTo(java.math.BigDecimal.valueOf(1L << 20)) > 0) {
                throw v.invalid(key, "must be a positive integer or a list of them");
            }
            return n.value().longValue();
        }
        long s = v.size(fallback, key);
        DecoderFamilies.requirePositive(v, key, s);
        return s;
    }

    // configuration_clip.py CLIPVisionConfig; modeling_clip.py: class_embedding (owned by CLIPVisionEmbeddings), a
    // bias-free patch Conv2d, position_embedding (patches + 1), pre_layrnorm, layers, post_layernorm
    private static Tower clip(HfConfig v, ModuleTally t) {
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
        return tower(h, "CLIPVisionModel");
    }

    // configuration_siglip.py SiglipVisionConfig; modeling_siglip.py: biased patch Conv2d, position_embedding
    // (patches),
    // layers, post_layernorm, and with vision_use_head a pooling head (probe, nn.MultiheadAttention, LayerNorm, MLP)
    private static Tower siglip(HfConfig v, ModuleTally t, String prefix, boolean positionIds) {
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
        if (positionIds) {
            t.buffer(positions); // position_ids (1, num_patches)
        }
        encoderLayers(t, layers, h, inter);
        t.norm(LAYER_NORM, 1, h, true); // post_layernorm
        if (v.flag(true, "vision_use_head")) {
            poolingHead(t, prefix, h, inter);
        }
        return tower(h, prefix + "VisionModel");
    }

    /** SigLIP's MAP head: probe (1, 1, H), nn.MultiheadAttention (in_proj and its out_proj), LayerNorm, MLP. */
    private static void poolingHead(ModuleTally t, String prefix, long h, long inter) {
        t.parameter(ATT, prefix + "MultiheadAttentionPoolingHead", h); // probe (1, 1, H)
        // nn.MultiheadAttention owns in_proj_weight (3H, H) and in_proj_bias; out_proj is its own Linear subclass
        t.parameter(ATT, "MultiheadAttention", mul(3 * h, h) + 3 * h);
        t.linear(ATT, "NonDynamicallyQuantizableLinear", 1, h, h, true);
        t.norm(LAYER_NORM, 1, h, true);
        t.linear(MLP, 1, h, inter, true).linear(MLP, 1, inter, h, true);
    }

    // configuration_siglip2.py Siglip2VisionConfig; modeling_siglip2.py: NaFlex patches through a biased Linear
    // (channels x patch x patch -> H), a position_embedding of num_patches rows, SigLIP's layers, head and norm
    private static Tower siglip2(HfConfig v, ModuleTally t) {
        long h = v.size(768, "hidden_size");
        long inter = v.size(3072, "intermediate_size");
        long layers = v.layers(12, "num_hidden_layers");
        long channels = v.size(3, "num_channels");
        long patch = v.size(16, "patch_size");
        t.linear(LayerKind.EMBEDDING, 1, mul(channels, mul(patch, patch)), h, true);
        t.embedding(ModuleTally.EMBEDDING, 1, v.size(256, "num_patches"), h);
        encoderLayers(t, layers, h, inter);
        t.norm(LAYER_NORM, 1, h, true);
        if (v.flag(true, "vision_use_head")) {
            poolingHead(t, "Siglip2", h, inter);
        }
        return tower(h, "Siglip2VisionModel");
    }

    // configuration_idefics3.py Idefics3VisionConfig; modeling_idefics3.py Idefics3VisionTransformer: SigLIP's
    // embeddings (no position_ids buffer), layers and post_layernorm, no pooling head
    private static Tower idefics3(HfConfig v, ModuleTally t) {
        long h = v.size(1152, "hidden_size");
        long inter = v.size(3072, "intermediate_size");
        long layers = v.layers(12, "num_hidden_layers");
        long channels = v.size(3, "num_channels");
        long image = v.size(224, "image_size");
        long patch = v.size(32, "patch_size");
        DecoderFamilies.requirePositive(v, "patch_size", patch);
        t.conv("Conv2d", 1, mul(h, mul(channels, mul(patch, patch))), h, 0);
        t.embedding(ModuleTally.EMBEDDING, 1, mul(image / patch, image / patch), h);
        encoderLayers(t, layers, h, inter);
        t.norm(LAYER_NORM, 1, h, true);
        return tower(h, "Idefics3VisionTransformer");
    }

    /** CLIP/SigLIP encoder layers: q/k/v/out_proj and fc1/fc2 with biases, layer_norm1/layer_norm2. */
    private static void encoderLayers(ModuleTally t, long layers, long h, long inter) {
        t.linear(ATT, mul(layers, 4), h, h, true);
        t.norm(LAYER_NORM, mul(layers, 2), h, true);
        t.linear(MLP, layers, h, inter, true).linear(MLP, layers, inter, h, true);
    }

    // configuration_pixtral.py PixtralVisionConfig (head_dim is always hidden / heads); modeling_pixtral.py: bias-free
    // patch_conv, ln_pre, layers of RMSNorms, bias-free q/k/v/o and a gated MLP, axial rotary inv_freq of head_dim
    private static Tower pixtral(HfConfig v, ModuleTally t) {
        long h = v.size(1024, "hidden_size");
        long inter = v.size(4096, "intermediate_size");
        long layers = v.layers(24, "num_hidden_layers");
        long heads = v.size(16, "num_attention_heads");
        DecoderFamilies.requirePositive(v, "num_attention_heads", heads);
        long channels = v.size(3, "num_channels");
        long patch = side(v, 16, "patch_size");
        t.conv("Conv2d", 1, mul(h, mul(channels, mul(patch, patch))), 0, 0);
        t.norm("PixtralRMSNorm", 1, h, false); // ln_pre
        t.norm("PixtralRMSNorm", mul(layers, 2), h, false); // attention_norm, ffn_norm
        t.linear(ATT, mul(layers, 4), h, h, false);
        t.linear(MLP, mul(layers, 2), h, inter, false).linear(MLP, layers, inter, h, false);
        t.buffer(ModuleTally.rotaryBuffers(h / heads));
        return tower(h, "PixtralVisionModel");
    }

    // configuration_llama4.py Llama4VisionConfig; modeling_llama4.py Llama4VisionModel: an unfold + bias-free Linear
    // patch embedding, class_embedding and positional_embedding_vlm (patches + 1) owned by the model, biased
    // LayerNorms and layers, a complex freqs_ci rotary table, and the pixel-shuffle adapter (fc1 intermediate_size ->
    // projector_input_dim, fc2 projector_output_dim -> projector_output_dim, no biases)
    private static Tower llama4(HfConfig v, ModuleTally t) {
        long h = v.size(768, "hidden_size");
        long inter = v.size(5632, "intermediate_size");
        long layers = v.layers(34, "num_hidden_layers");
        long heads = v.size(16, "num_attention_heads");
        DecoderFamilies.requirePositive(v, "num_attention_heads", heads);
        long channels = v.size(3, "num_channels");
        long image = side(v, 448, "image_size");
        long patch = side(v, 14, "patch_size");
        long side = image / patch;
        long positions = mul(side, side) + 1;
        t.linear(LayerKind.EMBEDDING, 1, mul(channels, mul(patch, patch)), h, false); // patch_embedding.linear
        t.parameter(LayerKind.EMBEDDING, "Llama4VisionModel", mul(positions + 1, h)); // class + positional embedding
        t.norm(LAYER_NORM, 2, h, true); // layernorm_pre, layernorm_post
        t.linear(ATT, mul(layers, 4), h, h, true);
        t.linear(MLP, layers, h, inter, true).linear(MLP, layers, inter, h, true);
        t.norm(LAYER_NORM, mul(layers, 2), h, true);
        long projIn = v.size(4096, "projector_input_dim");
        long projOut = v.size(4096, "projector_output_dim");
        t.linear(MLP, 1, inter, projIn, false).linear(MLP, 1, projOut, projOut, false); // vision_adapter.mlp
        // Llama4VisionRotaryEmbedding.freqs_ci: (patches + 1, 1, 2 x (freq_dim / 2)) complex, freq_dim = head / 2
        long freqDim = h / heads / 2;
        t.buffer(mul(positions, 2 * (freqDim / 2)));
        return new Tower(h, v.size(7680, "vision_output_dim"), 0, "Llama4VisionModel");
    }

    // configuration_mllama.py MllamaVisionConfig; modeling_mllama.py MllamaVisionModel: bias-free patch Conv2d, a class
    // embedding, gated position and tile embeddings over max_num_tiles x (patches + 1), pre/post tile aspect-ratio
    // embeddings, a local encoder and a gated global encoder (bias-free attention, biased MLP and LayerNorms)
    private static Tower mllama(HfConfig v, ModuleTally t) {
        long h = v.size(1280, "hidden_size");
        long inter = v.size(5120, "intermediate_size");
        long layers = v.layers(32, "num_hidden_layers");
        long global = v.layers(8, "num_global_layers");
        long channels = v.size(3, "num_channels");
        long image = v.size(448, "image_size");
        long patch = v.size(14, "patch_size");
        DecoderFamilies.requirePositive(v, "patch_size", patch);
        long tiles = v.size(4, "max_num_tiles");
        // max_aspect_ratio_id is len(supported_aspect_ratios); the default lists 8 ratios
        long ratios = v.json().members().get("supported_aspect_ratios") instanceof JsonValue.JsonArray a ? a.size() : 8;
        long patches = mul(image / patch, image / patch) + 1;
        t.conv("Conv2d", 1, mul(h, mul(channels, mul(patch, patch))), 0, 0);
        t.parameter(LayerKind.EMBEDDING, "MllamaVisionModel", h); // class_embedding
        t.parameter(LayerKind.EMBEDDING, "MllamaPrecomputedPositionEmbedding", 1 + mul(patches, h)); // gate, embedding
        t.embedding(ModuleTally.EMBEDDING, 1, ratios + 1, mul(tiles, mul(patches, h))); // tile_embedding
        t.embedding(ModuleTally.EMBEDDING, 2, ratios + 1, mul(tiles, h)); // pre/post tile positional embeddings
        t.parameter(LayerKind.EMBEDDING, "MllamaPrecomputedAspectRatioEmbedding", 2); // their gates
        t.norm(LAYER_NORM, 2, h, true); // layernorm_pre, layernorm_post
        long all = layers + global;
        t.linear(ATT, mul(all, 4), h, h, false);
        t.linear(MLP, all, h, inter, true).linear(MLP, all, inter, h, true);
        t.norm(LAYER_NORM, mul(all, 2), h, true);
        t.parameter(LayerKind.OTHER, "MllamaVisionEncoderLayer", mul(global, 2)); // gate_attn, gate_ffn
        return new Tower(h, v.size(7680, "vision_output_dim"), 0, "MllamaVisionModel");
    }

    // configuration_internvl.py InternVLVisionConfig; modeling_internvl.py InternVLVisionModel: cls_token (and
    // mask_token, position_embeddings when enabled) owned by the embeddings, a biased patch Conv2d, layers with
    // q/k/v (attention_bias), a biased projection_layer, optional RMSNorm q/k norms over the width, a biased MLP, two
    // norms (norm_type) and the layer scales lambda_1/lambda_2; a final LayerNorm unless use_mean_pooling
    private static Tower internvl(HfConfig v, ModuleTally t) {
        long h = v.size(1024, "hidden_size");
        long inter = v.size(4096, "intermediate_size");
        long layers = v.layers(24, "num_hidden_layers");
        long channels = v.size(3, "num_channels");
        long image = side(v, 448, "image_size");
        long patch = side(v, 14, "patch_size");
        long patches = mul(image / patch, image / patch);
        long embeddings = h; // cls_token
        if (v.flag(false, "use_mask_token")) {
            embeddings += h;
        }
        if (v.flag(true, "use_absolute_position_embeddings")) {
            embeddings = Math.addExact(embeddings, mul(patches + 1, h));
        }
        t.parameter(LayerKind.EMBEDDING, "InternVLVisionEmbeddings", embeddings);
        t.conv("Conv2d", 1, mul(h, mul(channels, mul(patch, patch))), h, 0);
        boolean bias = v.flag(false, "attention_bias");
        t.linear(ATT, mul(layers, 3), h, h, bias).linear(ATT, layers, h, h, true);
        if (v.flag(false, "use_qk_norm")) {
            t.norm("InternVLVisionRMSNorm", mul(layers, 2), h, false);
        }
        t.linear(MLP, layers, h, inter, true).linear(MLP, layers, inter, h, true);
        boolean rms = "rms_norm".equals(v.text("layer_norm", "norm_type"));
        t.norm(rms ? "InternVLVisionRMSNorm" : LAYER_NORM, mul(layers, 2), h, !rms);
        t.parameter(LayerKind.OTHER, "InternVLVisionLayer", mul(layers, 2 * h)); // lambda_1, lambda_2
        if (!v.flag(true, "use_mean_pooling")) {
            t.norm(LAYER_NORM, 1, h, true);
        }
        return tower(h, "InternVLVisionModel");
    }

    // configuration_qwen2_vl.py Qwen2VLVisionConfig; modeling_qwen2_vl.py Qwen2VisionTransformerPretrainedModel: a
    // bias-free Conv3d patch embedding, LayerNorm blocks with a fused biased qkv and proj, a biased fc1/fc2 MLP of
    // embed_dim x mlp_ratio, and the PatchMerger (ln_q, Linear(E m^2, E m^2), Linear(E m^2, hidden_size))
    private static Tower qwen2Vl(HfConfig v, ModuleTally t) {
        long e = v.size(1280, "embed_dim");
        long out = v.size(3584, "hidden_size");
        long depth = v.layers(32, "depth");
        long heads = v.size(16, "num_heads");
        DecoderFamilies.requirePositive(v, "num_heads", heads);
        long ratio = v.size(4, "mlp_ratio");
        qwenPatchEmbed(v, t, e, 14, false);
        t.norm(LAYER_NORM, mul(depth, 2), e, true);
        t.linear(ATT, depth, e, 3 * e, true).linear(ATT, depth, e, e, true);
        t.linear(MLP, depth, e, mul(e, ratio), true).linear(MLP, depth, mul(e, ratio), e, true);
        long merged = mul(e, square(v.size(2, "spatial_merge_size")));
        t.norm(LAYER_NORM, 1, e, true); // merger.ln_q
        t.linear(MLP, 1, merged, merged, true).linear(MLP, 1, merged, out, true);
        t.buffer(axialRotaryBuffers(e / heads));
        return new Tower(e, out, 0, "Qwen2VisionTransformerPretrainedModel");
    }

    // configuration_qwen2_5_vl.py Qwen2_5_VLVisionConfig; modeling_qwen2_5_vl.py: Qwen2-VL's tower with RMSNorms and a
    // biased gated MLP of intermediate_size, the merger projecting to out_hidden_size
    private static Tower qwen25Vl(HfConfig v, ModuleTally t) {
        long h = v.size(3584, "hidden_size");
        long out = v.size(3584, "out_hidden_size");
        long inter = v.size(3420, "intermediate_size");
        long depth = v.layers(32, "depth");
        long heads = v.size(16, "num_heads");
        DecoderFamilies.requirePositive(v, "num_heads", heads);
        qwenPatchEmbed(v, t, h, 14, false);
        t.norm("Qwen2_5_VLRMSNorm", mul(depth, 2), h, false);
        t.linear(ATT, depth, h, 3 * h, true).linear(ATT, depth, h, h, true);
        t.linear(MLP, mul(depth, 2), h, inter, true).linear(MLP, depth, inter, h, true);
        long merged = mul(h, square(v.size(2, "spatial_merge_size")));
        t.norm("Qwen2_5_VLRMSNorm", 1, h, false); // merger.ln_q
        t.linear(MLP, 1, merged, merged, true).linear(MLP, 1, merged, out, true);
        t.buffer(axialRotaryBuffers(h / heads));
        return new Tower(h, out, 0, "Qwen2_5_VisionTransformerPretrainedModel");
    }

    // configuration_qwen3_vl.py Qwen3VLVisionConfig; modeling_qwen3_vl.py Qwen3VLVisionModel: a biased Conv3d patch
    // embedding, a learned pos_embed, LayerNorm blocks with a fused qkv and a linear_fc1/fc2 MLP, the merger (norm over
    // the width) and one deepstack merger (norm over the merged width) per deepstack_visual_indexes entry
    private static Tower qwen3Vl(HfConfig v, ModuleTally t, String prefix) {
        long h = v.size(1152, "hidden_size");
        long out = v.size(3584, "out_hidden_size");
        long inter = v.size(4304, "intermediate_size");
        long depth = v.layers(27, "depth");
        long heads = v.size(16, "num_heads");
        DecoderFamilies.requirePositive(v, "num_heads", heads);
        qwenPatchEmbed(v, t, h, 16, true);
        t.embedding(ModuleTally.EMBEDDING, 1, v.size(2304, "num_position_embeddings"), h);
        t.norm(LAYER_NORM, mul(depth, 2), h, true);
        t.linear(ATT, depth, h, 3 * h, true).linear(ATT, depth, h, h, true);
        t.linear(MLP, depth, h, inter, true).linear(MLP, depth, inter, h, true);
        long merged = mul(h, square(v.size(2, "spatial_merge_size")));
        long deepstack =
                v.json().members().get("deepstack_visual_indexes") instanceof JsonValue.JsonArray a ? a.size() : 3;
        t.norm(LAYER_NORM, 1, h, true); // merger.norm
        t.norm(LAYER_NORM, deepstack, merged, true); // deepstack mergers' post-shuffle norms
        t.linear(MLP, 1 + deepstack, merged, merged, true).linear(MLP, 1 + deepstack, merged, out, true);
        t.buffer(axialRotaryBuffers(h / heads));
        return new Tower(h, out, 0, prefix + "Model");
    }

    /** Qwen-VL's Conv3d over temporal_patch_size x patch_size x patch_size patches of in_channels. */
    private static void qwenPatchEmbed(HfConfig v, ModuleTally t, long width, long patchDefault, boolean bias) {
        long patch = side(v, patchDefault, "patch_size");
        long temporal = side(v, 2, "temporal_patch_size");
        long channels = v.size(3, "in_channels");
        t.conv("Conv3d", 1, mul(width, mul(channels, mul(temporal, mul(patch, patch)))), bias ? width : 0, 0);
    }

    /** Qwen-VL's 2-D rotary: inv_freq over head_dim / 2, inv_freq and original_inv_freq registered. */
    private static long axialRotaryBuffers(long headDim) {
        return ModuleTally.rotaryBuffers(headDim / 2);
    }

    private static long square(long v) {
        return mul(v, v);
    }
}
