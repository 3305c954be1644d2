package dev.heft.core.tensor;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import java.nio.file.Path;
import java.util.List;

/**
 * What every {@link TensorInventory} satisfies, checked once when it is built, whatever reader built it: so that no
 * total downstream (inspect's sums, memory, fit, compress, speed) can overflow, and no name can cost more to print than
 * a model's worth of tables. A reader's own checks come first and name the byte offset; this is the net under them.
 *
 * <ul>
 *   <li>each tensor's element count is a product that fits 64 bits (else corrupt: the shape cannot be);</li>
 *   <li>the model's totals of elements, parameters and bytes are at most {@value #MAX_TOTAL} (2^53, 9.0e15): the
 *       largest integer a double holds exactly, so ratios and per-parameter arithmetic downstream stay exact and a
 *       product with any dtype width or optimizer factor stays inside 64 bits; the largest checkpoints published hold
 *       about 2e12 parameters. Elements are not always backed by bytes (a sparse tensor's dense shape, a stride-0 view
 *       as {@code expand()} saves it), so a file can declare more; such a file is refused as unsupported;</li>
 *   <li>at most {@value #MAX_TENSORS} tensors (the largest mixture-of-experts checkpoints store about 10^5);</li>
 *   <li>names of at most {@value #MAX_NAME_CHARS} characters (most are under 300; TFLite converters fuse op names
 *       into names of kilobytes, which its reader cuts at 4 KiB).</li>
 * </ul>
 */
public final class InventoryLimits {
    public static final long MAX_TOTAL = 1L << 53;
    public static final int MAX_TENSORS = 1 << 20;
    public static final int MAX_NAME_CHARS = 1 << 16;
    /** Errors about the whole model name no tensor. */
    private static final String NO_KEY = null;

    private InventoryLimits() {}

    /**
     * Checks {@code tensors} as every inventory is checked. A reader that sums its own totals before it builds the
     * inventory (view bytes, trainable counts) calls this first, so its sums cannot overflow either.
     *
     * @throws CorruptModelException     when a shape's element count overflows 64 bits
     * @throws UnsupportedModelException when a limit above is exceeded
     */
    public static void check(List<Path> files, List<Tensor> tensors) {
        totals(files, tensors);
    }

    /**
     * {@link #check} that also answers the totals it summed: elements, parameters and bytes, in that order, each at
     * most {@link #MAX_TOTAL}.
     */
    static long[] totals(List<Path> files, List<Tensor> tensors) {
        Path first = files.isEmpty() ? null : files.getFirst();
        if (tensors.size() > MAX_TENSORS) {
            throw new UnsupportedModelException(
                    first, NO_KEY, tensors.size() + " tensors; heft reads at most " + MAX_TENSORS + " per model");
        }
        long[] totals = new long[3]; // elements, parameters, bytes
        for (Tensor t : tensors) {
            check(first, t, totals);
        }
        return totals;
    }

    /**
     * One tensor, adding to {@code totals}. Its own method, not the loop's body: C1 compiles a method after a few
     * hundred calls, but a loop inside one call only after Tier3BackEdgeThreshold back edges (60,000 unless the
     * launcher lowers it), so a one-shot inspect of a 45k-tensor checkpoint ran the whole loop in the interpreter
     * (issue 12).
     */
    private static void check(Path first, Tensor t, long[] totals) {
        Path file = t.file() != null ? t.file() : first;
        if (t.name().length() > MAX_NAME_CHARS) {
            throw new UnsupportedModelException(
                    file,
                    NO_KEY,
                    "a tensor name of "
                            + t.name().length() + " characters (starting '"
                            + t.name().substring(0, 40) + "...'); heft "
                            + "reads names of at most " + MAX_NAME_CHARS);
        }
        long n;
        try {
            n = t.elements(); // the shape as stored, without the defensive copy t.shape() makes
        } catch (ArithmeticException e) {
            throw new CorruptModelException(
                    file, t.name(), "shape " + Shapes.format(t.shape()) + " has more elements than 64 bits can count");
        }
        totals[0] = total(file, t, totals[0], n, "elements");
        totals[1] = total(file, t, totals[1], t.parameters(), "parameters");
        totals[2] = total(file, t, totals[2], t.bytes(), "bytes");
    }

    private static long total(Path file, Tensor t, long sum, long add, String what) {
        if (add > MAX_TOTAL) {
            throw new UnsupportedModelException(
                    file,
                    t.name(),
                    "tensor of shape " + Shapes.format(t.shape())
                            + " has " + add + " " + what + ", more than the " + MAX_TOTAL
                            + " (2^53) heft counts in a whole "
                            + "model; no real model comes near that (elements a file declares without storing them, as a "
                            + "sparse tensor's dense shape or a stride-0 view, are the usual cause)");
        }
        if (add > MAX_TOTAL - sum) {
            throw new UnsupportedModelException(
                    file,
                    t.name(),
                    "the model's " + what + " pass " + MAX_TOTAL
                            + " (2^53) at this tensor (" + add + " " + what + ", shape " + Shapes.format(t.shape())
                            + "); no real model comes near that");
        }
        return sum + add;
    }
}
