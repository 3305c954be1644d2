package dev.heft.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fuzz target's committed seed corpus ({@code src/test/resources/<package>/<Class>Inputs/<method>}, where Jazzer
 * looks for it) kept equal to what its generator writes: {@link #verify} fails when a seed was edited by hand or the
 * generator changed, {@link #write} rewrites them. Files named {@code crash-*}, {@code timeout-*}, {@code oom-*} or
 * {@code finding-*} are regression inputs saved from fuzzing campaigns, not generated, and are left alone.
 */
public final class SeedCorpus {
    private SeedCorpus() {}

    public static Path dir(Class<?> fuzzTest, String method) {
        return Path.of(
                "src/test/resources",
                fuzzTest.getPackageName().replace('.', '/'),
                fuzzTest.getSimpleName() + "Inputs",
                method);
    }

    public static void verify(Path dir, Map<String, byte[]> seeds) throws IOException {
        try (Stream<Path> listed = Files.list(dir)) {
            assertThat(listed.map(p -> p.getFileName().toString()).filter(n -> !isFinding(n)))
                    .as("generated seeds in " + dir)
                    .containsExactlyInAnyOrderElementsOf(seeds.keySet());
        }
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            assertThat(Files.readAllBytes(dir.resolve(e.getKey())))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    public static void write(Path dir, Map<String, byte[]> seeds) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isFinding(String name) {
        return name.startsWith("crash-")
                || name.startsWith("timeout-")
                || name.startsWith("oom-")
                || name.startsWith("finding-")
                || name.startsWith("slow-unit-")
                || name.equals("README.md");
    }
}
