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
 * MNASNet (Tan et al., "MnasNet: Platform-Aware Neural Architecture Search for Mobile", 2018; torchvision/models/
 * mnasnet.py) and ShuffleNetV2 (Ma et al., "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture
 * Design", 2018; shufflenetv2.py).
 */
final class SmallNets {
    private SmallNets() {}

    // ---- MNASNet ----

    /** {@code _round_to_multiple_of(val, divisor, round_up_bias=0.9)}. */
    static long roundToMultipleOf(double val, long divisor) {
        long v = Math.max(divisor, (long) (val + divisor / 2.0) / divisor * divisor);
        return v >= 0.9 * val ? v : v + divisor;
    }

    static Module mnasnet(double alpha) {
        long[] base = {32, 16, 24, 40, 80, 96, 192, 320};
        long[] d = new long[base.length];
        for (int i = 0; i < base.length; i++) {
            d[i] = roundToMultipleOf(base[i] * alpha, 8);
        }
        Sequential layers = new Sequential();
        layers.append(Conv.conv2d(3, d[0], 3, 2, 1, 1, false))
                .append(Norm.batchNorm2d(d[0]))
                .append(Elementwise.inplace("ReLU"))
                .append(Conv.conv2d(d[0], d[0], 3, 1, 1, d[0], false))
                .append(Norm.batchNorm2d(d[0]))
                .append(Elementwise.inplace("ReLU"))
                .append(Conv.conv2d(d[0], d[1], 1, 1, 0, 1, false))
                .append(Norm.batchNorm2d(d[1]))
                .append(stack(d[1], d[2], 3, 2, 3, 3))
                .append(stack(d[2], d[3], 5, 2, 3, 3))
                .append(stack(d[3], d[4], 5, 2, 6, 3))
                .append(stack(d[4], d[5], 3, 1, 6, 2))
                .append(stack(d[5], d[6], 5, 2, 6, 4))
                .append(stack(d[6], d[7], 3, 1, 6, 1))
                .append(Conv.conv2d(d[7], 1280, 1, 1, 0, 1, false))
                .append(Norm.batchNorm2d(1280))
                .append(Elementwise.inplace("ReLU"));
        Sequential classifier = new Sequential();
        classifier.append(new Elementwise("Dropout")).append(Tv.head(1280, 1000, true));
        Block net = new Block("MNASNet");
        net.add("layers", layers);
        net.add("classifier", classifier);
        return net.forward((self, x, f) -> {
            Shape y = self.run("layers", x, f);
            Shape mean = f.allocate(Shape.of(y.dim(0), y.dim(1))); // x = x.mean([2, 3])
            f.release(y);
            return self.run("classifier", mean, f);
        });
    }

    /** _stack(in, out, kernel, stride, expansion, repeats): the first block strides, the rest keep the shape. */
    private static Module stack(long in, long out, long kernel, long stride, long expansion, int repeats) {
        Sequential s = new Sequential();
        s.append(mnasResidual(in, out, kernel, stride, expansion));
        for (int i = 1; i < repeats; i++) {
            s.append(mnasResidual(out, out, kernel, 1, expansion));
        }
        return s;
    }

    /** _InvertedResidual: 1x1 expand, kxk depthwise (padding k // 2), 1x1 project, each with BatchNorm2d. */
    private static Module mnasResidual(long in, long out, long kernel, long stride, long expansion) {
        long mid = in * expansion;
        Sequential layers = new Sequential();
        layers.append(Conv.conv2d(in, mid, 1, 1, 0, 1, false))
                .append(Norm.batchNorm2d(mid))
                .append(Elementwise.inplace("ReLU"))
                .append(Conv.conv2d(mid, mid, kernel, stride, kernel / 2, mid, false))
                .append(Norm.batchNorm2d(mid))
                .append(Elementwise.inplace("ReLU"))
                .append(Conv.conv2d(mid, out, 1, 1, 0, 1, false))
                .append(Norm.batchNorm2d(out));
        Block b = new Block("_InvertedResidual");
        b.add("layers", layers);
        boolean residual = in == out && stride == 1;
        // apply_residual: return self.layers(input) + input (a new tensor)
        return b.forward((self, x, f) -> residual ? Tv.newLike(self.run("layers", x, f), f) : self.run("layers", x, f));
    }

    // ---- ShuffleNetV2 ----

    static Module shufflenetV2(long[] stageOut) {
        Block net = new Block("ShuffleNetV2");
        Sequential conv1 = new Sequential();
        conv1.append(Conv.conv2d(3, stageOut[0], 3, 2, 1, 1, false))
                .append(Norm.batchNorm2d(stageOut[0]))
                .append(Elementwise.inplace("ReLU"));
        net.add("conv1", conv1);
        net.add("maxpool", Pool.maxPool2d(3, 2, 1, false));
        int[] repeats = {4, 8, 4};
        long in = stageOut[0];
        for (int s = 0; s < 3; s++) {
            Sequential stage = new Sequential();
            long out = stageOut[s + 1];
            stage.append(shuffleResidual(in, out, 2));
            for (int i = 1; i < repeats[s]; i++) {
                stage.append(shuffleResidual(out, out, 1));
            }
            net.add("stage" + (s + 2), stage);
            in = out;
        }
        Sequential conv5 = new Sequential();
        conv5.append(Conv.conv2d(in, stageOut[4], 1, 1, 0, 1, false))
                .append(Norm.batchNorm2d(stageOut[4]))
                .append(Elementwise.inplace("ReLU"));
        net.add("conv5", conv5);
        net.add("fc", Tv.head(stageOut[4], 1000, true));
        return net.forward((self, x, f) -> {
            Shape y = Tv.chain(self, x, f, List.of("conv1", "maxpool", "stage2", "stage3", "stage4", "conv5"));
            Shape mean = f.allocate(Shape.of(y.dim(0), y.dim(1))); // x = x.mean([2, 3])
            f.release(y);
            return self.run("fc", mean, f);
        });
    }

    /**
     * InvertedResidual (ShuffleNetV2): stride 2 runs branch1 (3x3 depthwise, BN, 1x1, BN, ReLU) and branch2 on the
     * whole input; stride 1 splits channels in half, branch1 is an empty Sequential and branch2 sees one half.
     */
    private static Module shuffleResidual(long in, long out, long stride) {
        long half = out / 2;
        Block b = new Block("InvertedResidual");
        Sequential branch1 = new Sequential();
        if (stride > 1) {
            branch1.append(Conv.conv2d(in, in, 3, stride, 1, in, false))
                    .append(Norm.batchNorm2d(in))
                    .append(Conv.conv2d(in, half, 1, 1, 0, 1, false))
                    .append(Norm.batchNorm2d(half))
                    .append(Elementwise.inplace("ReLU"));
        }
        b.add("branch1", branch1);
        Sequential branch2 = new Sequential();
        branch2.append(Conv.conv2d(stride > 1 ? in : half, half, 1, 1, 0, 1, false))
                .append(Norm.batchNorm2d(half))
                .append(Elementwise.inplace("ReLU"))
                .append(Conv.conv2d(half, half, 3, stride, 1, half, false))
                .append(Norm.batchNorm2d(half))
                .append(Conv.conv2d(half, half, 1, 1, 0, 1, false))
                .append(Norm.batchNorm2d(half))
                .append(Elementwise.inplace("ReLU"));
        b.add("branch2", branch2);
        // out = torch.cat((x1, self.branch2(x2)) or (self.branch1(x), self.branch2(x)), 1); then channel_shuffle,
        // whose transpose(1, 2).contiguous() copies the concatenation before it is dropped
        return b.forward((self, x, f) -> {
            Shape cat;
            if (stride == 1) {
                Shape x1 = f.alias(x.with(1, x.dim(1) / 2), x); // x.chunk(2, dim=1): views
                Shape x2 = f.alias(x.with(1, x.dim(1) / 2), x);
                cat = Tv.cat(f, x1, self.run("branch2", x2, f));
            } else {
                cat = Tv.cat(f, self.run("branch1", x, f), self.run("branch2", x, f));
            }
            Shape shuffled = f.allocate(cat);
            f.release(cat);
            return shuffled;
        });
    }
}
