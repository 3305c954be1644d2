package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Flatten;
import dev.heft.core.arch.torch.Linear;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Permute;
import dev.heft.core.arch.torch.Pool;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.arch.vision.Tv.NormKind;
import dev.heft.core.classify.LayerKind;

/**
 * ConvNeXt (Liu et al., "A ConvNet for the 2020s", 2022; torchvision/models/convnext.py).
 */
final class ConvNexts {
    private ConvNexts() {}

    /** Stage widths and depths: tiny [96..768] x [3,3,9,3], small [3,3,27,3], base from 128, large from 192. */
    static Module convnext(long firstWidth, int[] depths) {
        Sequential features = new Sequential();
        // stem: Conv2dNormActivation(3, C, kernel_size=4, stride=4, padding=0, norm_layer=LayerNorm2d,
        // activation_layer=None, bias=True)
        features.append(Tv.convNormAct(3, firstWidth, 4, 4, 0, 1, NormKind.LAYER2D, null, true));
        long dim = firstWidth;
        for (int i = 0; i < depths.length; i++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < depths[i]; b++) {
                stage.append(cnBlock(dim));
            }
            features.append(stage);
            if (i != depths.length - 1) {
                Sequential down = new Sequential();
                down.append(Tv.layerNorm2d(dim)).append(Conv.conv2d(dim, 2 * dim, 2, 2, 0, 1, true));
                features.append(down);
                dim *= 2;
            }
        }
        Sequential classifier = new Sequential();
        classifier.append(Tv.layerNorm2d(dim)).append(new Flatten(1, -1)).append(Tv.head(dim, 1000, true));
        Block net = new Block("ConvNeXt");
        net.add("features", features);
        net.add("avgpool", Pool.adaptiveAvg2d(1));
        net.add("classifier", classifier);
        return net.forward(
                (self, x, f) -> Tv.chain(self, x, f, java.util.List.of("features", "avgpool", "classifier")));
    }

    /**
     * CNBlock: layer_scale {@code [dim, 1, 1]} owned by the block; 7x7 depthwise conv, permute to channels-last,
     * LayerNorm, Linear dim->4dim, GELU, Linear 4dim->dim, permute back.
     */
    private static Module cnBlock(long dim) {
        Block b = new Block("CNBlock", LayerKind.OTHER);
        b.ownParameter("layer_scale", dim, 1, 1);
        Sequential block = new Sequential();
        block.append(Conv.conv2d(dim, dim, 7, 1, 3, dim, true))
                .append(new Permute(0, 2, 3, 1))
                .append(Norm.layerNorm(dim))
                .append(new Linear(dim, 4 * dim, true))
                .append(new Elementwise("GELU"))
                .append(new Linear(4 * dim, dim, true))
                .append(new Permute(0, 3, 1, 2));
        b.add("block", block);
        b.add("stochastic_depth", new Elementwise("StochasticDepth"));
        // result = self.layer_scale * self.block(input) (a new tensor); stochastic_depth; result += input (in place)
        return b.forward((self, x, f) -> {
            Shape y = self.run("block", x, f);
            Shape scaled = Tv.newLike(y, f);
            f.release(y);
            return self.run("stochastic_depth", scaled, f);
        });
    }
}
