package dev.heft.core.tensor;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The tensor list of a {@link TensorInventory}: immutable, and past {@link InventoryLimits#check} once. An inventory
 * rebuilt around the same list (a config attached, notes added) keeps it without checking its tens of thousands of
 * tensors again; a reader hands each inventory through three or four such steps (issue 12). The check sums the
 * parameters and bytes anyway, so the list keeps them for {@link TensorInventory#parameters()} and
 * {@link TensorInventory#tensorBytes()}.
 */
final class CheckedTensors extends AbstractList<Tensor> implements RandomAccess {
    /** An array, not a List: every pass over tens of thousands of tensors goes through {@link #get}, and an array
     * load there is cheaper for C1-compiled code than an interface call into another list (issue 12). */
    private final Tensor[] tensors;

    private final long parameters;
    private final long bytes;

    private CheckedTensors(Tensor[] tensors, long parameters, long bytes) {
        this.tensors = tensors;
        this.parameters = parameters;
        this.bytes = bytes;
    }

    /** {@code tensors} as an immutable, checked list: itself when it is one already. */
    static List<Tensor> of(List<Path> files, List<Tensor> tensors) {
        if (tensors instanceof CheckedTensors checked) {
            return checked;
        }
        Tensor[] copy = tensors.toArray(new Tensor[0]); // a null fails in the check, as it did in List.copyOf
        long[] totals = InventoryLimits.totals(files, Arrays.asList(copy));
        return new CheckedTensors(copy, totals[1], totals[2]);
    }

    /** The sum of every tensor's parameters (at most {@link InventoryLimits#MAX_TOTAL}). */
    long parameters() {
        return parameters;
    }

    /** The sum of every tensor's stored bytes (at most {@link InventoryLimits#MAX_TOTAL}). */
    long bytes() {
        return bytes;
    }

    @Override
    public Tensor get(int index) {
        return tensors[index];
    }

    @Override
    public int size() {
        return tensors.length;
    }
}
