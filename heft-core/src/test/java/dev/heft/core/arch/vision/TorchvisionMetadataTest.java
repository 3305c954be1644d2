package dev.heft.core.arch.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.NamedTensor;
import dev.heft.core.tensor.TensorRole;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The models vision-models.json does not cover, checked against what torchvision itself writes in its weights
 * metadata ({@code Weights.meta["num_params"]} and {@code meta["_ops"]}, GFLOPs as multiply-accumulates rounded to
 * three decimals, in torchvision/models/*.py 0.2x). {@code _ops} is only used where the weights' crop is 224 (299 for
 * Inception v3) and the model has no nn.MultiheadAttention (torchvision measured ViT with attention counted, unlike
 * an eval FlopCounterMode pass).
 */
class TorchvisionMetadataTest {

    static final Map<String, Long> NUM_PARAMS = new TreeMap<>(Map.ofEntries(
            Map.entry("resnet18", 11689512L),
            Map.entry("resnet34", 21797672L),
            Map.entry("resnet50", 25557032L),
            Map.entry("resnet101", 44549160L),
            Map.entry("resnet152", 60192808L),
            Map.entry("wide_resnet50_2", 68883240L),
            Map.entry("wide_resnet101_2", 126886696L),
            Map.entry("resnext50_32x4d", 25028904L),
            Map.entry("resnext101_32x8d", 88791336L),
            Map.entry("resnext101_64x4d", 83455272L),
            Map.entry("vgg11", 132863336L),
            Map.entry("vgg11_bn", 132868840L),
            Map.entry("vgg13", 133047848L),
            Map.entry("vgg13_bn", 133053736L),
            Map.entry("vgg16", 138357544L),
            Map.entry("vgg16_bn", 138365992L),
            Map.entry("vgg19", 143667240L),
            Map.entry("vgg19_bn", 143678248L),
            Map.entry("alexnet", 61100840L),
            Map.entry("squeezenet1_0", 1248424L),
            Map.entry("squeezenet1_1", 1235496L),
            Map.entry("densenet121", 7978856L),
            Map.entry("densenet161", 28681000L),
            Map.entry("densenet169", 14149480L),
            Map.entry("densenet201", 20013928L),
            Map.entry("inception_v3", 27161264L),
            Map.entry("mobilenet_v2", 3504872L),
            Map.entry("mobilenet_v3_small", 2542856L),
            Map.entry("mobilenet_v3_large", 5483032L),
            Map.entry("mnasnet0_5", 2218512L),
            Map.entry("mnasnet0_75", 3170208L),
            Map.entry("mnasnet1_0", 4383312L),
            Map.entry("mnasnet1_3", 6282256L),
            Map.entry("shufflenet_v2_x0_5", 1366792L),
            Map.entry("shufflenet_v2_x1_0", 2278604L),
            Map.entry("shufflenet_v2_x1_5", 3503624L),
            Map.entry("shufflenet_v2_x2_0", 7393996L),
            Map.entry("efficientnet_b0", 5288548L),
            Map.entry("efficientnet_b1", 7794184L),
            Map.entry("efficientnet_b2", 9109994L),
            Map.entry("efficientnet_b3", 12233232L),
            Map.entry("efficientnet_b4", 19341616L),
            Map.entry("efficientnet_b5", 30389784L),
            Map.entry("efficientnet_b6", 43040704L),
            Map.entry("efficientnet_b7", 66347960L),
            Map.entry("efficientnet_v2_s", 21458488L),
            Map.entry("efficientnet_v2_m", 54139356L),
            Map.entry("efficientnet_v2_l", 118515272L),
            Map.entry("regnet_y_400mf", 4344144L),
            Map.entry("regnet_y_800mf", 6432512L),
            Map.entry("regnet_y_1_6gf", 11202430L),
            Map.entry("regnet_y_3_2gf", 19436338L),
            Map.entry("regnet_y_8gf", 39381472L),
            Map.entry("regnet_y_16gf", 83590140L),
            Map.entry("regnet_y_32gf", 145046770L),
            Map.entry("regnet_y_128gf", 644812894L),
            Map.entry("regnet_x_400mf", 5495976L),
            Map.entry("regnet_x_800mf", 7259656L),
            Map.entry("regnet_x_1_6gf", 9190136L),
            Map.entry("regnet_x_3_2gf", 15296552L),
            Map.entry("regnet_x_8gf", 39572648L),
            Map.entry("regnet_x_16gf", 54278536L),
            Map.entry("regnet_x_32gf", 107811560L),
            Map.entry("convnext_tiny", 28589128L),
            Map.entry("convnext_small", 50223688L),
            Map.entry("convnext_base", 88591464L),
            Map.entry("convnext_large", 197767336L),
            Map.entry("vit_b_16", 86567656L),
            Map.entry("vit_b_32", 88224232L),
            Map.entry("vit_l_16", 304326632L),
            Map.entry("vit_l_32", 306535400L),
            Map.entry("vit_h_14", 632045800L),
            Map.entry("swin_t", 28288354L),
            Map.entry("swin_s", 49606258L),
            Map.entry("swin_b", 87768224L),
            Map.entry("maxvit_t", 30919624L)));

    static final Map<String, Double> GMACS = new TreeMap<>(Map.ofEntries(
            Map.entry("resnet18", 1.814),
            Map.entry("resnet34", 3.664),
            Map.entry("resnet101", 7.801),
            Map.entry("resnet152", 11.514),
            Map.entry("resnext50_32x4d", 4.23),
            Map.entry("wide_resnet50_2", 11.398),
            Map.entry("vgg19", 19.632),
            Map.entry("alexnet", 0.714),
            Map.entry("squeezenet1_0", 0.819),
            Map.entry("squeezenet1_1", 0.349),
            Map.entry("densenet161", 7.728),
            Map.entry("googlenet", 1.498),
            Map.entry("inception_v3", 5.713),
            Map.entry("mnasnet0_5", 0.104),
            Map.entry("mnasnet1_0", 0.314),
            Map.entry("shufflenet_v2_x1_0", 0.145),
            Map.entry("mobilenet_v3_large", 0.217),
            Map.entry("mobilenet_v3_small", 0.057),
            Map.entry("regnet_y_400mf", 0.402),
            Map.entry("regnet_y_800mf", 0.834),
            Map.entry("regnet_y_8gf", 8.473),
            Map.entry("convnext_small", 8.684),
            Map.entry("convnext_base", 15.355),
            Map.entry("convnext_large", 34.361),
            Map.entry("swin_t", 4.491),
            Map.entry("swin_s", 8.741),
            Map.entry("swin_b", 15.431),
            Map.entry("maxvit_t", 5.558)));

    static Iterable<String> numParamsNames() {
        return NUM_PARAMS.keySet();
    }

    static Iterable<String> gmacsNames() {
        return GMACS.keySet();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numParamsNames")
    void parametersMatchTorchvisionMetadata(String name) {
        assertThat(VisionCatalog.get(name).counts().parameters()).isEqualTo(NUM_PARAMS.get(name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gmacsNames")
    void flopsMatchTorchvisionOps(String name) {
        double gmacs = VisionCatalog.get(name).flops().macs() / 1e9;
        assertThat(gmacs).isCloseTo(GMACS.get(name), within(0.0006));
    }

    /** GoogLeNet's weights drop the two auxiliary classifiers: meta num_params 6,624,904 is the model without them. */
    @Test
    void googlenetWithoutAuxiliaryClassifiersMatchesMetadata() {
        Module m = VisionCatalog.get("googlenet").module();
        long withoutAux = 0;
        for (NamedTensor t : dev.heft.core.arch.torch.ModuleTree.tensors(m)) {
            if (t.role() == TensorRole.WEIGHT && !t.name().startsWith("aux")) {
                withoutAux += t.elements();
            }
        }
        assertThat(withoutAux).isEqualTo(6624904L);
    }

    @Test
    void everyCatalogModelHasASourceAndIsCovered() {
        assertThat(VisionCatalog.all()).hasSize(NUM_PARAMS.size() + 1); // + googlenet, checked above
        for (VisionModel m : VisionCatalog.all()) {
            assertThat(m.source()).contains("torchvision/models/");
        }
    }
}
