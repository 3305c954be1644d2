package dev.heft.core.format.keras;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.FuzzBudget;
import dev.heft.core.testing.SeedCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over HDF5 as heft reads it (jhdf walking object headers, then {@link KerasReader}'s accounting), from bytes in
 * memory: an inventory whose datasets lie inside the input, or a {@link ModelFormatException}; a jhdf runtime error,
 * a StackOverflowError or an allocation beyond {@link FuzzBudget} escaping is a finding. Seeds: {@link #seeds()}, the
 * Keras 3 and legacy files {@link KerasFixtures} writes with jhdf's writer.
 */
class Hdf5FuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    private static final Path FILE = Path.of("fuzz.h5");

    @FuzzTest(maxDuration = "60s")
    void hdf5(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> {
            try {
                TensorInventory inv = KerasReader.readH5(data, FILE);
                for (Tensor t : inv.tensors()) {
                    if (t.offset() >= 0 && t.offset() > data.length - t.bytes()) {
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

    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        try {
            Path tmp = Files.createTempDirectory("heft-h5-seeds");
            try {
                seeds.put(
                        "keras3.weights.h5",
                        Files.readAllBytes(KerasFixtures.keras3Weights(tmp.resolve("a.h5"), false)));
                seeds.put("legacy-model.h5", Files.readAllBytes(KerasFixtures.legacyModel(tmp.resolve("b.h5"), false)));
            } finally {
                try (var walk = Files.walk(tmp)) {
                    for (Path p :
                            walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seeds;
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        SeedCorpus.verify(SeedCorpus.dir(Hdf5FuzzTest.class, "hdf5"), seeds());
    }

    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(Hdf5FuzzTest.class, "hdf5"), seeds());
    }
}
