package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import java.util.List;

/**
 * Normalisation layers (torch/nn/modules/normalization.py, batchnorm.py, instancenorm.py). None of them does a matrix
 * product, so FlopCounterMode counts 0 for all of them.
 */
public final class Norm extends Module {
    private final int channelDim;
    private final Shape normalized;

    private Norm(String torchClass, int channelDim, Shape normalized) {
        super(torchClass, LayerKind.NORM);
        this.channelDim = channelDim;
        this.normalized = normalized;
    }

    /** {@code LayerNorm(normalized_shape, eps, elementwise_affine=True, bias=True)}: weight and bias of that shape. */
    public static Norm layerNorm(String torchClass, Shape normalized, boolean affine, boolean bias) {
        Norm n = new Norm(torchClass, -1, normalized);
        if (affine) {
            n.parameter("weight", normalized.toArray());
            if (bias) {
                n.parameter("bias", normalized.toArray());
            }
        }
        return n;
    }

    public static Norm layerNorm(long dim) {
        return layerNorm("LayerNorm", Shape.of(dim), true, true);
    }

    /**
     * A LayerNorm over the channel dimension of an NCHW tensor (torchvision's {@code LayerNorm2d}, a subclass of
     * nn.LayerNorm that permutes to channels-last and back): weight and bias {@code [C]}.
     */
    public static Norm channelsLayerNorm(String torchClass, long channels) {
        Norm n = new Norm(torchClass, 1, Shape.of(channels));
        n.parameter("weight", channels);
        n.parameter("bias", channels);
        return n;
    }

    /** {@code RMSNorm(normalized_shape, eps=None, elementwise_affine=True)}: weight only. */
    public static Norm rmsNorm(Shape normalized, boolean affine) {
        Norm n = new Norm("RMSNorm", -1, normalized);
        if (affine) {
            n.parameter("weight", normalized.toArray());
        }
        return n;
    }

    /**
     * {@code BatchNorm{1,2,3}d} and {@code InstanceNorm{1,2,3}d} (_NormBase): weight and bias {@code [C]} when affine;
     * buffers running_mean, running_var {@code [C]} and num_batches_tracked (a 0-d long) when tracking statistics.
     */
    public static Norm batchOrInstance(String torchClass, long channels, boolean affine, boolean trackRunningStats) {
        Norm n = new Norm(torchClass, 1, Shape.of(channels));
        if (affine) {
            n.parameter("weight", channels);
            n.parameter("bias", channels);
        }
        if (trackRunningStats) {
            n.buffer("running_mean", channels);
            n.buffer("running_var", channels);
            n.buffer("num_batches_tracked");
        }
        return n;
    }

    public static Norm batchNorm2d(long channels) {
        return batchOrInstance("BatchNorm2d", channels, true, true);
    }

    /** {@code GroupNorm(num_groups, num_channels, eps, affine=True)}: weight and bias {@code [C]}. */
    public static Norm groupNorm(long channels, boolean affine) {
        Norm n = new Norm("GroupNorm", 1, Shape.of(channels));
        if (affine) {
            n.parameter("weight", channels);
            n.parameter("bias", channels);
        }
        return n;
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        if (channelDim == 1) {
            require(input.rank() >= 2 && input.dim(1) == normalized.dim(0), input, "[N, " + normalized.dim(0) + ", *]");
        } else {
            List<Long> tail = input.rank() >= normalized.rank()
                    ? input.dims().subList(input.rank() - normalized.rank(), input.rank())
                    : List.of();
            require(tail.equals(normalized.dims()), input, "trailing dimensions " + normalized);
        }
        return input;
    }
}
