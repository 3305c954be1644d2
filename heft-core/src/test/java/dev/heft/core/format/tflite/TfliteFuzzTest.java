package dev.heft.core.format.tflite;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.FuzzBudget;
import dev.heft.core.testing.SeedCorpus;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over the TFLite flatbuffer walker: any bytes give an inventory whose stored tensors lie inside the input, or
 * a {@link ModelFormatException} naming the file; nothing else (an IndexOutOfBounds from a vector past the end, an
 * ArithmeticException, an allocation above {@link FuzzBudget}) may escape. Seeds: {@link #seeds()}, from
 * {@link TfliteFixtures}; {@code scripts/fuzz.sh tflite} fuzzes.
 */
class TfliteFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    private static final Path FILE = Path.of("fuzz.tflite");

    @FuzzTest(maxDuration = "60s")
    void flatbuffers(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> {
            try {
                TensorInventory inv = TfliteReader.read(MemorySegment.ofArray(data), FILE);
                for (Tensor t : inv.tensors()) {
                    if (t.offset() < 0 || t.offset() > data.length - t.bytes()) {
                        throw new AssertionError(t.name() + " lies outside the input: " + t);
                    }
                }
            } catch (ModelFormatException expected) {
                if (expected.file() != FILE) {
                    throw new AssertionError("error without its file: " + expected.getMessage());
                }
            }
        });
    }

    /** The fixture model, a version-2 copy (refused), a model with no buffers, and one sharing a buffer. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("fixture.tflite", TfliteFixtures.model());
        seeds.put(
                "version2.tflite",
                FlatWriter.file("TFL3", TfliteFixtures.model(TfliteFixtures.tensors(), TfliteFixtures.buffers(), 2)));
        seeds.put(
                "no-buffers.tflite",
                FlatWriter.file(
                        "TFL3",
                        TfliteFixtures.model(
                                List.of(TfliteFixtures.tensor("x", 0, 0, new int[] {1, 3}, null)),
                                List.of(TfliteFixtures.buffer(null)),
                                3)));
        seeds.put(
                "shared-buffer.tflite",
                FlatWriter.file(
                        "TFL3",
                        TfliteFixtures.model(
                                List.of(
                                        TfliteFixtures.tensor("a", 0, 1, new int[] {4, 3}, null),
                                        TfliteFixtures.tensor("b", 0, 1, new int[] {4, 3}, null)),
                                TfliteFixtures.buffers(),
                                3)));
        return seeds;
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        SeedCorpus.verify(SeedCorpus.dir(TfliteFuzzTest.class, "flatbuffers"), seeds());
    }

    /** Rewrites the seed corpus: run from heft-core with the test classpath. */
    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(TfliteFuzzTest.class, "flatbuffers"), seeds());
    }
}
