package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.FlopCounter;
import dev.heft.core.arch.torch.Linear;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.classify.LayerKind;
import java.util.List;

/** Building blocks torchvision shares between families (torchvision/ops/misc.py, models/_utils.py). */
final class Tv {
    private Tv() {}

    /** A classifier's output Linear (torch class "Linear"), tallied under the HEAD kind. */
    static Linear head(long in, long out, boolean bias) {
        return new Linear("Linear", LayerKind.HEAD, in, out, bias);
    }

    /** Which normalisation a Conv2dNormActivation carries. */
    enum NormKind {
        BATCH,
        LAYER2D,
        NONE
    }

    /**
     * {@code Conv2dNormActivation(in, out, kernel_size, stride, padding=None, groups, norm_layer, activation_layer,
     * dilation, bias=None)}: padding defaults to {@code (k - 1) // 2 * dilation}, bias to "no norm layer".
     * Children "0" conv, "1" norm, "2" activation (absent ones are skipped, so indices stay dense).
     */
    static Sequential convNormAct(
            long in, long out, long kernel, long stride, long groups, NormKind norm, String activation) {
        return convNormAct(in, out, kernel, stride, (kernel - 1) / 2, groups, norm, activation, norm == NormKind.NONE);
    }

    static Sequential convNormAct(
            long in,
            long out,
            long kernel,
            long stride,
            long padding,
            long groups,
            NormKind norm,
            String activation,
            boolean bias) {
        Sequential s = new Sequential("Conv2dNormActivation");
        s.append(Conv.conv2d(in, out, kernel, stride, padding, groups, bias));
        switch (norm) {
            case BATCH -> s.append(Norm.batchNorm2d(out));
            case LAYER2D -> s.append(layerNorm2d(out));
            case NONE -> {}
        }
        if (activation != null) {
            s.append(Elementwise.inplace(activation)); // Conv2dNormActivation(inplace=True) by default
        }
        return s;
    }

    /** torchvision's {@code LayerNorm2d} (convnext.py): a LayerNorm over channels of an NCHW tensor. */
    static Module layerNorm2d(long channels) {
        return Norm.channelsLayerNorm("LayerNorm2d", channels);
    }

    /**
     * {@code SqueezeExcitation(input_channels, squeeze_channels)} (torchvision/ops/misc.py): avgpool, fc1 and fc2
     * 1x1 Conv2d with bias, then the input scaled channel-wise. The two convolutions run on a 1x1 map.
     */
    static Block squeezeExcitation(long channels, long squeeze, String activation, String scaleActivation) {
        Block b = new Block("SqueezeExcitation");
        b.add("avgpool", dev.heft.core.arch.torch.Pool.adaptiveAvg2d(1));
        b.add("fc1", Conv.conv2d(channels, squeeze, 1, 1, 0, 1, true));
        b.add("fc2", Conv.conv2d(squeeze, channels, 1, 1, 0, 1, true));
        b.add("activation", new Elementwise(activation));
        b.add("scale_activation", new Elementwise(scaleActivation));
        // _scale: avgpool, fc1, activation, fc2, scale_activation; forward returns scale * input (a new tensor)
        return b.forward((self, x, f) -> {
            Tv.chain(self, x, f, List.of("avgpool", "fc1", "activation", "fc2", "scale_activation"));
            return newLike(x, f);
        });
    }

    /** {@code _make_divisible(v, divisor, min_value=None)} (torchvision/models/_utils.py), from the MobileNet repo. */
    static long makeDivisible(double v, long divisor, long minValue) {
        long min = minValue <= 0 ? divisor : minValue;
        long newV = Math.max(min, (long) (v + divisor / 2.0) / divisor * divisor);
        if (newV < 0.9 * v) {
            newV += divisor;
        }
        return newV;
    }

    static long makeDivisible(double v, long divisor) {
        return makeDivisible(v, divisor, 0);
    }

    /** Runs children in order, like a Sequential, inside a Block's forward ({@code x = self.n(x)} for each n). */
    static Shape chain(Block self, Shape x, FlopCounter f, List<String> names) {
        Shape y = x;
        for (String n : names) {
            Shape next = self.run(n, y, f);
            f.release(y);
            y = next;
        }
        return y;
    }

    /** {@code torch.flatten(x, 1)}: a view of a contiguous tensor. */
    static Shape flatten(Shape x, FlopCounter f) {
        return f.alias(FLATTEN.forward(x, f), x);
    }

    private static final dev.heft.core.arch.torch.Flatten FLATTEN = new dev.heft.core.arch.torch.Flatten(1, -1);

    /** {@code torch.cat(parts, 1)}: a new tensor. */
    static Shape cat(FlopCounter f, Shape... parts) {
        return f.allocate(concat(parts));
    }

    /** An element-wise op of code ({@code x + y}, {@code x * scale}) that writes a new tensor of x's shape. */
    static Shape newLike(Shape x, FlopCounter f) {
        return f.allocate(x);
    }

    /** Channel concatenation of NCHW outputs with equal spatial size. */
    static Shape concat(Shape... parts) {
        long c = 0;
        for (Shape p : parts) {
            c += p.dim(1);
        }
        return parts[0].with(1, c);
    }
}
