package dev.heft.core.format.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GgufExtent} on GGUF files written by llama.cpp (../shared/fixtures/gguf and gguf-real, vocabularies of up to
 * 102,400 tokens): the header's end it finds is where llama.cpp's own layout puts it (the data section starts at that
 * end rounded up to the alignment), and for every shorter prefix it asks for more without ever asking past that end.
 */
class GgufExtentTest {

    static List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("gguf", "gguf-real")) {
            try (Stream<Path> s = Files.list(SharedFixtures.fixture(dir))) {
                s.filter(p -> p.toString().endsWith(".gguf")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("files")
    void theHeaderEndsWhereTheDataSectionStartsLessItsPadding(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        GgufFile parsed = GgufReader.readFile(file);
        GgufExtent.Extent e = GgufExtent.scan(bytes, bytes.length, bytes.length);
        assertThat(e).isInstanceOf(GgufExtent.Complete.class);
        long end = ((GgufExtent.Complete) e).end();
        assertThat(parsed.dataOffset()).isBetween(end, end + parsed.alignment() - 1);
        // The parser accepts exactly the prefix the scan found, and nothing shorter.
        assertThat(GgufReader.parseHeader(Arrays.copyOf(bytes, (int) end), file, bytes.length)
                        .tensors())
                .hasSameSizeAs(parsed.tensors());
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyShorterPrefixAsksForMoreButNeverPastTheEnd(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long end = ((GgufExtent.Complete) GgufExtent.scan(bytes, bytes.length, bytes.length)).end();
        Random random = new Random(file.getFileName().toString().hashCode());
        List<Integer> lengths = new ArrayList<>(List.of(0, 1, 4, 8, 23, 24, (int) end - 1));
        for (int i = 0; i < 60; i++) {
            lengths.add(random.nextInt((int) end));
        }
        for (int length : lengths) {
            GgufExtent.Extent e = GgufExtent.scan(bytes, length, bytes.length);
            assertThat(e).as("prefix of %d bytes", length).isInstanceOf(GgufExtent.NeedMore.class);
            assertThat(((GgufExtent.NeedMore) e).atLeast())
                    .as("prefix of %d bytes", length)
                    .isGreaterThan(length)
                    .isLessThanOrEqualTo(end);
        }
    }

    @Test
    void theLowerBoundGrowsFastOnALongVocabulary() throws IOException {
        // Following the bound (plus 32 KiB each time) must reach the end of a 102,400-token header in few steps.
        byte[] bytes = Files.readAllBytes(SharedFixtures.fixture("gguf-real/ggml-vocab-deepseek-llm.gguf"));
        int have = 32 << 10;
        int steps = 1;
        while (GgufExtent.scan(bytes, have, bytes.length) instanceof GgufExtent.NeedMore m) {
            have = (int) Math.min(bytes.length, m.atLeast() + (32 << 10));
            steps++;
        }
        assertThat(steps).isLessThanOrEqualTo(24);
    }

    @Test
    void whatCannotBeWalkedIsLeftToTheParser() {
        byte[] notGguf = "PK\u0003\u0004 not a gguf file at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(GgufExtent.scan(notGguf, notGguf.length, notGguf.length)).isInstanceOf(GgufExtent.Unwalkable.class);
        // "GGUF", version 3, 2^62 tensors: no file holds that many tensor infos.
        byte[] huge = new byte[24];
        huge[0] = 'G';
        huge[1] = 'G';
        huge[2] = 'U';
        huge[3] = 'F';
        huge[4] = 3;
        huge[15] = 0x40;
        assertThat(GgufExtent.scan(huge, huge.length, 1 << 20)).isInstanceOf(GgufExtent.Unwalkable.class);
    }
}
