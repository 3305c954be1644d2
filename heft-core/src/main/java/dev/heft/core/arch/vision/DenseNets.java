package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
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
    private DenseNets() {}

    static Module densenet(long growth, int[] blocks, long initFeatures) {
        Sequential features = new Sequential();
        features.append("conv0", Conv.conv2d(3, initFeatures, 7, 2, 3, 1, false));
        features.append("norm0", Norm.batchNorm2d(initFeatures));
        features.append("relu0", Elementwise.inplace("ReLU"));
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
        // out = F.relu(features, inplace=True); F.adaptive_avg_pool2d(out, (1, 1)); torch.flatten(out, 1)
        return net.forward((self, x, f) -> {
            Shape features1 = self.run("features", x, f);
            Shape y = f.allocate(pool.forward(f.alias(features1, features1), f));
            return self.run("classifier", Tv.flatten(y, f), f);
        });
    }

    /** _DenseBlock: each _DenseLayer sees the concatenation of all earlier outputs and adds growth_rate channels. */
    private static Module denseBlock(int layers, long in, long growth) {
        Block b = new Block("_DenseBlock");
        for (int i = 0; i < layers; i++) {
            b.add("denselayer" + (i + 1), denseLayer(in + i * growth, growth));
        }
        // features = [init]; each layer takes the list and concatenates it itself; return torch.cat(features, 1)
        return b.forward((self, x, f) -> {
            java.util.List<Shape> features = new java.util.ArrayList<>(List.of(x));
            for (String name : self.children().keySet()) {
                // the list travels as a view of its first tensor shaped like its concatenation (no new bytes)
                Shape list = f.alias(Tv.concat(features.toArray(Shape[]::new)), x);
                features.add(self.run(name, list, f));
            }
            return Tv.cat(f, features.toArray(Shape[]::new));
        });
    }

    /** _DenseLayer: norm1, relu1, conv1 1x1 to bn_size*growth, norm2, relu2, conv2 3x3 to growth. */
    private static Module denseLayer(long in, long growth) {
        Block b = new Block("_DenseLayer");
        b.add("norm1", Norm.batchNorm2d(in));
        b.add("relu1", Elementwise.inplace("ReLU"));
        b.add("conv1", Conv.conv2d(in, 4 * growth, 1, 1, 0, 1, false));
        b.add("norm2", Norm.batchNorm2d(4 * growth));
        b.add("relu2", Elementwise.inplace("ReLU"));
        b.add("conv2", Conv.conv2d(4 * growth, growth, 3, 1, 1, 1, false));
        // bn_function: conv1(relu1(norm1(torch.cat(inputs, 1)))), whose temporaries go when it returns; then
        // conv2(relu2(norm2(bottleneck)))
        return b.forward((self, x, f) -> {
            Shape cat = f.allocate(x);
            Shape n1 = self.run("norm1", cat, f);
            Shape r1 = self.run("relu1", n1, f);
            Shape bottleneck = self.run("conv1", r1, f);
            f.release(cat);
            f.release(n1);
            f.release(r1);
            return Tv.chain(self, bottleneck, f, List.of("norm2", "relu2", "conv2"));
        });
    }

    /** _Transition: norm, relu, conv 1x1 halving channels, 2x2 average pool. */
    private static Module transition(long in, long out) {
        Sequential t = new Sequential("_Transition");
        t.append("norm", Norm.batchNorm2d(in));
        t.append("relu", Elementwise.inplace("ReLU"));
        t.append("conv", Conv.conv2d(in, out, 1, 1, 0, 1, false));
        t.append("pool", Pool.avgPool2d(2, 2, 0));
        return t;
    }
}
