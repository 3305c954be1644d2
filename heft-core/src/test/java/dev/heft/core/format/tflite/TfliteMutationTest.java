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
    private static final Path BUNDLES = Path.of("src/test/resources/fixtures/mediapipe");

    /** The MediaPipe-style bundles (zip structure, nested zips and inner flatbuffers) mutated the same way. */
    @Property(tries = 600)
    void mutatedBundlesReadOrFailTyped(
            @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll byte value,
            @ForAll @IntRange(min = 1, max = 4) int count,
            @ForAll @IntRange(min = 0, max = 2) int which)
            throws java.io.IOException {
        String name =
                new String[] {"hand_landmarker.task", "gesture_recognizer.task", "detector_with_assets.tflite"}[which];
        byte[] bytes = java.nio.file.Files.readAllBytes(BUNDLES.resolve(name));
        for (int i = 0; i < count; i++) {
            bytes[(position + i * 7919) % bytes.length] = (byte) (value + i * 31);
        }
        Path mutated = java.nio.file.Files.createTempFile("heft-mutated-", "-" + name);
        try {
            java.nio.file.Files.write(mutated, bytes);
            if (new TfliteReader().recognises(dev.heft.core.format.Formats.head(mutated), mutated)) {
                TensorInventory inv = new TfliteReader().read(mutated);
                assertThat(inv.tensorBytes()).isBetween(0L, (long) bytes.length);
            }
        } catch (ModelFormatException expected) {
            assertThat(expected.getMessage())
                    .contains(mutated.getFileName().toString())
                    .doesNotContain("\n");
        } finally {
            java.nio.file.Files.delete(mutated);
        }
    }

    @Property(tries = 3000)
    void mutatedModelsReadOrFailTyped(
            @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll byte value,
            @ForAll @IntRange(min = 1, max = 4) int count) {
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
