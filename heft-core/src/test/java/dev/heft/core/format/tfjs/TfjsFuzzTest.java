package dev.heft.core.format.tfjs;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over the TF.js manifest reader: fuzzed bytes are read as the {@code model.json} of a folder that holds the
 * fixture's shard files. The outcome is an inventory whose weights lie inside their shards, or a
 * {@link ModelFormatException} naming model.json; a shard path that leaves the folder must be refused (the fuzz folder
 * has a sibling file the fuzzer's dictionary names, {@code ../outside.bin}). Seeds: {@link #seeds()}, the manifests
 * {@link TfjsFixtures} writes.
 */
class TfjsFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    private static final Path ROOT = createFolders();
    private static final Path DIR = ROOT.resolve("model");

    private static Path createFolders() {
        try {
            Path root = Files.createTempDirectory("heft-tfjs-fuzz");
            Path dir = Files.createDirectories(root.resolve("model"));
            TfjsFixtures.write(dir, TfjsFixtures.defaultGroups(), 32);
            Files.write(root.resolve("outside.bin"), new byte[64]);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (var walk = Files.walk(ROOT)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static final Path JSON = DIR.resolve("model.json");

    /** The fuzzed bytes are the content of the fixture folder's model.json, handed over without writing the file. */
    @FuzzTest(maxDuration = "60s")
    void manifests(byte[] data) throws Exception {
        Path json = JSON;
        FuzzBudget.run(data.length, () -> {
            try {
                TensorInventory inv = new TfjsReader().read(json, data);
                for (Tensor t : inv.tensors()) {
                    if (t.file() != null
                            && !t.file().toAbsolutePath().normalize().startsWith(DIR)) {
                        throw new AssertionError(t.name() + " is read from outside the model folder: " + t.file());
                    }
                    if (t.file() != null && t.offset() > Files.size(t.file())) {
                        throw new AssertionError(t.name() + " starts past the end of " + t.file());
                    }
                }
            } catch (ModelFormatException expected) {
                if (!json.equals(expected.file())) {
                    throw new AssertionError("error without model.json: " + expected.getMessage());
                }
            }
        });
    }

    /** The fixture manifest (one and two groups) and one naming a shard outside the folder. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        try {
            Path tmp = Files.createTempDirectory("heft-tfjs-seeds");
            try {
                seeds.put(
                        "fixture.json", Files.readAllBytes(TfjsFixtures.write(tmp, TfjsFixtures.defaultGroups(), 32)));
                seeds.put(
                        "one-group.json",
                        Files.readAllBytes(TfjsFixtures.write(
                                tmp, List.of(List.of(TfjsFixtures.f32("dense/kernel", 2, 3))), 1 << 20)));
                String outside = new String(seeds.get("one-group.json"), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("group1-shard1of1.bin", "../outside.bin");
                seeds.put("outside.json", outside.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
        SeedCorpus.verify(SeedCorpus.dir(TfjsFuzzTest.class, "manifests"), seeds());
    }

    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(TfjsFuzzTest.class, "manifests"), seeds());
    }
}
