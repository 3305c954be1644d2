package dev.heft.core.format.safetensors;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.HeftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Arbitrary bytes as a safetensors file: the reader may only answer with a tensor inventory or a {@link HeftException}
 * (anything else escaping, a hang or an out-of-memory is a finding). In the normal test run Jazzer replays the seed
 * corpus in {@code src/test/resources/.../SafetensorsFuzzTestInputs/headers}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void headers(byte[] input) throws IOException {
        Path file = Files.createTempFile("heft-fuzz", ".safetensors");
        try {
            Files.write(file, input);
            new SafetensorsReader().read(file);
        } catch (HeftException expected) {
            // the only acceptable failure
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
