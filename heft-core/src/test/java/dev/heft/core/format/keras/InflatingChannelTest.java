package dev.heft.core.format.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.tensor.TensorInventory;
import io.jhdf.HdfFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deflated {@code model.weights.h5} is read through {@link InflatingChannel}: on demand, bounded, never to disk. */
class InflatingChannelTest {
    @TempDir
    Path dir;

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    @Test
    void readsAnywhereGiveTheInflatedBytes() throws IOException {
        byte[] data = new byte[3 << 20];
        new Random(16).nextBytes(data);
        Arrays.fill(data, 1 << 20, 2 << 20, (byte) 7);
        try (InflatingChannel c = new InflatingChannel(
                MemorySegment.ofArray(deflate(data)), data.length, Path.of("x.keras"), "model.weights.h5")) {
            Random r = new Random(61);
            for (int i = 0; i < 200; i++) {
                int at = r.nextInt(data.length);
                int n = Math.min(1 + r.nextInt(100_000), data.length - at);
                ByteBuffer got = ByteBuffer.allocate(n);
                c.position(at);
                while (got.hasRemaining() && c.read(got) > 0) {
                    // keep reading
                }
                assertThat(got.array()).as("bytes at " + at).isEqualTo(Arrays.copyOfRange(data, at, at + n));
            }
            assertThat(c.read(ByteBuffer.allocate(1).position(0))).isGreaterThanOrEqualTo(-1);
            c.position(data.length);
            assertThat(c.read(ByteBuffer.allocate(8))).isEqualTo(-1);
        }
    }

    @Test
    void readingBackAndForthBeyondTheCachesIsRefusedAfterItsBudget() {
        // 64 MiB of zeros: each read of the last page after the first needs a full pass once the first is cached
        byte[] zeros = new byte[64 << 20];
        InflatingChannel c = new InflatingChannel(
                MemorySegment.ofArray(deflate(zeros)), zeros.length, Path.of("x.keras"), "model.weights.h5");
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 100; i++) {
                        long at =
                                (i % 2 == 0) ? zeros.length - 1 : (i * 7919L % 64) * InflatingChannel.PAGE * 1024 / 64;
                        c.position(at);
                        c.read(ByteBuffer.allocate(1));
                    }
                })
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("passes over its");
        assertThat(c.inflatedBytes())
                .isLessThanOrEqualTo(
                        (long) InflatingChannel.PASSES * zeros.length + InflatingChannel.SLACK + InflatingChannel.PAGE);
        c.close();
    }

    @Test
    void aDeflatedKerasArchiveIsReadWithoutATemporaryFileAndOnlyItsHeadersInflated() throws IOException {
        byte[] h5 = Files.readAllBytes(KerasFixtures.keras3Weights(dir.resolve("w.h5"), false));
        byte[] withTail = Arrays.copyOf(h5, h5.length + (64 << 20));
        Path keras = dir.resolve("tail.keras");
        try (OutputStream os = Files.newOutputStream(keras);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            KerasFixtures.entry(
                    zip, "config.json", KerasFixtures.CONFIG.formatted(true).getBytes(StandardCharsets.UTF_8), false);
            KerasFixtures.entry(zip, KerasReader.WEIGHTS_ENTRY, withTail, false);
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = list(tmp);
        TensorInventory inv = KerasReader.readKeras(keras);
        assertThat(inv.tensors()).hasSize(9);
        assertThat(list(tmp)).as("files created in " + tmp).isSubsetOf(before);

        // The channel itself: the HDF5 headers sit in the first pages, so the 64 MiB tail is never inflated.
        byte[] deflated = deflate(withTail);
        try (InflatingChannel c = new InflatingChannel(
                        MemorySegment.ofArray(deflated), withTail.length, Path.of("tail.keras"), "model.weights.h5");
                HdfFile hdf = new HdfFile(c, keras.toUri())) {
            assertThat(H5Walker.list(hdf, keras).variables()).hasSize(9);
            assertThat(c.inflatedBytes()).isLessThan(1L << 20);
        }
    }

    private static Set<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("heft")).collect(Collectors.toSet());
        }
    }
}
