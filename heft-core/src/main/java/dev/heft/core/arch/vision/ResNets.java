package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Pool;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;

/**
 * ResNet, Wide ResNet and ResNeXt (torchvision/models/resnet.py). He et al., "Deep Residual Learning for Image
 * Recognition" (2015); Zagoruyko and Komodakis, "Wide Residual Networks" (2016); Xie et al., "Aggregated Residual
 * Transformations for Deep Neural Networks" (2016).
 */
final class ResNets {
    private ResNets() {}

    /**
     * {@code ResNet(block, layers, groups=1, width_per_group=64)}: conv1 7x7/2, bn1, relu, maxpool 3/2, layer1..4,
     * avgpool, fc. {@code bottleneck} picks Bottleneck (expansion 4) over BasicBlock (expansion 1).
     */
    static Module resnet(boolean bottleneck, int[] layers, long groups, long widthPerGroup) {
        Block net = new Block("ResNet");
        net.add("conv1", Conv.conv2d(3, 64, 7, 2, 3, 1, false));
        net.add("bn1", Norm.batchNorm2d(64));
        net.add("relu", Elementwise.inplace("ReLU"));
        net.add("maxpool", Pool.maxPool2d(3, 2, 1, false));
        long expansion = bottleneck ? 4 : 1;
        long inplanes = 64;
        long[] planes = {64, 128, 256, 512};
        for (int i = 0; i < 4; i++) {
            Sequential layer = new Sequential();
            for (int b = 0; b < layers[i]; b++) {
                long stride = b == 0 && i > 0 ? 2 : 1;
                layer.append(
                        bottleneck
                                ? bottleneck(inplanes, planes[i], stride, groups, widthPerGroup)
                                : basic(inplanes, planes[i], stride));
                inplanes = planes[i] * expansion;
            }
            net.add("layer" + (i + 1), layer);
        }
        net.add("avgpool", Pool.adaptiveAvg2d(1));
        net.add("fc", Tv.head(512 * expansion, 1000, true));
        return net.forward((self, x, f) -> {
            Shape y = Tv.chain(
                    self,
                    x,
                    f,
                    java.util.List.of(
                            "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"));
            return self.run("fc", Tv.flatten(y, f), f);
        });
    }

    /** {@code downsample = Sequential(conv1x1(inplanes, planes * expansion, stride), BatchNorm2d)} when shapes change. */
    private static Module downsample(Block block, long inplanes, long out, long stride) {
        if (stride == 1 && inplanes == out) {
            return null;
        }
        Sequential d = new Sequential();
        d.append(Conv.conv2d(inplanes, out, 1, stride, 0, 1, false));
        d.append(Norm.batchNorm2d(out));
        return block.add("downsample", d);
    }

    /** BasicBlock: conv3x3(stride), bn1, relu, conv3x3, bn2, [downsample]. */
    private static Module basic(long inplanes, long planes, long stride) {
        Block b = new Block("BasicBlock");
        b.add("conv1", Conv.conv2d(inplanes, planes, 3, stride, 1, 1, false));
        b.add("bn1", Norm.batchNorm2d(planes));
        b.add("relu", Elementwise.inplace("ReLU"));
        b.add("conv2", Conv.conv2d(planes, planes, 3, 1, 1, 1, false));
        b.add("bn2", Norm.batchNorm2d(planes));
        Module down = downsample(b, inplanes, planes, stride);
        return b.forward((self, x, f) -> {
            Shape y = Tv.chain(self, x, f, java.util.List.of("conv1", "bn1", "relu", "conv2", "bn2"));
            if (down != null) {
                self.run("downsample", x, f);
            }
            return self.run("relu", y, f); // out += identity; out = self.relu(out): both in place
        });
    }

    /**
     * Bottleneck (ResNet v1.5, stride on the 3x3): width = {@code int(planes * (base_width / 64)) * groups};
     * conv1 1x1, bn1, conv2 3x3(stride, groups), bn2, conv3 1x1 to planes*4, bn3, relu, [downsample].
     */
    private static Module bottleneck(long inplanes, long planes, long stride, long groups, long widthPerGroup) {
        long width = planes * widthPerGroup / 64 * groups;
        Block b = new Block("Bottleneck");
        b.add("conv1", Conv.conv2d(inplanes, width, 1, 1, 0, 1, false));
        b.add("bn1", Norm.batchNorm2d(width));
        b.add("conv2", Conv.conv2d(width, width, 3, stride, 1, groups, false));
        b.add("bn2", Norm.batchNorm2d(width));
        b.add("conv3", Conv.conv2d(width, planes * 4, 1, 1, 0, 1, false));
        b.add("bn3", Norm.batchNorm2d(planes * 4));
        b.add("relu", Elementwise.inplace("ReLU"));
        Module down = downsample(b, inplanes, planes * 4, stride);
        return b.forward((self, x, f) -> {
            Shape y = Tv.chain(
                    self, x, f, java.util.List.of("conv1", "bn1", "relu", "conv2", "bn2", "relu", "conv3", "bn3"));
            if (down != null) {
                self.run("downsample", x, f);
            }
            return self.run("relu", y, f); // out += identity; out = self.relu(out): both in place
        });
    }
}
