package dev.heft.core.format.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.testing.FuzzBudget;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Jazzer over the whole reader. In a normal build this replays the seed corpus in
 * {@code src/test/resources/dev/heft/core/format/onnx/OnnxReaderFuzzTestInputs/fuzzReader} (written by
 * {@link OnnxSeedCorpus}); with {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}. Any outcome other than an
 * inventory or a {@link ModelFormatException} (an IndexOutOfBounds, ArithmeticException, OutOfMemoryError,
 * StackOverflowError, a hang) is a finding.
 */
class OnnxReaderFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    /** A folder that does not exist, so fuzzed external_data locations resolve to nothing real. */
    static final Path FUZZ_FILE = Path.of("/nonexistent-heft-fuzz-dir/fuzz.onnx");

    @FuzzTest(maxDuration = "5m")
    void fuzzReader(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> read(data));
    }

    static void read(byte[] data) {
        try {
            OnnxReader.parse(MemorySegment.ofArray(data), FUZZ_FILE);
        } catch (ModelFormatException expected) {
            // A typed refusal is the correct answer to a malformed file.
        }
        OnnxSignature.looksLikeModel(data.length > 64 ? java.util.Arrays.copyOf(data, 64) : data);
    }
}
