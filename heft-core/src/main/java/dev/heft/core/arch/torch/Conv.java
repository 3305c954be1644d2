package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.nn.Conv1d/2d/3d} and {@code ConvTranspose1d/2d/3d} (torch/nn/modules/conv.py, _ConvNd). Weight is
 * {@code [out, in/groups, *kernel]} for a convolution and {@code [in, out/groups, *kernel]} for a transposed one;
 * bias {@code [out]}.
 */
public final class Conv extends Module {
    /** Geometry per spatial dimension; {@code samePadding} is {@code padding='same'} (stride 1 only). */
    public record Geometry(
            long[] kernel, long[] stride, long[] padding, long[] dilation, long[] outputPadding, boolean samePadding) {
        public Geometry {
            kernel = kernel.clone();
            stride = stride.clone();
            padding = padding.clone();
            dilation = dilation.clone();
            outputPadding = outputPadding.clone();
        }

        public static Geometry of(int dims, long kernel, long stride, long padding) {
            return new Geometry(
                    fill(dims, kernel), fill(dims, stride), fill(dims, padding), fill(dims, 1), fill(dims, 0), false);
        }

        public static long[] fill(int dims, long v) {
            long[] a = new long[dims];
            java.util.Arrays.fill(a, v);
            return a;
        }
    }

    private final long in;
    private final long out;
    private final long groups;
    private final boolean transposed;
    private final Geometry g;
    private final Shape weight;

    public Conv(int dims, boolean transposed, long in, long out, Geometry g, long groups, boolean bias) {
        super((transposed ? "ConvTranspose" : "Conv") + dims + "d", LayerKind.CONV);
        if (groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new InvalidInputException(torchClass() + ": in_channels (" + in + ") and out_channels (" + out
                    + ") must both be divisible by groups (" + groups + ")");
        }
        if (g.kernel().length != dims) {
            throw new InvalidInputException(torchClass() + ": kernel_size needs " + dims + " values");
        }
        this.in = in;
        this.out = out;
        this.groups = groups;
        this.transposed = transposed;
        this.g = g;
        List<Long> w = new ArrayList<>();
        w.add(transposed ? in : out);
        w.add(transposed ? out / groups : in / groups);
        for (long k : g.kernel()) {
            w.add(k);
        }
        this.weight = new Shape(w);
        parameter("weight", weight.toArray());
        if (bias) {
            parameter("bias", out);
        }
    }

    /** A 2-d convolution with square kernel, as torchvision builds them. */
    public static Conv conv2d(long in, long out, long kernel, long stride, long padding, long groups, boolean bias) {
        return new Conv(2, false, in, out, Geometry.of(2, kernel, stride, padding), groups, bias);
    }

    public long outChannels() {
        return out;
    }

    public long groups() {
        return groups;
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        int dims = g.kernel().length;
        require(input.rank() == dims + 2 && input.dim(1) == in, input, "[N, " + in + ", " + dims + " spatial dims]");
        List<Long> o = new ArrayList<>(List.of(input.dim(0), out));
        for (int i = 0; i < dims; i++) {
            long len = input.dim(2 + i);
            long k = g.kernel()[i];
            long s = g.stride()[i];
            long p = g.padding()[i];
            long d = g.dilation()[i];
            long r;
            if (transposed) {
                // (L_in - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
                r = Math.addExact(
                        Math.subtractExact(Math.multiplyExact(len - 1, s), Math.multiplyExact(2, p)),
                        Math.addExact(Math.multiplyExact(d, k - 1), g.outputPadding()[i] + 1));
            } else if (g.samePadding()) {
                r = len;
            } else {
                // floor((L_in + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
                long span = Math.subtractExact(
                        Math.addExact(len, Math.multiplyExact(2, p)), Math.addExact(Math.multiplyExact(d, k - 1), 1));
                require(span >= 0, input, "spatial size at least the dilated kernel (" + (d * (k - 1) + 1) + ")");
                r = span / s + 1;
            }
            require(r > 0, input, "a positive output size");
            o.add(r);
        }
        Shape output = new Shape(o);
        flops.convolution(input, weight, output, transposed);
        return output;
    }
}
