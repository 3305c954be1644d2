package dev.heft.core.format.pickle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.testing.FuzzBudget;
import java.nio.file.Path;

/**
 * Jazzer fuzzing of the restricted unpickler: for any bytes, it either builds values or throws a
 * {@link ModelFormatException}; never another exception, a hang or an allocation beyond its limits. In a normal
 * build this replays the seed corpus in {@code src/test/resources/.../PickleFuzzTestInputs} (pickles torch and
 * CPython wrote, see the README there); {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class PickleFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    /** Small caps so that fuzzing explores refusals quickly; the code paths are those of the defaults. */
    private static final PickleLimits LIMITS =
            new PickleLimits(10_000, 64, 10_000, 100_000, 1 << 16, 64, 32, 16L << 20);

    private static final Path FILE = Path.of("fuzz.pkl");

    @FuzzTest(maxDuration = "60s")
    void interpreterRefusesOrBuilds(byte[] data) throws Exception {
        FuzzBudget.run(data.length, () -> interpret(data));
    }

    private static void interpret(byte[] data) {
        for (GlobalPolicy policy : GlobalPolicy.values()) {
            try {
                PickleValue v = new PickleInterpreter(
                                LIMITS,
                                policy,
                                (pid, offset) -> StoragePersistentId.parse(pid, data.length % 2 == 0, FILE, offset))
                        .load(PickleInput.of(data, FILE, "fuzz.pkl"));
                if (v == null) {
                    throw new AssertionError("a pickle loaded to null");
                }
                v.describe();
            } catch (ModelFormatException expected) {
                if (expected.file() != FILE || expected.offset() < 0 || expected.offset() > data.length) {
                    throw new AssertionError("error without its location: " + expected.getMessage());
                }
            }
        }
    }
}
