package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.arch.vision.Tv.NormKind;

/**
 * EfficientNet B0-B7 (Tan and Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", 2019)
 * and EfficientNetV2 S/M/L (Tan and Le, "EfficientNetV2: Smaller Models and Faster Training", 2021), as
 * torchvision/models/efficientnet.py builds them.
 */
final class EfficientNets {
    private EfficientNets() {}

    /** One stage: fused (FusedMBConv) or not, expand ratio, kernel, stride, input and output channels, layers. */
    private record Stage(boolean fused, double expand, int kernel, int stride, int in, int out, int layers) {}

    private static final Stage[] B = {
        new Stage(false, 1, 3, 1, 32, 16, 1), new Stage(false, 6, 3, 2, 16, 24, 2),
        new Stage(false, 6, 5, 2, 24, 40, 2), new Stage(false, 6, 3, 2, 40, 80, 3),
        new Stage(false, 6, 5, 1, 80, 112, 3), new Stage(false, 6, 5, 2, 112, 192, 4),
        new Stage(false, 6, 3, 1, 192, 320, 1)
    };

    private static final Stage[] V2_S = {
        new Stage(true, 1, 3, 1, 24, 24, 2), new Stage(true, 4, 3, 2, 24, 48, 4),
        new Stage(true, 4, 3, 2, 48, 64, 4), new Stage(false, 4, 3, 2, 64, 128, 6),
        new Stage(false, 6, 3, 1, 128, 160, 9), new Stage(false, 6, 3, 2, 160, 256, 15)
    };

    private static final Stage[] V2_M = {
        new Stage(true, 1, 3, 1, 24, 24, 3), new Stage(true, 4, 3, 2, 24, 48, 5),
        new Stage(true, 4, 3, 2, 48, 80, 5), new Stage(false, 4, 3, 2, 80, 160, 7),
        new Stage(false, 6, 3, 1, 160, 176, 14), new Stage(false, 6, 3, 2, 176, 304, 18),
        new Stage(false, 6, 3, 1, 304, 512, 5)
    };

    private static final Stage[] V2_L = {
        new Stage(true, 1, 3, 1, 32, 32, 4), new Stage(true, 4, 3, 2, 32, 64, 7),
        new Stage(true, 4, 3, 2, 64, 96, 7), new Stage(false, 4, 3, 2, 96, 192, 10),
        new Stage(false, 6, 3, 1, 192, 224, 19), new Stage(false, 6, 3, 2, 224, 384, 25),
        new Stage(false, 6, 3, 1, 384, 640, 7)
    };

    /** B0..B7 as (width_mult, depth_mult); last conv is 4x its input. */
    static Module b(double width, double depth) {
        return build(B, width, depth, 0);
    }

    static Module v2(char size) {
        return switch (size) {
            case 's' -> build(V2_S, 1.0, 1.0, 1280);
            case 'm' -> build(V2_M, 1.0, 1.0, 1280);
            case 'l' -> build(V2_L, 1.0, 1.0, 1280);
            default -> throw new IllegalArgumentException("no EfficientNetV2 " + size);
        };
    }

    /** {@code adjust_channels}: {@code _make_divisible(channels * width_mult, 8)}. */
    private static long channels(double c, double width) {
        return Tv.makeDivisible(c * width, 8);
    }

    private static Module build(Stage[] stages, double width, double depth, long lastChannel) {
        Sequential features = new Sequential();
        long first = channels(stages[0].in(), width);
        features.append(Tv.convNormAct(3, first, 3, 2, 1, NormKind.BATCH, "SiLU"));
        long out = first;
        for (Stage s : stages) {
            Sequential stage = new Sequential();
            long in = channels(s.in(), width);
            out = channels(s.out(), width);
            long layers = (long) Math.ceil(s.layers() * depth); // adjust_depth
            for (long i = 0; i < layers; i++) {
                long blockIn = i == 0 ? in : out;
                long stride = i == 0 ? s.stride() : 1;
                stage.append(s.fused() ? fusedMbConv(s, blockIn, out, stride) : mbConv(s, blockIn, out, stride));
            }
            features.append(stage);
        }
        long lastOut = lastChannel > 0 ? lastChannel : 4 * out;
        features.append(Tv.convNormAct(out, lastOut, 1, 1, 1, NormKind.BATCH, "SiLU"));
        Sequential classifier = new Sequential();
        classifier.append(new Elementwise("Dropout")).append(Tv.head(lastOut, 1000, true));
        return MobileNets.featuresClassifier("EfficientNet", features, classifier, true);
    }

    /**
     * MBConv: [1x1 expand], depthwise kxk, SqueezeExcitation(expanded, max(1, input_channels // 4), SiLU), 1x1
     * project; stochastic depth has no parameters.
     */
    private static Module mbConv(Stage s, long in, long out, long stride) {
        long exp = Tv.makeDivisible(in * s.expand(), 8);
        Sequential block = new Sequential();
        if (exp != in) {
            block.append(Tv.convNormAct(in, exp, 1, 1, 1, NormKind.BATCH, "SiLU"));
        }
        block.append(Tv.convNormAct(exp, exp, s.kernel(), stride, exp, NormKind.BATCH, "SiLU"));
        block.append(Tv.squeezeExcitation(exp, Math.max(1, in / 4), "SiLU", "Sigmoid"));
        block.append(Tv.convNormAct(exp, out, 1, 1, 1, NormKind.BATCH, null));
        return wrap("MBConv", block, stride == 1 && in == out);
    }

    /** FusedMBConv: a kxk expand (or the only conv when expand ratio is 1) then a 1x1 project. */
    private static Module fusedMbConv(Stage s, long in, long out, long stride) {
        long exp = Tv.makeDivisible(in * s.expand(), 8);
        Sequential block = new Sequential();
        if (exp != in) {
            block.append(Tv.convNormAct(in, exp, s.kernel(), stride, 1, NormKind.BATCH, "SiLU"));
            block.append(Tv.convNormAct(exp, out, 1, 1, 1, NormKind.BATCH, null));
        } else {
            block.append(Tv.convNormAct(in, out, s.kernel(), stride, 1, NormKind.BATCH, "SiLU"));
        }
        return wrap("FusedMBConv", block, stride == 1 && in == out);
    }

    /** result = self.block(input); with use_res_connect: result = self.stochastic_depth(result); result += input. */
    private static Module wrap(String cls, Sequential block, boolean residual) {
        Block b = new Block(cls);
        b.add("block", block);
        b.add("stochastic_depth", new Elementwise("StochasticDepth"));
        return b.forward((self, x, f) -> {
            Shape y = self.run("block", x, f);
            return residual ? self.run("stochastic_depth", y, f) : y;
        });
    }
}
