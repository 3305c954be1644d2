package dev.heft.core.format.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.error.HeftException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random mutations of valid GGUF files (from {@link GgufWriter}): the reader returns normally or throws a
 * {@link HeftException}, nothing else. Complements {@link GgufFuzzTest}, whose Jazzer 0.24 agent cannot instrument
 * JDK 25 class files (so its JAZZER_FUZZ=1 mode gets no coverage feedback); mutations of valid files reach deep
 * into the header without coverage guidance.
 */
class GgufMutationPropertyTest {
    private static final Path FILE = Path.of("mutant.gguf");
    private static final List<byte[]> VALID = valid();
    /** Values that sit on the edges of every check: zero, one, sign bits, all ones, 2^62, type ids near the end. */
    private static final long[] INTERESTING = {
        0,
        1,
        2,
        4,
        5,
        8,
        9,
        12,
        13,
        31,
        32,
        33,
        39,
        43,
        64,
        255,
        0x7F,
        0x80,
        0xFFFF,
        0x7FFF_FFFFL,
        0x8000_0000L,
        0xFFFF_FFFFL,
        1L << 62,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        -1
    };

    private static List<byte[]> valid() {
        List<byte[]> out = new ArrayList<>(GgufFuzzTest.seeds().values());
        for (GgufVersion v : GgufVersion.values()) {
            out.add(GgufWriterTest.sample(v).toBytes());
        }
        return out;
    }

    @Property(tries = 1000)
    void mutantsGiveOnlyTypedErrors(@ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] b = mutate(VALID.get(rnd.nextInt(VALID.size())), rnd);
        try {
            GgufFile f = GgufParser.parse(MemorySegment.ofArray(b), FILE);
            for (GgufTensorInfo t : f.tensors()) {
                assertThat(f.absoluteOffset(t) + t.bytes()).isLessThanOrEqualTo(b.length);
            }
        } catch (HeftException expected) {
            assertThat(expected.getMessage()).startsWith("mutant.gguf");
        }
    }

    private static byte[] mutate(byte[] valid, Random rnd) {
        byte[] b = valid.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && b.length > 8; e++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> { // an interesting little-endian 4- or 8-byte value
                    long v = INTERESTING[rnd.nextInt(INTERESTING.length)];
                    int width = rnd.nextBoolean() ? 4 : 8;
                    for (int i = 0; i < width && at + i < b.length; i++) {
                        b[at + i] = (byte) (v >>> (8 * i));
                    }
                }
                case 3 -> b = Arrays.copyOf(b, at); // truncate
                case 4 -> { // duplicate a short range (shifts everything after it)
                    int len = Math.min(1 + rnd.nextInt(16), b.length - at);
                    byte[] grown = new byte[b.length + len];
                    System.arraycopy(b, 0, grown, 0, at + len);
                    System.arraycopy(b, at, grown, at + len, b.length - at);
                    b = grown;
                }
                default -> { // delete a short range
                    int len = Math.min(1 + rnd.nextInt(16), b.length - at);
                    byte[] shrunk = new byte[b.length - len];
                    System.arraycopy(b, 0, shrunk, 0, at);
                    System.arraycopy(b, at + len, shrunk, at, b.length - at - len);
                    b = shrunk;
                }
            }
        }
        return b;
    }
}
