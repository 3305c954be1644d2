package dev.heft.core.format.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.error.ModelFormatException;
import dev.heft.core.format.zip.ZipDirectory;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Mutation properties over real pickles and zips (the same seeds as the Jazzer tests): overwrite, insert or delete
 * bytes, and the unpickler and the zip reader must build a value or throw a {@link ModelFormatException}. This runs
 * in every build; it backs the Jazzer tests, whose coverage guidance needs a Jazzer that can instrument JDK 25 class
 * files (0.24 cannot; 0.30 can).
 */
class PickleMutationPropertyTest {
    private static final Path FILE = Path.of("mutant");
    private static final PickleLimits LIMITS =
            new PickleLimits(10_000, 64, 10_000, 100_000, 1 << 16, 64, 32, 16L << 20);

    private static byte[] seed(String relative) {
        try {
            return Files.readAllBytes(
                    Path.of("src/test/resources/dev/heft/core/format").resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final List<byte[]> PICKLES = List.of(
            seed("pickle/PickleFuzzTestInputs/interpreterRefusesOrBuilds/shared-storage-data.pkl"),
            seed("pickle/PickleFuzzTestInputs/interpreterRefusesOrBuilds/legacy-header.pkl"),
            seed("pickle/PickleFuzzTestInputs/interpreterRefusesOrBuilds/cpython-p2-dict.pkl"),
            seed("pickle/PickleFuzzTestInputs/interpreterRefusesOrBuilds/cpython-p4-list.pkl"),
            seed("pickle/PickleFuzzTestInputs/interpreterRefusesOrBuilds/cpython-p5-bytes.pkl"));

    /** A seed with up to 6 edits: (kind 0 = overwrite, 1 = insert, 2 = delete, position fraction, byte). */
    @Provide
    Arbitrary<byte[]> mutatedPickles() {
        return mutants(Arbitraries.of(PICKLES));
    }

    @Provide
    Arbitrary<byte[]> mutatedZips() {
        try {
            byte[] zip = Files.readAllBytes(SharedFixtures.fixture("hf/pytorch/shared-storage.pt"));
            return mutants(Arbitraries.just(zip));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Arbitrary<byte[]> mutants(Arbitrary<byte[]> seeds) {
        Arbitrary<Tuple.Tuple3<Integer, Double, Integer>> edit = net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(0, 255))
                .as(Tuple::of);
        return net.jqwik.api.Combinators.combine(seeds, edit.list().ofMinSize(1).ofMaxSize(6))
                .as((s, edits) -> {
                    byte[] b = s.clone();
                    for (Tuple.Tuple3<Integer, Double, Integer> e : edits) {
                        int at = (int) Math.min(b.length, Math.floor(e.get2() * (b.length + 1)));
                        switch (e.get1()) {
                            case 0 -> {
                                if (at < b.length) {
                                    b[at] = (byte) (int) e.get3();
                                }
                            }
                            case 1 -> {
                                byte[] n = new byte[b.length + 1];
                                System.arraycopy(b, 0, n, 0, at);
                                n[at] = (byte) (int) e.get3();
                                System.arraycopy(b, at, n, at + 1, b.length - at);
                                b = n;
                            }
                            default -> {
                                if (at < b.length) {
                                    byte[] n = new byte[b.length - 1];
                                    System.arraycopy(b, 0, n, 0, at);
                                    System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                                    b = n;
                                }
                            }
                        }
                    }
                    return b;
                });
    }

    @Property(tries = 3000)
    void unpicklerBuildsOrRefuses(@ForAll("mutatedPickles") byte[] data) {
        for (GlobalPolicy policy : GlobalPolicy.values()) {
            try {
                PickleValue v = new PickleInterpreter(
                                LIMITS, policy, (pid, offset) -> StoragePersistentId.parse(pid, false, FILE, offset))
                        .load(PickleInput.of(data, FILE, "mutant"));
                assertThat(v).isNotNull();
            } catch (ModelFormatException expected) {
                assertThat(expected.offset()).isBetween(0L, (long) data.length);
            }
        }
    }

    @Property(tries = 1000)
    void zipReaderReadsOrRefuses(@ForAll("mutatedZips") byte[] data) {
        try {
            for (var e : ZipDirectory.read(MemorySegment.ofArray(data), FILE).entries()) {
                assertThat(e.dataOffset() + e.compressedSize()).isLessThanOrEqualTo(data.length);
            }
        } catch (ModelFormatException expected) {
            assertThat(expected.file()).isEqualTo(FILE);
        }
    }
}
