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

/**
 * Random character mutations of a valid model.json and of tfjs-converter's bare weights manifest (with byte mutations
 * of its string shard, whose length prefixes heft walks): read, or a typed error naming the file.
 */
class TfjsMutationTest {
    private static final Path WRITTEN = Path.of("src/test/resources/fixtures/tfjs-weights-manifest");
    private static final String STRING_SHARD = "group2-shard1of1.bin";
    private static Path dir;
    private static String valid;
    private static String validManifest;

    @BeforeContainer
    static void writeFixture() throws IOException {
        dir = Files.createTempDirectory("heft-tfjs-mutation");
        valid = Files.readString(TfjsFixtures.write(dir, TfjsFixtures.defaultGroups(), 32));
        try (var files = Files.list(WRITTEN)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().endsWith(".bin")) {
                    Files.copy(p, dir.resolve("wm-" + p.getFileName()));
                }
            }
        }
        // the copied shards sit beside model.json's own; the manifest names them with the wm- prefix
        validManifest =
                Files.readString(WRITTEN.resolve("weights_manifest.json")).replace("\"group", "\"wm-group");
    }

    @Property(tries = 800)
    void mutatedWeightsManifestsReadOrFailTyped(
            @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 32, max = 126) int character,
            @ForAll @IntRange(min = 0, max = 2) int mode)
            throws IOException {
        byte[] mutated = mutate(validManifest, position, character, mode);
        Path json = Files.write(dir.resolve("weights_manifest.json"), mutated);
        TfjsReaderTest.readOrFailTyped(json);
    }

    /** Any byte of the string entry's shard (length prefixes included) changed: read, or a typed error. */
    @Property(tries = 300)
    void mutatedStringShardsReadOrFailTyped(
            @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll @IntRange(min = 0, max = 255) int value)
            throws IOException {
        Path json = Files.writeString(dir.resolve("weights_manifest.json"), validManifest);
        Path shard = dir.resolve("wm-" + STRING_SHARD);
        byte[] original = Files.readAllBytes(WRITTEN.resolve(STRING_SHARD));
        byte[] bytes = original.clone();
        bytes[position % bytes.length] = (byte) value;
        Files.write(shard, bytes);
        try {
            TfjsReaderTest.readOrFailTyped(json);
        } finally {
            Files.write(shard, original);
        }
    }

    private static byte[] mutate(String text, int position, int character, int mode) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int at = position % bytes.length;
        return switch (mode) {
            case 0 -> {
                bytes[at] = (byte) character;
                yield bytes;
            }
            case 1 -> java.util.Arrays.copyOf(bytes, at);
            default -> (text.substring(0, at) + (char) character + text.substring(at)).getBytes(StandardCharsets.UTF_8);
        };
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
    void mutatedManifestsReadOrFailTyped(
            @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 32, max = 126) int character,
            @ForAll @IntRange(min = 0, max = 2) int mode)
            throws IOException {
        byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
        int at = position % bytes.length;
        byte[] mutated = switch (mode) {
            case 0 -> {
                bytes[at] = (byte) character;
                yield bytes;
            }
            case 1 -> java.util.Arrays.copyOf(bytes, at);
            default ->
                (valid.substring(0, at) + (char) character + valid.substring(at)).getBytes(StandardCharsets.UTF_8);
        };
        Path json = Files.write(dir.resolve("model.json"), mutated);
        TfjsReaderTest.readOrFailTyped(json);
    }
}
