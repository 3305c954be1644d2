package dev.heft.core.format.io;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.text.StrictUtf8;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A position-tracking little-endian reader over a mapped segment, for headers and metadata. Every read checks that the
 * bytes exist first and fails with a {@link CorruptModelException} naming the file, the offset and what was being read;
 * nothing here allocates more than the caller's explicit cap.
 */
public final class SegmentReader {
    private static final ValueLayout.OfShort SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final Path file;
    /** File offset of {@code segment[0]}: 0 for a whole mapped file, more for a window of one (a zip's tail). */
    private final long base;

    private long position;

    public SegmentReader(MemorySegment segment, Path file) {
        this(segment, 0, file);
    }

    /**
     * A reader over {@code segment}, which holds the file's bytes from offset {@code base} on (only part of a file,
     * fetched over HTTP): positions, seeks and error offsets are file offsets.
     */
    public SegmentReader(MemorySegment segment, long base, Path file) {
        this.segment = segment;
        this.file = file;
        this.base = base;
    }

    public Path file() {
        return file;
    }

    /** The file offset of the next byte. */
    public long position() {
        return base + position;
    }

    public long size() {
        return segment.byteSize();
    }

    public long remaining() {
        return segment.byteSize() - position;
    }

    /** Moves to file offset {@code newPosition}. */
    public void seek(long newPosition) {
        long relative = newPosition - base;
        if (relative < 0 || relative > segment.byteSize()) {
            throw new CorruptModelException(
                    file,
                    base + position,
                    base == 0
                            ? "offset " + newPosition + " is outside the file (size " + segment.byteSize() + ")"
                            : "offset " + newPosition + " is outside the bytes read [" + base + ", "
                                    + (base + segment.byteSize()) + ")");
        }
        position = relative;
    }

    /** Fails unless {@code n} more bytes exist; {@code what} says what those bytes were meant to be. */
    public void require(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw new CorruptModelException(
                    file,
                    base + position,
                    "truncated: " + what + " needs " + n + " bytes but " + remaining() + " remain");
        }
    }

    public void skip(long n, String what) {
        require(n, what);
        position += n;
    }

    public int u8(String what) {
        require(1, what);
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, position++));
    }

    public int i8(String what) {
        require(1, what);
        return segment.get(ValueLayout.JAVA_BYTE, position++);
    }

    public short i16(String what) {
        require(2, what);
        short v = segment.get(SHORT, position);
        position += 2;
        return v;
    }

    public int i32(String what) {
        require(4, what);
        int v = segment.get(INT, position);
        position += 4;
        return v;
    }

    public long u32(String what) {
        return Integer.toUnsignedLong(i32(what));
    }

    public long i64(String what) {
        require(8, what);
        long v = segment.get(LONG, position);
        position += 8;
        return v;
    }

    public float f32(String what) {
        require(4, what);
        float v = segment.get(FLOAT, position);
        position += 4;
        return v;
    }

    public double f64(String what) {
        require(8, what);
        double v = segment.get(DOUBLE, position);
        position += 8;
        return v;
    }

    /** Copies {@code n} bytes to the heap; callers cap {@code n} before calling. */
    public byte[] bytes(long n, String what) {
        require(n, what);
        if (n > Integer.MAX_VALUE - 16) {
            throw new CorruptModelException(
                    file, base + position, what + " of " + n + " bytes is larger than heft reads");
        }
        byte[] out = new byte[(int) n];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, position, out, 0, (int) n);
        position += n;
        return out;
    }

    /** Reads {@code n} bytes of strict UTF-8 (invalid sequences are corruption, never replaced). */
    public String utf8(long n, String what) {
        long at = base + position;
        byte[] raw = bytes(n, what);
        return StrictUtf8.decode(raw)
                .orElseThrow(() -> new CorruptModelException(file, at, what + " is not valid UTF-8"));
    }
}
