package dev.heft.core.format.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.HeftException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.FuzzBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes into the GGUF reader: the only acceptable outcomes are a normal return or a {@link HeftException}.
 * In the normal test run Jazzer replays the committed seeds in {@code GgufFuzzTestInputs/fuzzReader} (regression
 * mode); {@code scripts/fuzz.sh gguf} fuzzes for real.
 *
 * <p>The seeds are written by {@link #seeds()}; {@link #committedSeedsAreWhatTheGeneratorWrites()} keeps the
 * committed files honest, and {@code main} rewrites them.
 */
class GgufFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    private static final Path SEED_DIR =
            Path.of("src/test/resources/dev/heft/core/format/gguf/GgufFuzzTestInputs/fuzzReader");
    private static final Path FILE = Path.of("fuzz.gguf");

    /**
     * The bytes are a whole file, parsed from memory with the checks a file on disk gets (data ranges against its
     * size), so a campaign spends its time in the parser rather than writing temporary files.
     */
    @FuzzTest(maxDuration = "60s")
    void fuzzReader(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> {
            try {
                GgufFile file = GgufReader.parseHeader(data, FILE, data.length);
                TensorInventory inv =
                        new TensorInventory(ModelFormat.GGUF, List.of(FILE), file.toTensors(), file.metadata());
                for (Tensor t : inv.tensors()) {
                    // every located tensor lies inside the input: the header's bounds checks held
                    assertThat(t.offset()).isBetween(0L, data.length - t.bytes());
                }
            } catch (HeftException expected) {
                // a typed error is the right answer to bad bytes
            }
        });
    }

    /** Tiny valid files of each version, plus one with a long string array and nested arrays. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (GgufVersion v : GgufVersion.values()) {
            seeds.put(
                    "tiny-v" + v.number() + ".gguf",
                    new GgufWriter(v)
                            .put("general.architecture", GgufValue.string("llama"))
                            .put("llama.block_count", GgufValue.u32(1))
                            .put("general.alignment", GgufValue.u32(32))
                            .tensor("w", new long[] {32, 2}, DType.Q8_0)
                            .tensor("n", new long[] {4}, DType.F32)
                            .toBytes());
        }
        List<String> vocab =
                java.util.stream.IntStream.range(0, 70).mapToObj(i -> "t" + i).toList();
        seeds.put(
                "arrays-v3.gguf",
                new GgufWriter()
                        .put("tokenizer.ggml.tokens", GgufValue.strings(vocab))
                        .put("nested", new GgufValue.Array(GgufValueType.ARRAY, List.of(GgufValue.floats(1f, 2f))))
                        .put("f64", GgufValue.f64(1.5))
                        .put("b", GgufValue.bool(false))
                        .put("i8", GgufValue.i8(-3))
                        .tensor("k", new long[] {256}, DType.Q4_K)
                        .toBytes());
        return seeds;
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            assertThat(Files.readAllBytes(SEED_DIR.resolve(e.getKey())))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    /** Rewrites the seed corpus: run from heft-core with the test classpath. */
    public static void main(String[] args) {
        seeds().forEach((name, bytes) -> {
            try {
                Files.createDirectories(SEED_DIR);
                Files.write(SEED_DIR.resolve(name), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
