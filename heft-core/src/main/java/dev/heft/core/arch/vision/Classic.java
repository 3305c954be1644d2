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
import java.util.List;

/**
 * The plain feed-forward CNNs: AlexNet (Krizhevsky, "One weird trick for parallelizing convolutional neural networks",
 * 2014; torchvision/models/alexnet.py), VGG (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale
 * Image Recognition", 2014; vgg.py) and SqueezeNet (Iandola et al., "SqueezeNet", 2016; squeezenet.py).
 */
final class Classic {
    private Classic() {}

    /** A features / avgpool / classifier network with flatten between pool and classifier. */
    private static Module featuresPoolClassifier(String cls, Sequential features, Module pool, Sequential classifier) {
        Block net = new Block(cls);
        net.add("features", features);
        net.add("avgpool", pool);
        net.add("classifier", classifier);
        return net.forward((self, x, f) -> {
            Shape y = Tv.chain(self, x, f, List.of("features", "avgpool"));
            return self.run("classifier", Tv.flatten(y, f), f);
        });
    }

    static Module alexnet() {
        Sequential features = new Sequential();
        features.append(Conv.conv2d(3, 64, 11, 4, 2, 1, true))
                .append(Elementwise.inplace("ReLU"))
                .append(Pool.maxPool2d(3, 2, 0, false))
                .append(Conv.conv2d(64, 192, 5, 1, 2, 1, true))
                .append(Elementwise.inplace("ReLU"))
                .append(Pool.maxPool2d(3, 2, 0, false))
                .append(Conv.conv2d(192, 384, 3, 1, 1, 1, true))
                .append(Elementwise.inplace("ReLU"))
                .append(Conv.conv2d(384, 256, 3, 1, 1, 1, true))
                .append(Elementwise.inplace("ReLU"))
                .append(Conv.conv2d(256, 256, 3, 1, 1, 1, true))
                .append(Elementwise.inplace("ReLU"))
                .append(Pool.maxPool2d(3, 2, 0, false));
        Sequential classifier = new Sequential();
        classifier
                .append(new Elementwise("Dropout"))
                .append(new Linear(256 * 6 * 6, 4096, true))
                .append(Elementwise.inplace("ReLU"))
                .append(new Elementwise("Dropout"))
                .append(new Linear(4096, 4096, true))
                .append(Elementwise.inplace("ReLU"))
                .append(Tv.head(4096, 1000, true));
        return featuresPoolClassifier("AlexNet", features, Pool.adaptiveAvg2d(6), classifier);
    }

    /** VGG configurations "A", "B", "D", "E" (vgg.py cfgs); 0 marks a 2x2 max pool ("M"). */
    static final int[] VGG11 = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};

    static final int[] VGG13 = {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
    static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    static final int[] VGG19 = {
        64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0
    };

    static Module vgg(int[] cfg, boolean batchNorm) {
        Sequential features = new Sequential();
        long in = 3;
        for (int v : cfg) {
            if (v == 0) {
                features.append(Pool.maxPool2d(2, 2, 0, false));
                continue;
            }
            features.append(Conv.conv2d(in, v, 3, 1, 1, 1, true));
            if (batchNorm) {
                features.append(Norm.batchNorm2d(v));
            }
            features.append(Elementwise.inplace("ReLU"));
            in = v;
        }
        Sequential classifier = new Sequential();
        classifier
                .append(new Linear(512 * 7 * 7, 4096, true))
                .append(Elementwise.inplace("ReLU"))
                .append(new Elementwise("Dropout"))
                .append(new Linear(4096, 4096, true))
                .append(Elementwise.inplace("ReLU"))
                .append(new Elementwise("Dropout"))
                .append(Tv.head(4096, 1000, true));
        return featuresPoolClassifier("VGG", features, Pool.adaptiveAvg2d(7), classifier);
    }

    /** SqueezeNet 1.0 and 1.1; max pools use ceil_mode=True. */
    static Module squeezenet(boolean v11) {
        Sequential features = new Sequential();
        if (!v11) {
            features.append(Conv.conv2d(3, 96, 7, 2, 0, 1, true))
                    .append(Elementwise.inplace("ReLU"))
                    .append(Pool.maxPool2d(3, 2, 0, true))
                    .append(fire(96, 16, 64, 64))
                    .append(fire(128, 16, 64, 64))
                    .append(fire(128, 32, 128, 128))
                    .append(Pool.maxPool2d(3, 2, 0, true))
                    .append(fire(256, 32, 128, 128))
                    .append(fire(256, 48, 192, 192))
                    .append(fire(384, 48, 192, 192))
                    .append(fire(384, 64, 256, 256))
                    .append(Pool.maxPool2d(3, 2, 0, true))
                    .append(fire(512, 64, 256, 256));
        } else {
            features.append(Conv.conv2d(3, 64, 3, 2, 0, 1, true))
                    .append(Elementwise.inplace("ReLU"))
                    .append(Pool.maxPool2d(3, 2, 0, true))
                    .append(fire(64, 16, 64, 64))
                    .append(fire(128, 16, 64, 64))
                    .append(Pool.maxPool2d(3, 2, 0, true))
                    .append(fire(128, 32, 128, 128))
                    .append(fire(256, 32, 128, 128))
                    .append(Pool.maxPool2d(3, 2, 0, true))
                    .append(fire(256, 48, 192, 192))
                    .append(fire(384, 48, 192, 192))
                    .append(fire(384, 64, 256, 256))
                    .append(fire(512, 64, 256, 256));
        }
        Sequential classifier = new Sequential();
        classifier
                .append(new Elementwise("Dropout"))
                .append(Conv.conv2d(512, 1000, 1, 1, 0, 1, true))
                .append(Elementwise.inplace("ReLU"))
                .append(Pool.adaptiveAvg2d(1));
        Block net = new Block("SqueezeNet");
        net.add("features", features);
        net.add("classifier", classifier);
        return net.forward((self, x, f) -> Tv.flatten(Tv.chain(self, x, f, List.of("features", "classifier")), f));
    }

    /** Fire(inplanes, squeeze, expand1x1, expand3x3): squeeze 1x1, then 1x1 and 3x3 expands concatenated. */
    private static Module fire(long in, long squeeze, long e1, long e3) {
        Block b = new Block("Fire");
        b.add("squeeze", Conv.conv2d(in, squeeze, 1, 1, 0, 1, true));
        b.add("squeeze_activation", Elementwise.inplace("ReLU"));
        b.add("expand1x1", Conv.conv2d(squeeze, e1, 1, 1, 0, 1, true));
        b.add("expand1x1_activation", Elementwise.inplace("ReLU"));
        b.add("expand3x3", Conv.conv2d(squeeze, e3, 3, 1, 1, 1, true));
        b.add("expand3x3_activation", Elementwise.inplace("ReLU"));
        return b.forward((self, x, f) -> {
            Shape s = Tv.chain(self, x, f, List.of("squeeze", "squeeze_activation"));
            Shape a1 = self.run("expand1x1_activation", self.run("expand1x1", s, f), f);
            Shape a3 = self.run("expand3x3_activation", self.run("expand3x3", s, f), f);
            return Tv.cat(f, a1, a3);
        });
    }
}
