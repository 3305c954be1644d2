package dev.heft.core.format.tflite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.error.ModelFormatException;
import dev.heft.core.tensor.TensorInventory;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Random byte mutations of a valid fixture: the reader either reads it or fails with a typed format error. */
class TfliteMutationTest {
    private static final byte[] VALID = TfliteFixtures.model();

    @Property(tries = 3000)
    void mutatedModelsReadOrFailTyped(@ForAll @IntRange(min = 0, max = 100_000) int position,
                                      @ForAll byte value, @ForAll @IntRange(min = 1, max = 4) int count) {
        byte[] bytes = VALID.clone();
        for (int i = 0; i < count; i++) {
            bytes[(position + i * 7919) % bytes.length] = (byte) (value + i * 31);
        }
        try {
            TensorInventory inv = TfliteReader.read(MemorySegment.ofArray(bytes), Path.of("mutated.tflite"));
            assertThat(inv.tensorBytes()).isBetween(0L, (long) bytes.length);
        } catch (ModelFormatException expected) {
            assertThat(expected.getMessage()).contains("mutated.tflite");
        }
    }
}
