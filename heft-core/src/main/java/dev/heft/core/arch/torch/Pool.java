package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter-free spatial pooling: {@code MaxPool/AvgPool{1,2,3}d} with kernel, stride, padding, dilation and
 * ceil_mode, and {@code AdaptiveAvgPool/AdaptiveMaxPool{1,2,3}d} with an output size. No FLOPs in FlopCounterMode.
 */
public final class Pool extends Module {
    private final long[] kernel;
    private final long[] stride;
    private final long[] padding;
    private final long[] dilation;
    private final boolean ceil;
    private final long[] adaptiveOutput;

    private Pool(
            String torchClass,
            long[] kernel,
            long[] stride,
            long[] padding,
            long[] dilation,
            boolean ceil,
            long[] adaptiveOutput) {
        super(torchClass, LayerKind.OTHER);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceil = ceil;
        this.adaptiveOutput = adaptiveOutput;
    }

    public static Pool window(
            String torchClass, long[] kernel, long[] stride, long[] padding, long[] dilation, boolean ceil) {
        return new Pool(torchClass, kernel.clone(), stride.clone(), padding.clone(), dilation.clone(), ceil, null);
    }

    public static Pool maxPool2d(long kernel, long stride, long padding, boolean ceil) {
        long[] k = {kernel, kernel};
        return window(
                "MaxPool2d", k, new long[] {stride, stride}, new long[] {padding, padding}, new long[] {1, 1}, ceil);
    }

    public static Pool avgPool2d(long kernel, long stride, long padding) {
        long[] k = {kernel, kernel};
        return window(
                "AvgPool2d", k, new long[] {stride, stride}, new long[] {padding, padding}, new long[] {1, 1}, false);
    }

    /** An adaptive pool; an output entry of -1 is Python's {@code None} (keep that input size). */
    public static Pool adaptive(String torchClass, long[] output) {
        return new Pool(torchClass, null, null, null, null, false, output.clone());
    }

    public static Pool adaptiveAvg2d(long size) {
        return adaptive("AdaptiveAvgPool2d", new long[] {size, size});
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        int dims = adaptiveOutput != null ? adaptiveOutput.length : kernel.length;
        require(input.rank() == dims + 1 || input.rank() == dims + 2, input, dims + " spatial dims after [N, C]");
        int lead = input.rank() - dims;
        List<Long> o = new ArrayList<>(input.dims().subList(0, lead));
        for (int i = 0; i < dims; i++) {
            long len = input.dim(lead + i);
            if (adaptiveOutput != null) {
                o.add(adaptiveOutput[i] < 0 ? len : adaptiveOutput[i]);
                continue;
            }
            o.add(windowOutput(input, len, kernel[i], stride[i], padding[i], dilation[i]));
        }
        Shape out = new Shape(o);
        if (torchClass().contains("Max")) {
            // F.max_pool2d runs aten.max_pool2d_with_indices and drops the int64 indices (ATen's max_pool2d)
            flops.scratch(out, Math.multiplyExact(out.numel(), 8L));
        }
        return out;
    }

    /** torch's pooling_output_shape: floor or ceil division, and a last window may not start inside the padding. */
    private long windowOutput(Shape input, long len, long k, long s, long p, long d) {
        long span = Math.subtractExact(
                Math.addExact(len, Math.multiplyExact(2, p)), Math.addExact(Math.multiplyExact(d, k - 1), 1));
        require(span >= 0, input, "spatial size at least the pooling window");
        long out = (ceil ? Math.ceilDiv(span, s) : span / s) + 1;
        if (ceil && Math.multiplyExact(out - 1, s) >= Math.addExact(len, p)) {
            out--;
        }
        return out;
    }
}
