package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * torchvision's classification models by their builder names, each built from its layer definitions as torchvision
 * 0.26 defines it ({@code weights=None}, 1000 classes; GoogLeNet and Inception v3 with {@code aux_logits=True}).
 */
public final class VisionCatalog {
    private static final String TV = "torchvision/models/";
    private static final Shape INPUT_224 = Shape.of(1, 3, 224, 224);
    private static final Map<String, VisionModel> MODELS = new LinkedHashMap<>();

    static {
        String resnet = "He et al. 2015, Deep Residual Learning for Image Recognition; " + TV + "resnet.py";
        add("resnet18", "ResNet", resnet, () -> ResNets.resnet(false, new int[] {2, 2, 2, 2}, 1, 64));
        add("resnet34", "ResNet", resnet, () -> ResNets.resnet(false, new int[] {3, 4, 6, 3}, 1, 64));
        add("resnet50", "ResNet", resnet, () -> ResNets.resnet(true, new int[] {3, 4, 6, 3}, 1, 64));
        add("resnet101", "ResNet", resnet, () -> ResNets.resnet(true, new int[] {3, 4, 23, 3}, 1, 64));
        add("resnet152", "ResNet", resnet, () -> ResNets.resnet(true, new int[] {3, 8, 36, 3}, 1, 64));
        String wide = "Zagoruyko and Komodakis 2016, Wide Residual Networks; " + TV + "resnet.py";
        add("wide_resnet50_2", "ResNet", wide, () -> ResNets.resnet(true, new int[] {3, 4, 6, 3}, 1, 128));
        add("wide_resnet101_2", "ResNet", wide, () -> ResNets.resnet(true, new int[] {3, 4, 23, 3}, 1, 128));
        String resnext =
                "Xie et al. 2016, Aggregated Residual Transformations for Deep Neural Networks; " + TV + "resnet.py";
        add("resnext50_32x4d", "ResNet", resnext, () -> ResNets.resnet(true, new int[] {3, 4, 6, 3}, 32, 4));
        add("resnext101_32x8d", "ResNet", resnext, () -> ResNets.resnet(true, new int[] {3, 4, 23, 3}, 32, 8));
        add("resnext101_64x4d", "ResNet", resnext, () -> ResNets.resnet(true, new int[] {3, 4, 23, 3}, 64, 4));

        String vgg = "Simonyan and Zisserman 2014, Very Deep Convolutional Networks for Large-Scale Image Recognition; "
                + TV + "vgg.py";
        int[][] vggCfg = {Classic.VGG11, Classic.VGG13, Classic.VGG16, Classic.VGG19};
        int[] vggDepth = {11, 13, 16, 19};
        for (int i = 0; i < 4; i++) {
            int[] cfg = vggCfg[i];
            add("vgg" + vggDepth[i], "VGG", vgg, () -> Classic.vgg(cfg, false));
            add("vgg" + vggDepth[i] + "_bn", "VGG", vgg, () -> Classic.vgg(cfg, true));
        }
        add(
                "alexnet",
                "AlexNet",
                "Krizhevsky 2014, One weird trick for parallelizing convolutional neural networks; " + TV
                        + "alexnet.py",
                Classic::alexnet);
        String squeeze = "Iandola et al. 2016, SqueezeNet: AlexNet-level accuracy with 50x fewer parameters; " + TV
                + "squeezenet.py";
        add("squeezenet1_0", "SqueezeNet", squeeze, () -> Classic.squeezenet(false));
        add("squeezenet1_1", "SqueezeNet", squeeze, () -> Classic.squeezenet(true));

        String dense = "Huang et al. 2016, Densely Connected Convolutional Networks; " + TV + "densenet.py";
        add("densenet121", "DenseNet", dense, () -> DenseNets.densenet(32, new int[] {6, 12, 24, 16}, 64));
        add("densenet161", "DenseNet", dense, () -> DenseNets.densenet(48, new int[] {6, 12, 36, 24}, 96));
        add("densenet169", "DenseNet", dense, () -> DenseNets.densenet(32, new int[] {6, 12, 32, 32}, 64));
        add("densenet201", "DenseNet", dense, () -> DenseNets.densenet(32, new int[] {6, 12, 48, 32}, 64));

        add(
                "mobilenet_v2",
                "MobileNetV2",
                "Sandler et al. 2018, MobileNetV2: Inverted Residuals and Linear " + "Bottlenecks; " + TV
                        + "mobilenetv2.py",
                MobileNets::mobilenetV2);
        String v3 = "Howard et al. 2019, Searching for MobileNetV3; " + TV + "mobilenetv3.py";
        add("mobilenet_v3_small", "MobileNetV3", v3, () -> MobileNets.mobilenetV3(false));
        add("mobilenet_v3_large", "MobileNetV3", v3, () -> MobileNets.mobilenetV3(true));

        String eff = "Tan and Le 2019, EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks; " + TV
                + "efficientnet.py";
        double[][] scale = {
            {1.0, 1.0}, {1.0, 1.1}, {1.1, 1.2}, {1.2, 1.4}, {1.4, 1.8}, {1.6, 2.2}, {1.8, 2.6}, {2.0, 3.1}
        };
        for (int i = 0; i < scale.length; i++) {
            double w = scale[i][0];
            double d = scale[i][1];
            add("efficientnet_b" + i, "EfficientNet", eff, () -> EfficientNets.b(w, d));
        }
        String eff2 = "Tan and Le 2021, EfficientNetV2: Smaller Models and Faster Training; " + TV + "efficientnet.py";
        for (char s : new char[] {'s', 'm', 'l'}) {
            add("efficientnet_v2_" + s, "EfficientNet", eff2, () -> EfficientNets.v2(s));
        }

        String convnext = "Liu et al. 2022, A ConvNet for the 2020s; " + TV + "convnext.py";
        add("convnext_tiny", "ConvNeXt", convnext, () -> ConvNexts.convnext(96, new int[] {3, 3, 9, 3}));
        add("convnext_small", "ConvNeXt", convnext, () -> ConvNexts.convnext(96, new int[] {3, 3, 27, 3}));
        add("convnext_base", "ConvNeXt", convnext, () -> ConvNexts.convnext(128, new int[] {3, 3, 27, 3}));
        add("convnext_large", "ConvNeXt", convnext, () -> ConvNexts.convnext(192, new int[] {3, 3, 27, 3}));

        add(
                "googlenet",
                "GoogLeNet",
                "Szegedy et al. 2014, Going Deeper with Convolutions; " + TV + "googlenet.py",
                Inceptions::googlenet);
        add(new VisionModel(
                "inception_v3",
                "Inception3",
                "Szegedy et al. 2015, Rethinking the Inception Architecture" + " for Computer Vision; " + TV
                        + "inception.py",
                Shape.of(1, 3, 299, 299),
                side -> Inceptions.inceptionV3(),
                false));

        String mnas =
                "Tan et al. 2018, MnasNet: Platform-Aware Neural Architecture Search for Mobile; " + TV + "mnasnet.py";
        add("mnasnet0_5", "MNASNet", mnas, () -> SmallNets.mnasnet(0.5));
        add("mnasnet0_75", "MNASNet", mnas, () -> SmallNets.mnasnet(0.75));
        add("mnasnet1_0", "MNASNet", mnas, () -> SmallNets.mnasnet(1.0));
        add("mnasnet1_3", "MNASNet", mnas, () -> SmallNets.mnasnet(1.3));
        String shuffle = "Ma et al. 2018, ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design; "
                + TV + "shufflenetv2.py";
        add(
                "shufflenet_v2_x0_5",
                "ShuffleNetV2",
                shuffle,
                () -> SmallNets.shufflenetV2(new long[] {24, 48, 96, 192, 1024}));
        add(
                "shufflenet_v2_x1_0",
                "ShuffleNetV2",
                shuffle,
                () -> SmallNets.shufflenetV2(new long[] {24, 116, 232, 464, 1024}));
        add(
                "shufflenet_v2_x1_5",
                "ShuffleNetV2",
                shuffle,
                () -> SmallNets.shufflenetV2(new long[] {24, 176, 352, 704, 1024}));
        add(
                "shufflenet_v2_x2_0",
                "ShuffleNetV2",
                shuffle,
                () -> SmallNets.shufflenetV2(new long[] {24, 244, 488, 976, 2048}));

        String regnet = "Radosavovic et al. 2020, Designing Network Design Spaces; " + TV + "regnet.py";
        regnet("regnet_y_400mf", regnet, 16, 48, 27.89, 2.09, 8, 0.25);
        regnet("regnet_y_800mf", regnet, 14, 56, 38.84, 2.4, 16, 0.25);
        regnet("regnet_y_1_6gf", regnet, 27, 48, 20.71, 2.65, 24, 0.25);
        regnet("regnet_y_3_2gf", regnet, 21, 80, 42.63, 2.66, 24, 0.25);
        regnet("regnet_y_8gf", regnet, 17, 192, 76.82, 2.19, 56, 0.25);
        regnet("regnet_y_16gf", regnet, 18, 200, 106.23, 2.48, 112, 0.25);
        regnet("regnet_y_32gf", regnet, 20, 232, 115.89, 2.53, 232, 0.25);
        regnet("regnet_y_128gf", regnet, 27, 456, 160.83, 2.52, 264, 0.25);
        regnet("regnet_x_400mf", regnet, 22, 24, 24.48, 2.54, 16, 0);
        regnet("regnet_x_800mf", regnet, 16, 56, 35.73, 2.28, 16, 0);
        regnet("regnet_x_1_6gf", regnet, 18, 80, 34.01, 2.25, 24, 0);
        regnet("regnet_x_3_2gf", regnet, 25, 88, 26.31, 2.25, 48, 0);
        regnet("regnet_x_8gf", regnet, 23, 80, 49.56, 2.88, 120, 0);
        regnet("regnet_x_16gf", regnet, 22, 216, 55.59, 2.1, 128, 0);
        regnet("regnet_x_32gf", regnet, 23, 320, 69.86, 2.0, 168, 0);

        String vit = "Dosovitskiy et al. 2020, An Image is Worth 16x16 Words; " + TV + "vision_transformer.py";
        vit("vit_b_16", vit, 16, 12, 12, 768, 3072);
        vit("vit_b_32", vit, 32, 12, 12, 768, 3072);
        vit("vit_l_16", vit, 16, 24, 16, 1024, 4096);
        vit("vit_l_32", vit, 32, 24, 16, 1024, 4096);
        vit("vit_h_14", vit, 14, 32, 16, 1280, 5120);

        String swin = "Liu et al. 2021, Swin Transformer: Hierarchical Vision Transformer using Shifted Windows; " + TV
                + "swin_transformer.py";
        add("swin_t", "SwinTransformer", swin, () -> Swins.swin(96, new int[] {2, 2, 6, 2}, new long[] {3, 6, 12, 24}));
        add(
                "swin_s",
                "SwinTransformer",
                swin,
                () -> Swins.swin(96, new int[] {2, 2, 18, 2}, new long[] {3, 6, 12, 24}));
        add(
                "swin_b",
                "SwinTransformer",
                swin,
                () -> Swins.swin(128, new int[] {2, 2, 18, 2}, new long[] {4, 8, 16, 32}));
        add(
                "maxvit_t",
                "MaxVit",
                "Tu et al. 2022, MaxViT: Multi-Axis Vision Transformer; " + TV + "maxvit.py",
                MaxVits::maxvitT);
    }

    private VisionCatalog() {}

    private static void add(String name, String family, String source, Supplier<Module> build) {
        add(new VisionModel(name, family, source, INPUT_224, side -> build.get(), false));
    }

    private static void add(VisionModel m) {
        MODELS.put(m.name(), m);
    }

    private static void regnet(
            String name, String source, int depth, int w0, double wa, double wm, int groupWidth, double seRatio) {
        add(name, "RegNet", source, () -> RegNets.regnet(depth, w0, wa, wm, groupWidth, seRatio));
    }

    private static void vit(String name, String source, long patch, int layers, long heads, long hidden, long mlp) {
        IntFunction<Module> build = side -> VisionTransformers.vit(side, patch, layers, heads, hidden, mlp);
        add(new VisionModel(name, "VisionTransformer", source, INPUT_224, build, true));
    }

    /** Every model, in catalog order. */
    public static List<VisionModel> all() {
        return Collections.unmodifiableList(new ArrayList<>(MODELS.values()));
    }

    public static Optional<VisionModel> find(String name) {
        return Optional.ofNullable(MODELS.get(name));
    }

    /** The model named {@code name}, or an error listing the known names. */
    public static VisionModel get(String name) {
        return find(name)
                .orElseThrow(() -> new InvalidInputException(
                        "unknown torchvision model '" + name + "'; known: " + String.join(", ", MODELS.keySet())));
    }
}
