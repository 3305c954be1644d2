package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Flatten;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Pool;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import java.util.List;

/**
 * DenseNet (Huang et al., "Densely Connected Convolutional Networks", 2016; torchvision/models/densenet.py):
 * {@code DenseNet(growth_rate, block_config, num_init_features, bn_size=4)}.
 */
final class DenseNets {
    private DenseNets() {
    }

    static Module densenet(long growth, int[] blocks, long initFeatures) {
        Sequential features = new Sequential();
        features.append("conv0", Conv.conv2d(3, initFeatures, 7, 2, 3, 1, false));
        features.append("norm0", Norm.batchNorm2d(initFeatures));
        features.append("relu0", new Elementwise("ReLU"));
        features.append("pool0", Pool.maxPool2d(3, 2, 1, false));
        long c = initFeatures;
        for (int i = 0; i < blocks.length; i++) {
            features.append("denseblock" + (i + 1), denseBlock(blocks[i], c, growth));
            c += blocks[i] * growth;
            if (i != blocks.length - 1) {
                features.append("transition" + (i + 1), transition(c, c / 2));
                c /= 2;
            }
        }
        features.append("norm5", Norm.batchNorm2d(c));
        Block net = new Block("DenseNet");
        net.add("features", features);
        net.add("classifier", Tv.head(c, 1000, true));
        Module pool = Pool.adaptiveAvg2d(1);
        Flatten flatten = new Flatten(1, -1);
        return net.forward((self, x, f) -> {
            Shape y = pool.forward(self.run("features", x, f), f);
            return self.run("classifier", flatten.forward(y, f), f);
        });
    }

    /** _DenseBlock: each _DenseLayer sees the concatenation of all earlier outputs and adds growth_rate channels. */
    private static Module denseBlock(int layers, long in, long growth) {
        Block b = new Block("_DenseBlock");
        for (int i = 0; i < layers; i++) {
            b.add("denselayer" + (i + 1), denseLayer(in + i * growth, growth));
        }
        return b.forward((self, x, f) -> {
            Shape cat = x;
            for (Module layer : self.children().values()) {
                cat = Tv.concat(cat, layer.forward(cat, f));
            }
            return cat;
        });
    }

    /** _DenseLayer: norm1, relu1, conv1 1x1 to bn_size*growth, norm2, relu2, conv2 3x3 to growth. */
    private static Module denseLayer(long in, long growth) {
        Block b = new Block("_DenseLayer");
        b.add("norm1", Norm.batchNorm2d(in));
        b.add("relu1", new Elementwise("ReLU"));
        b.add("conv1", Conv.conv2d(in, 4 * growth, 1, 1, 0, 1, false));
        b.add("norm2", Norm.batchNorm2d(4 * growth));
        b.add("relu2", new Elementwise("ReLU"));
        b.add("conv2", Conv.conv2d(4 * growth, growth, 3, 1, 1, 1, false));
        return b.forward((self, x, f) -> Tv.chain(self, x, f, List.of("norm1", "conv1", "norm2", "conv2")));
    }

    /** _Transition: norm, relu, conv 1x1 halving channels, 2x2 average pool. */
    private static Module transition(long in, long out) {
        Sequential t = new Sequential("_Transition");
        t.append("norm", Norm.batchNorm2d(in));
        t.append("relu", new Elementwise("ReLU"));
        t.append("conv", Conv.conv2d(in, out, 1, 1, 0, 1, false));
        t.append("pool", Pool.avgPool2d(2, 2, 0));
        return t;
    }
}
