package dev.heft.core.format.tfjs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random character mutations of a valid model.json: read, or a typed error naming the file. */
class TfjsMutationTest {
    private static Path dir;
    private static String valid;

    @BeforeContainer
    static void writeFixture() throws IOException {
        dir = Files.createTempDirectory("heft-tfjs-mutation");
        valid = Files.readString(TfjsFixtures.write(dir, TfjsFixtures.defaultGroups(), 32));
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

    /** The property asserts that a mutated manifest is read, or refused with a typed error naming model.json. */
    @Property(tries = 1500)
    void mutatedManifestsReadOrFailTyped(@ForAll @IntRange(min = 0, max = 100_000) int position,
                                         @ForAll @IntRange(min = 32, max = 126) int character,
                                         @ForAll @IntRange(min = 0, max = 2) int mode) throws IOException {
        byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
        int at = position % bytes.length;
        byte[] mutated = switch (mode) {
            case 0 -> {
                bytes[at] = (byte) character;
                yield bytes;
            }
            case 1 -> java.util.Arrays.copyOf(bytes, at);
            default -> (valid.substring(0, at) + (char) character + valid.substring(at))
                    .getBytes(StandardCharsets.UTF_8);
        };
        Path json = Files.write(dir.resolve("model.json"), mutated);
        TfjsReaderTest.readOrFailTyped(json);
    }
}
