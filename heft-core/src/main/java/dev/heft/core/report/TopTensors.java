package dev.heft.core.report;

import dev.heft.core.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The k largest tensors by bytes (ties: by name), kept in one pass with a sorted array of k slots instead of sorting all
 * of them: inspect lists 10 of a checkpoint's tens of thousands of tensors.
 */
final class TopTensors {
    private final Tensor[] top;
    private int size;

    TopTensors(int k) {
        top = new Tensor[k];
    }

    /** Whether {@code a} ranks before {@code b}: more bytes first, then the name in natural order. */
    private static boolean before(Tensor a, Tensor b) {
        return a.bytes() != b.bytes() ? a.bytes() > b.bytes() : a.name().compareTo(b.name()) < 0;
    }

    void offer(Tensor t) {
        if (top.length == 0 || (size == top.length && !before(t, top[size - 1]))) {
            return;
        }
        int i = size == top.length ? size - 1 : size++;
        while (i > 0 && before(t, top[i - 1])) {
            top[i] = top[i - 1];
            i--;
        }
        top[i] = t;
    }

    List<Tensor> inOrder() {
        return List.copyOf(Arrays.asList(top).subList(0, size));
    }
}
