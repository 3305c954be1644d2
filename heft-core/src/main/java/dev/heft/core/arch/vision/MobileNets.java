package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Linear;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Pool;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.arch.vision.Tv.NormKind;

/**
 * MobileNetV2 (Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", 2018;
 * torchvision/models/mobilenetv2.py) and MobileNetV3 (Howard et al., "Searching for MobileNetV3", 2019;
 * mobilenetv3.py).
 */
final class MobileNets {
    private MobileNets() {}

    /** features / classifier, with global average pooling and flatten between (MobileNetV2, EfficientNet). */
    static Module featuresClassifier(String cls, Sequential features, Sequential classifier, boolean namedPool) {
        Block net = new Block(cls);
        net.add("features", features);
        Module pool = Pool.adaptiveAvg2d(1);
        if (namedPool) {
            net.add("avgpool", pool);
        }
        net.add("classifier", classifier);
        return net.forward((self, x, f) -> {
            Shape features1 = self.run("features", x, f);
            // MobileNetV2 pools with nn.functional.adaptive_avg_pool2d (no module call); the others call self.avgpool
            Shape y = namedPool ? self.run("avgpool", features1, f) : f.allocate(pool.forward(features1, f));
            f.release(features1);
            return self.run("classifier", Tv.flatten(y, f), f);
        });
    }

    /** MobileNetV2 settings [t, c, n, s]. */
    private static final int[][] V2 = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    static Module mobilenetV2() {
        Sequential features = new Sequential();
        long in = Tv.makeDivisible(32, 8);
        features.append(Tv.convNormAct(3, in, 3, 2, 1, NormKind.BATCH, "ReLU6"));
        for (int[] s : V2) {
            long out = Tv.makeDivisible(s[1], 8);
            for (int i = 0; i < s[2]; i++) {
                features.append(invertedResidualV2(in, out, i == 0 ? s[3] : 1, s[0]));
                in = out;
            }
        }
        features.append(Tv.convNormAct(in, 1280, 1, 1, 1, NormKind.BATCH, "ReLU6"));
        Sequential classifier = new Sequential();
        classifier.append(new Elementwise("Dropout")).append(Tv.head(1280, 1000, true));
        return featuresClassifier("MobileNetV2", features, classifier, false);
    }

    /** InvertedResidual: [1x1 expand], 3x3 depthwise, 1x1 project Conv2d + BatchNorm2d, in {@code self.conv}. */
    private static Module invertedResidualV2(long in, long out, long stride, long expand) {
        long hidden = Math.round((double) in * expand);
        Sequential conv = new Sequential();
        if (expand != 1) {
            conv.append(Tv.convNormAct(in, hidden, 1, 1, 1, NormKind.BATCH, "ReLU6"));
        }
        conv.append(Tv.convNormAct(hidden, hidden, 3, stride, hidden, NormKind.BATCH, "ReLU6"));
        conv.append(Conv.conv2d(hidden, out, 1, 1, 0, 1, false));
        conv.append(Norm.batchNorm2d(out));
        Block b = new Block("InvertedResidual");
        b.add("conv", conv);
        boolean residual = stride == 1 && in == out;
        // use_res_connect: return x + self.conv(x) (a new tensor); else self.conv(x)
        return b.forward((self, x, f) -> residual ? Tv.newLike(self.run("conv", x, f), f) : self.run("conv", x, f));
    }

    /** One bneck row: input, kernel, expanded, output, use SE, activation ("HS" hardswish, "RE" relu), stride. */
    private record Bneck(int in, int kernel, int expanded, int out, boolean se, boolean hardswish, int stride) {}

    private static final Bneck[] V3_LARGE = {
        new Bneck(16, 3, 16, 16, false, false, 1), new Bneck(16, 3, 64, 24, false, false, 2),
        new Bneck(24, 3, 72, 24, false, false, 1), new Bneck(24, 5, 72, 40, true, false, 2),
        new Bneck(40, 5, 120, 40, true, false, 1), new Bneck(40, 5, 120, 40, true, false, 1),
        new Bneck(40, 3, 240, 80, false, true, 2), new Bneck(80, 3, 200, 80, false, true, 1),
        new Bneck(80, 3, 184, 80, false, true, 1), new Bneck(80, 3, 184, 80, false, true, 1),
        new Bneck(80, 3, 480, 112, true, true, 1), new Bneck(112, 3, 672, 112, true, true, 1),
        new Bneck(112, 5, 672, 160, true, true, 2), new Bneck(160, 5, 960, 160, true, true, 1),
        new Bneck(160, 5, 960, 160, true, true, 1)
    };

    private static final Bneck[] V3_SMALL = {
        new Bneck(16, 3, 16, 16, true, false, 2), new Bneck(16, 3, 72, 24, false, false, 2),
        new Bneck(24, 3, 88, 24, false, false, 1), new Bneck(24, 5, 96, 40, true, true, 2),
        new Bneck(40, 5, 240, 40, true, true, 1), new Bneck(40, 5, 240, 40, true, true, 1),
        new Bneck(40, 5, 120, 48, true, true, 1), new Bneck(48, 5, 144, 48, true, true, 1),
        new Bneck(48, 5, 288, 96, true, true, 2), new Bneck(96, 5, 576, 96, true, true, 1),
        new Bneck(96, 5, 576, 96, true, true, 1)
    };

    static Module mobilenetV3(boolean large) {
        Bneck[] setting = large ? V3_LARGE : V3_SMALL;
        long lastChannel = Tv.makeDivisible(large ? 1280 : 1024, 8);
        Sequential features = new Sequential();
        features.append(Tv.convNormAct(3, Tv.makeDivisible(setting[0].in(), 8), 3, 2, 1, NormKind.BATCH, "Hardswish"));
        for (Bneck c : setting) {
            features.append(invertedResidualV3(c));
        }
        long lastIn = Tv.makeDivisible(setting[setting.length - 1].out(), 8);
        long lastOut = 6 * lastIn;
        features.append(Tv.convNormAct(lastIn, lastOut, 1, 1, 1, NormKind.BATCH, "Hardswish"));
        Sequential classifier = new Sequential();
        classifier
                .append(new Linear(lastOut, lastChannel, true))
                .append(Elementwise.inplace("Hardswish"))
                .append(new Elementwise("Dropout"))
                .append(Tv.head(lastChannel, 1000, true));
        return featuresClassifier("MobileNetV3", features, classifier, true);
    }

    /** InvertedResidual (v3): [1x1 expand], depthwise kxk, [SqueezeExcitation], 1x1 project, in {@code self.block}. */
    private static Module invertedResidualV3(Bneck c) {
        long in = Tv.makeDivisible(c.in(), 8);
        long exp = Tv.makeDivisible(c.expanded(), 8);
        long out = Tv.makeDivisible(c.out(), 8);
        String act = c.hardswish() ? "Hardswish" : "ReLU";
        Sequential block = new Sequential();
        if (exp != in) {
            block.append(Tv.convNormAct(in, exp, 1, 1, 1, NormKind.BATCH, act));
        }
        block.append(Tv.convNormAct(exp, exp, c.kernel(), c.stride(), exp, NormKind.BATCH, act));
        if (c.se()) {
            block.append(Tv.squeezeExcitation(exp, Tv.makeDivisible(exp / 4, 8), "ReLU", "Hardsigmoid"));
        }
        block.append(Tv.convNormAct(exp, out, 1, 1, 1, NormKind.BATCH, null));
        Block b = new Block("InvertedResidual");
        b.add("block", block);
        return b.forward((self, x, f) -> self.run("block", x, f)); // result += input: in place
    }
}
