package dev.heft.core.arch.torch;

import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor shape, outermost dimension first, as torch prints {@code tensor.shape}. An empty list is a 0-d (scalar)
 * tensor with one element, like BatchNorm's {@code num_batches_tracked}.
 */
public record Shape(List<Long> dims) {
    public Shape {
        dims = List.copyOf(dims);
        for (long d : dims) {
            if (d < 0) {
                throw new InvalidInputException("negative dimension " + d + " in shape " + dims);
            }
        }
    }

    public static Shape of(long... dims) {
        List<Long> list = new ArrayList<>(dims.length);
        for (long d : dims) {
            list.add(d);
        }
        return new Shape(list);
    }

    /** Parses {@code "1,3,224,224"} (the CLI's {@code --input N,C,H,W}); every dimension a positive integer. */
    public static Shape parse(String text) {
        String[] parts = text.trim().split("\\s*[,x]\\s*");
        if (text.isBlank() || parts.length > 64) {
            throw new InvalidInputException(
                    "input shape '" + text + "': expected comma-separated sizes like 1,3,224,224");
        }
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("input shape '" + text + "': '" + parts[i] + "' is not an integer");
            }
            if (dims[i] < 1) {
                throw new InvalidInputException("input shape '" + text + "': sizes must be positive, got " + dims[i]);
            }
        }
        return of(dims);
    }

    public int rank() {
        return dims.size();
    }

    /** Dimension {@code i}; negative indices count from the end like Python. */
    public long dim(int i) {
        int j = i < 0 ? dims.size() + i : i;
        if (j < 0 || j >= dims.size()) {
            throw new InvalidInputException("dimension " + i + " does not exist in shape " + dims);
        }
        return dims.get(j);
    }

    /** Number of elements (product of dimensions; 1 for a scalar), overflow-checked. */
    public long numel() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Product of the dimensions in {@code [from, to)}. */
    public long product(int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n = Math.multiplyExact(n, dims.get(i));
        }
        return n;
    }

    /** This shape with dimension {@code i} (negative from the end) replaced. */
    public Shape with(int i, long value) {
        int j = i < 0 ? dims.size() + i : i;
        List<Long> copy = new ArrayList<>(dims);
        copy.set(j, value);
        return new Shape(copy);
    }

    /** The leading {@code n} dimensions followed by {@code tail}. */
    public Shape prefix(int n, long... tail) {
        List<Long> copy = new ArrayList<>(dims.subList(0, n));
        for (long t : tail) {
            copy.add(t);
        }
        return new Shape(copy);
    }

    public long[] toArray() {
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public String toString() {
        return dims.toString();
    }
}
