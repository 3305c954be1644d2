package dev.heft.core.format.zip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.testing.FuzzBudget;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Jazzer fuzzing of the zip central-directory reader: for any bytes it returns entries whose data lies inside the
 * input, or throws a {@link ModelFormatException}. Seeds: {@code ZipDirectoryFuzzTestInputs} (see the README there).
 */
class ZipDirectoryFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    private static final Path FILE = Path.of("fuzz.zip");

    @FuzzTest(maxDuration = "60s")
    void directoryReadsOrRefuses(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> read(data));
    }

    private static void read(byte[] data) {
        try {
            ZipDirectory dir = ZipDirectory.read(MemorySegment.ofArray(data), FILE);
            for (ZipEntry e : dir.entries()) {
                if (e.dataOffset() < 0
                        || e.compressedSize() < 0
                        || e.dataOffset() + e.compressedSize() > data.length
                        || java.util.Arrays.asList(e.name().split("/")).contains("..")
                        || e.name().startsWith("/")) {
                    throw new AssertionError("entry escapes the input: " + e);
                }
            }
        } catch (ModelFormatException expected) {
            if (expected.file() != FILE) {
                throw new AssertionError("error without its file: " + expected.getMessage());
            }
        }
    }
}
