package dev.heft.core.tensor;

import java.util.Arrays;

/** Small helpers for tensor shapes, kept as {@code long[]} in the framework's logical (row-major, outermost first) order. */
public final class Shapes {
    private Shapes() {}

    /** Product of the dimensions; 1 for a scalar. Throws ArithmeticException on overflow, IllegalArgumentException on a negative dim. */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * GGUF/ggml lists dimensions innermost first ({@code ne[0]} is the contiguous row length); torch and safetensors
     * list them outermost first. This is the one place that reverses them.
     */
    public static long[] fromGgmlOrder(long[] ne) {
        long[] out = new long[ne.length];
        for (int i = 0; i < ne.length; i++) {
            out[i] = ne[ne.length - 1 - i];
        }
        return out;
    }

    public static String format(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
