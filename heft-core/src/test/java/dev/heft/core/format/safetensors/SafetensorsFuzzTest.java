package dev.heft.core.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.HeftException;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.FuzzBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes as a safetensors file: the reader may only answer with a tensor inventory whose tensors tile the
 * data section, or a {@link HeftException} (anything else escaping, a hang, an out-of-memory or an allocation beyond
 * {@link FuzzBudget} is a finding). In the normal test run Jazzer replays the seed corpus in {@code src/test/resources/.../SafetensorsFuzzTestInputs/headers},
 * written by {@link FuzzSeedCorpus}; {@code scripts/fuzz.sh safetensors} fuzzes.
 */
class SafetensorsFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    private static final Path SEEDS =
            Path.of("src/test/resources/dev/heft/core/format/safetensors/SafetensorsFuzzTestInputs/headers");
    private static final Path FILE = Path.of("fuzz.safetensors");

    /**
     * The bytes are a whole file, read from memory through the same header checks as a file on disk (only the
     * positional read differs), so a campaign spends its time in the parser rather than writing temporary files.
     */
    @FuzzTest(maxDuration = "60s")
    void headers(byte[] input) throws Exception {
        FuzzBudget.run(input.length, () -> {
            try {
                SafetensorsHeader header = HeaderReader.parse(input, FILE, input.length);
                TensorInventory inv = new TensorInventory(
                        ModelFormat.SAFETENSORS,
                        List.of(FILE),
                        header.tensors(),
                        new java.util.LinkedHashMap<>(header.metadata()));
                // Accepted input: the tensors tile [8 + N, size) exactly, as the format demands.
                List<Tensor> byOffset = inv.tensors().stream()
                        .sorted(Comparator.comparingLong(Tensor::offset))
                        .toList();
                long end =
                        byOffset.isEmpty() ? input.length : byOffset.getFirst().offset();
                assertThat(end).isBetween(8L + 2, (long) input.length);
                for (Tensor t : byOffset) {
                    assertThat(t.offset()).isEqualTo(end);
                    end += t.bytes();
                }
                assertThat(end).isEqualTo(input.length);
            } catch (HeftException expected) {
                // a typed error is the right answer to bad bytes
            }
        });
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        Map<String, byte[]> seeds = FuzzSeedCorpus.seeds();
        try (var listed = Files.list(SEEDS)) {
            assertThat(listed.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(seeds.keySet());
        }
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            assertThat(Files.readAllBytes(SEEDS.resolve(seed.getKey())))
                    .as(seed.getKey())
                    .isEqualTo(seed.getValue());
        }
    }
}
