package dev.heft.core.format.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fallback for {@link OnnxReaderFuzzTest}: Jazzer 0.24.0 attaches on JDK 25 but its bundled ASM cannot
 * instrument class files of major version 69 ("Unsupported class file major version 69"), so it replays its seeds
 * without coverage guidance. This property mutates the same generated seeds (overwrites, truncations, insertions,
 * spliced copies) and demands that every mutant is read or refused with a ModelFormatException, nothing else.
 */
class OnnxMutationPropertyTest {

    @Property(tries = 3000)
    void everyMutantIsReadOrRefusedWithATypedError(@ForAll("mutants") byte[] mutant) {
        OnnxReaderFuzzTest.read(mutant);
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        List<byte[]> seeds = new ArrayList<>(OnnxSeedCorpus.seeds().values());
        Arbitrary<byte[]> seed = Arbitraries.of(seeds);
        Arbitrary<List<int[]>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, 3),         // kind
                        Arbitraries.integers().between(0, 1 << 20),   // position (taken modulo the length)
                        Arbitraries.integers().between(0, 255),       // value
                        Arbitraries.integers().between(1, 16))        // length
                .as((k, p, v, n) -> new int[]{k, p, v, n})
                .list().ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(seed, edits).as(OnnxMutationPropertyTest::mutate);
    }

    private static byte[] mutate(byte[] seed, List<int[]> edits) {
        byte[] b = seed.clone();
        for (int[] e : edits) {
            if (b.length == 0) {
                break;
            }
            int at = e[1] % b.length;
            switch (e[0]) {
                case 0 -> b[at] = (byte) e[2];                                  // overwrite one byte
                case 1 -> b = Arrays.copyOf(b, at);                             // truncate
                case 2 -> {                                                     // insert n copies of a byte
                    byte[] out = new byte[b.length + e[3]];
                    System.arraycopy(b, 0, out, 0, at);
                    Arrays.fill(out, at, at + e[3], (byte) e[2]);
                    System.arraycopy(b, at, out, at + e[3], b.length - at);
                    b = out;
                }
                default -> {                                                    // duplicate a slice in place
                    int n = Math.min(e[3], b.length - at);
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, at + n);
                    System.arraycopy(b, at, out, at + n, b.length - at);
                    b = out;
                }
            }
        }
        return b;
    }
}
