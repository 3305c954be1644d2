package dev.heft.core.format.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.error.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random byte mutations of a generated legacy h5 and of a STORED .keras archive: each is read, or fails with a typed
 * format error naming the file. This covers heft's zip parsing and the wrapping of jhdf's exceptions.
 */
class KerasMutationTest {
    private static Path dir;
    private static byte[] h5;
    private static byte[] archive;

    @BeforeContainer
    static void writeFixtures() throws IOException {
        dir = Files.createTempDirectory("heft-keras-mutation");
        h5 = Files.readAllBytes(KerasFixtures.legacyModel(dir.resolve("legacy.h5"), false));
        archive = Files.readAllBytes(KerasFixtures.kerasArchive(dir, "model.keras", true));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 600)
    void mutatedFilesReadOrFailTyped(
            @ForAll boolean zip,
            @ForAll @IntRange(min = 0, max = 1_000_000) int position,
            @ForAll byte value,
            @ForAll @IntRange(min = 1, max = 3) int count)
            throws IOException {
        byte[] bytes = (zip ? archive : h5).clone();
        for (int i = 0; i < count; i++) {
            bytes[(position + i * 104729) % bytes.length] = (byte) (value + 17 * i);
        }
        Path file = Files.write(dir.resolve(zip ? "mutated.keras" : "mutated.h5"), bytes);
        try {
            new KerasReader().read(file);
        } catch (ModelFormatException expected) {
            assertThat(expected.getMessage()).contains("mutated");
        }
    }
}
