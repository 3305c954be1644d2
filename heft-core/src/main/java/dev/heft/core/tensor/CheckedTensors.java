package dev.heft.core.tensor;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The tensor list of a {@link TensorInventory}: immutable, and past {@link InventoryLimits#check} once. An inventory
 * rebuilt around the same list (a config attached, notes added) keeps it without checking its tens of thousands of
 * tensors again; a reader hands each inventory through three or four such steps (issue 12).
 */
final class CheckedTensors extends AbstractList<Tensor> implements RandomAccess {
    private final List<Tensor> tensors;

    private CheckedTensors(List<Tensor> tensors) {
        this.tensors = tensors;
    }

    /** {@code tensors} as an immutable, checked list: itself when it is one already. */
    static List<Tensor> of(List<Path> files, List<Tensor> tensors) {
        if (tensors instanceof CheckedTensors checked) {
            return checked;
        }
        List<Tensor> copy = List.copyOf(tensors);
        InventoryLimits.check(files, copy);
        return new CheckedTensors(copy);
    }

    @Override
    public Tensor get(int index) {
        return tensors.get(index);
    }

    @Override
    public int size() {
        return tensors.size();
    }
}
