package dev.heft.core.format.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SegmentReader reads through a ByteBuffer view of the segment's first {@link SegmentReader#VIEW_LIMIT} bytes and
 * through FFM past it: both paths, and the seam between them, read the same little-endian values.
 */
class SegmentReaderTest {
    private static final Path FILE = Path.of("test.bin");

    /** Little-endian fields as the formats store them, written with the JDK's own encoder. */
    private static byte[] fields() {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xF3)
                .putShort((short) -2)
                .putInt(0x8000_0001)
                .putLong(-5_000_000_000L)
                .putFloat(1.5f)
                .putDouble(-0.25)
                .put("né".getBytes(StandardCharsets.UTF_8))
                .put((byte) 0xC3); // a truncated sequence
        return b.array();
    }

    private static void readFields(SegmentReader r, long at) {
        r.seek(at);
        assertThat(r.u8("u8")).isEqualTo(0xF3);
        assertThat(r.i16("i16")).isEqualTo((short) -2);
        assertThat(r.u32("u32")).isEqualTo(0x8000_0001L);
        assertThat(r.i64("i64")).isEqualTo(-5_000_000_000L);
        assertThat(r.f32("f32")).isEqualTo(1.5f);
        assertThat(r.f64("f64")).isEqualTo(-0.25);
        assertThat(r.isUtf8(3, "text")).isTrue();
        assertThat(r.position()).isEqualTo(at + 27);
        assertThat(r.utf8(3, "text")).isEqualTo("né");
        assertThat(r.isUtf8(1, "truncated")).isFalse();
        assertThat(r.bytes(1, "byte")).containsExactly((byte) 0xC3);
    }

    @Test
    void readsAHeapSegmentAndASliceOfOne() {
        byte[] f = fields();
        readFields(new SegmentReader(MemorySegment.ofArray(f), FILE), 0);
        byte[] shifted = new byte[f.length + 5];
        System.arraycopy(f, 0, shifted, 5, f.length);
        readFields(new SegmentReader(MemorySegment.ofArray(shifted).asSlice(5), FILE), 0);
        readFields(new SegmentReader(MemorySegment.ofArray(shifted).asSlice(5).asReadOnly(), FILE), 0);
    }

    @Test
    void readsBeforeAcrossAndPastTheViewOfALargeMapping(@TempDir Path dir) throws IOException {
        // A sparse file past 2 GiB (more than any ByteBuffer indexes): mapped, it costs neither disk nor memory.
        Path big = dir.resolve("big.bin");
        long seam = SegmentReader.VIEW_LIMIT - 12; // the i64 at +7 straddles the end of the view
        long past = (1L << 31) + 4096;
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(past + 4096);
            for (long at : new long[] {0, seam, past}) {
                raf.seek(at);
                raf.write(fields());
            }
        }
        try (MappedFile mapped = MappedFile.open(big)) {
            SegmentReader r = mapped.reader();
            for (long at : new long[] {0, seam, past}) {
                readFields(r, at);
            }
            r.seek(mapped.size() - 2);
            assertThatThrownBy(() -> r.i32("tail")).isInstanceOf(CorruptModelException.class);
        }
    }
}
