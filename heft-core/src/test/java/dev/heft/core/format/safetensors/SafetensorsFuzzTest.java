package dev.heft.core.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.HeftException;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes as a safetensors file: the reader may only answer with a tensor inventory whose tensors tile the
 * data section, or a {@link HeftException} (anything else escaping, a hang or an out-of-memory is a finding). In the
 * normal test run Jazzer replays the seed corpus in {@code src/test/resources/.../SafetensorsFuzzTestInputs/headers},
 * written by {@link FuzzSeedCorpus}; {@code JAZZER_FUZZ=1 mvn -pl heft-core test -Dtest=SafetensorsFuzzTest} fuzzes.
 */
class SafetensorsFuzzTest {
    static {
        // Replaying a few seeds needs no coverage hooks; installing them rewrites every loaded JDK class first (about
        // a minute on the loaded 2-core machine). Real fuzzing keeps them: they guide the fuzzer. (As GgufFuzzTest.)
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty()) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    private static final Path SEEDS =
            Path.of("src/test/resources/dev/heft/core/format/safetensors/SafetensorsFuzzTestInputs/headers");

    @FuzzTest(maxDuration = "60s")
    void headers(byte[] input) throws IOException {
        Path file = Files.createTempFile("heft-fuzz", ".safetensors");
        try {
            Files.write(file, input);
            TensorInventory inv = new SafetensorsReader().read(file);
            // Accepted input: the tensors tile [8 + N, size) exactly, as the format demands.
            List<Tensor> byOffset = inv.tensors().stream().sorted(Comparator.comparingLong(Tensor::offset)).toList();
            long end = byOffset.isEmpty() ? input.length : byOffset.getFirst().offset();
            assertThat(end).isBetween(8L + 2, (long) input.length);
            for (Tensor t : byOffset) {
                assertThat(t.offset()).isEqualTo(end);
                end += t.bytes();
            }
            assertThat(end).isEqualTo(input.length);
        } catch (HeftException expected) {
            // a typed error is the right answer to bad bytes
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        Map<String, byte[]> seeds = FuzzSeedCorpus.seeds();
        try (var listed = Files.list(SEEDS)) {
            assertThat(listed.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(seeds.keySet());
        }
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            assertThat(Files.readAllBytes(SEEDS.resolve(seed.getKey()))).as(seed.getKey()).isEqualTo(seed.getValue());
        }
    }
}
