package dev.heft.core.arch.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.arch.torch.Shape;
import dev.heft.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class VisionCatalogTest {

    @Test
    void flopsScaleWithBatchAndParametersDoNotDependOnResolution() {
        VisionModel m = VisionCatalog.get("resnet50");
        long one = m.flops(Shape.of(1, 3, 224, 224)).flops();
        assertThat(m.flops(Shape.of(8, 3, 224, 224)).flops()).isEqualTo(8 * one);
        assertThat(m.flops(Shape.of(1, 3, 448, 448)).flops()).isGreaterThan(3 * one);
        assertThat(m.flops(Shape.of(1, 3, 448, 448)).output()).isEqualTo(Shape.of(1, 1000));
    }

    @Test
    void defaultInputsFollowTorchvision() {
        assertThat(VisionCatalog.get("inception_v3").defaultInput()).isEqualTo(Shape.of(1, 3, 299, 299));
        assertThat(VisionCatalog.get("resnet18").defaultInput()).isEqualTo(Shape.of(1, 3, 224, 224));
    }

    @Test
    void positionEmbeddingsFixTheResolution() {
        VisionModel vit = VisionCatalog.get("vit_b_16");
        // vit_b_16(image_size=384): 24*24 + 1 tokens instead of 14*14 + 1, each a 768-wide position embedding
        assertThat(vit.counts(Shape.of(1, 3, 384, 384)).parameters())
                .isEqualTo(vit.counts().parameters() + (577 - 197) * 768L);
        assertThat(VisionCatalog.get("resnet50").counts(Shape.of(1, 3, 384, 384)))
                .isEqualTo(VisionCatalog.get("resnet50").counts());
        // patch embedding and MLPs grow with the token count: 577 tokens where 224 has 197
        long mlp224 = 12 * 2 * (2L * 197 * 768 * 3072);
        long mlp384 = 12 * 2 * (2L * 577 * 768 * 3072);
        assertThat(vit.flops(Shape.of(1, 3, 384, 384)).flops() - vit.flops().flops())
                .isEqualTo(mlp384 - mlp224 + 2L * (576 - 196) * 768 * 768);
        assertThatThrownBy(() -> vit.flops(Shape.of(1, 3, 384, 256)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("square");
        assertThatThrownBy(() -> vit.flops(Shape.of(1, 3, 100, 100)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("divisible");
        assertThat(VisionCatalog.get("vit_b_16").flops(Shape.of(4, 3, 224, 224)).notes())
                .anyMatch(n -> n.contains("fast path"));
    }

    @Test
    void badInputsAndNamesAreInputErrors() {
        assertThatThrownBy(() -> VisionCatalog.get("resnet51"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("resnet50");
        assertThatThrownBy(() -> VisionCatalog.get("resnet18").flops(Shape.of(1, 1, 224, 224)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("[N, 3, H, W]");
        assertThatThrownBy(() -> VisionCatalog.get("alexnet").flops(Shape.of(1, 3, 32, 32)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> VisionCatalog.get("maxvit_t").flops(Shape.of(1, 3, 200, 200)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("partition");
    }

    @Test
    void tensorsAreNamedAsTorchvisionNamesThem() {
        assertThat(VisionCatalog.get("resnet18").tensors())
                .extracting(t -> t.name())
                .contains(
                        "conv1.weight",
                        "layer1.0.bn1.running_mean",
                        "layer2.0.downsample.0.weight",
                        "layer4.1.bn2.num_batches_tracked",
                        "fc.bias");
        assertThat(VisionCatalog.get("vit_b_16").tensors())
                .extracting(t -> t.name())
                .contains(
                        "class_token",
                        "encoder.pos_embedding",
                        "encoder.layers.encoder_layer_11.self_attention.in_proj_weight",
                        "encoder.layers.encoder_layer_0.mlp.0.weight",
                        "heads.head.weight");
        assertThat(VisionCatalog.get("swin_t").tensors())
                .extracting(t -> t.name())
                .contains(
                        "features.1.0.attn.relative_position_bias_table",
                        "features.1.0.attn.relative_position_index",
                        "features.2.reduction.weight");
    }
}
