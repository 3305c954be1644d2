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
 * A companion to {@link OnnxReaderFuzzTest} that runs in every build: it mutates the same generated seeds
 * (overwrites, truncations, insertions, spliced copies). What each property asserts: reading a mutant either returns
 * an inventory or throws a {@link dev.heft.core.error.ModelFormatException}; any other throwable (an index error, an
 * OutOfMemoryError, a protobuf exception) escapes {@link OnnxReaderFuzzTest#read} and fails the property.
 */
class OnnxMutationPropertyTest {

    @Property(tries = 3000)
    void everyMutantIsReadOrRefusedWithATypedError(@ForAll("mutants") byte[] mutant) {
        OnnxReaderFuzzTest.read(mutant);
    }

    /**
     * Structure-aware: well-formed protobuf whose numbers are hostile (any dims including negative and huge, any
     * data_type id, raw/typed/external storage of any length) so the arithmetic paths see extreme values that byte
     * mutation rarely produces.
     */
    @Property(tries = 1000)
    void tensorHeadersWithExtremeNumbersAreReadOrRefused(
            @ForAll("dims") List<Long> dims,
            @ForAll("dataTypes") int dataType,
            @ForAll("lengths") int payload,
            @ForAll("storages") int storage) {
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        Proto t = new Proto();
        if (d.length > 0) {
            t.packedVarints(1, d);
        }
        t.varint(2, dataType).string(8, "t");
        switch (storage) {
            case 0 -> t.bytes(9, new byte[payload]);
            case 1 -> t.bytes(4, new byte[payload]); // float_data
            case 2 -> t.bytes(5, new byte[payload]); // int32_data (zeros: one varint per byte)
            case 3 -> t.bytes(10, new byte[payload]); // double_data
            default -> {
                t.message(13, new Proto().string(1, "location").string(2, "w.bin"));
                t.message(13, new Proto().string(1, "length").string(2, Integer.toString(payload)));
                t.varint(14, 1);
            }
        }
        Proto use = OnnxModels.node(
                "com.microsoft",
                "MatMulNBits",
                List.of("a", "t", "t"),
                List.of("y"),
                OnnxModels.intAttribute("K", payload * 2L - 7),
                OnnxModels.intAttribute("N", d.length == 0 ? 1 : d[0]),
                OnnxModels.intAttribute("block_size", 16));
        OnnxReaderFuzzTest.read(OnnxModels.model(OnnxModels.graph(List.of(t), List.of(use))));
    }

    @Provide
    Arbitrary<List<Long>> dims() {
        Arbitrary<Long> dim = Arbitraries.oneOf(
                Arbitraries.longs().between(-2, 70),
                Arbitraries.longs(),
                Arbitraries.of(1L << 31, 1L << 32, 1L << 61, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE));
        return dim.list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<Integer> dataTypes() {
        return Arbitraries.integers().between(-1, 30);
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.integers().between(0, 80);
    }

    @Provide
    Arbitrary<Integer> storages() {
        return Arbitraries.integers().between(0, 4);
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        List<byte[]> seeds = new ArrayList<>(OnnxSeedCorpus.seeds().values());
        Arbitrary<byte[]> seed = Arbitraries.of(seeds);
        Arbitrary<List<int[]>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, 3), // kind
                        Arbitraries.integers().between(0, 1 << 20), // position (taken modulo the length)
                        Arbitraries.integers().between(0, 255), // value
                        Arbitraries.integers().between(1, 16)) // length
                .as((k, p, v, n) -> new int[] {k, p, v, n})
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
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
                case 0 -> b[at] = (byte) e[2]; // overwrite one byte
                case 1 -> b = Arrays.copyOf(b, at); // truncate
                case 2 -> { // insert n copies of a byte
                    byte[] out = new byte[b.length + e[3]];
                    System.arraycopy(b, 0, out, 0, at);
                    Arrays.fill(out, at, at + e[3], (byte) e[2]);
                    System.arraycopy(b, at, out, at + e[3], b.length - at);
                    b = out;
                }
                default -> { // duplicate a slice in place
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
