package dev.heft.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heft.core.error.UnsupportedModelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An inventory checks a tensor list once, keeps its sums, and still checks every new list. */
class CheckedTensorsTest {
    private static final Path FILE = Path.of("model.safetensors");

    private static Tensor weight(String name, long rows, long cols) {
        return Tensor.weight(name, new long[] {rows, cols}, DType.BF16, 0, rows * cols * 2, FILE);
    }

    @Test
    void rebuildsAroundTheSameListKeepItAndItsSums() {
        List<Tensor> tensors = List.of(weight("a.weight", 4, 8), weight("b.weight", 3, 5));
        TensorInventory inv = new TensorInventory(ModelFormat.SAFETENSORS, List.of(FILE), tensors, Map.of());
        TensorInventory noted = inv.withNotes(List.of("a note"));
        assertSame(inv.tensors(), noted.tensors());
        assertEquals(tensors, noted.tensors());
        assertEquals(4 * 8 + 3 * 5, noted.parameters());
        assertEquals((4 * 8 + 3 * 5) * 2, noted.tensorBytes());
        assertThrows(UnsupportedOperationException.class, () -> noted.tensors().add(tensors.getFirst()));
    }

    @Test
    void aNewListIsCheckedAgain() {
        TensorInventory inv = new TensorInventory(
                ModelFormat.SAFETENSORS, List.of(FILE), List.of(weight("a.weight", 2, 2)), Map.of());
        List<Tensor> more = new ArrayList<>(inv.tensors());
        more.add(weight("x".repeat(InventoryLimits.MAX_NAME_CHARS + 1), 1, 1));
        var e = assertThrows(UnsupportedModelException.class, () -> inv.withTensors(more));
        assertTrue(
                e.getMessage().contains("a tensor name of " + (InventoryLimits.MAX_NAME_CHARS + 1) + " characters"),
                e.getMessage());
    }

    @Test
    void totalsPastTheLimitAreRefusedAsBefore() {
        long side = 1L << 27; // 2^54 elements
        Tensor huge = new Tensor("huge", new long[] {side, side}, DType.U8, TensorRole.BUFFER, 0, 0, 1, FILE);
        var e = assertThrows(
                UnsupportedModelException.class,
                () -> new TensorInventory(ModelFormat.SAFETENSORS, List.of(FILE), List.of(huge), Map.of()));
        assertTrue(e.getMessage().contains("elements, more than the " + InventoryLimits.MAX_TOTAL), e.getMessage());
    }
}
