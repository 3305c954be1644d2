package dev.heft.core.format.io;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.text.StrictUtf8;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A position-tracking little-endian reader over a mapped segment, for headers and metadata. Every read checks that the
 * bytes exist first and fails with a {@link CorruptModelException} naming the file, the offset and what was being read;
 * nothing here allocates more than the caller's explicit cap.
 *
 * <p>Reads go through a little-endian {@link ByteBuffer} view of the segment, not {@code segment.get(ValueLayout)}:
 * the first FFM accessor a JVM uses makes the JDK generate about ten method-handle classes (layout paths, var-handle
 * forms) that the AOT cache cannot hold, so every command paid for them before reading its first header byte
 * (bench/RESULTS.md, start-up). The view covers the segment's first {@value #VIEW_LIMIT} bytes (a buffer indexes at
 * most 2 GiB); headers lie there, and reads past it (a seek into a larger mapping) take the FFM accessors.
 */
public final class SegmentReader {
    /** How many of a segment's first bytes {@link #buffer} views: 1 GiB, far beyond any header. */
    static final int VIEW_LIMIT = 1 << 30;

    private final MemorySegment segment;
    private final Path file;
    /** File offset of {@code segment[0]}: 0 for a whole mapped file, more for a window of one (a zip's tail). */
    private final long base;
    /** {@code segment}'s first {@code buffer.capacity()} bytes, little-endian; absolute reads only. */
    private final ByteBuffer buffer;

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
        this.buffer = littleEndianView(segment);
    }

    /** The segment's first {@link #VIEW_LIMIT} bytes as a little-endian buffer indexed from 0. */
    private static ByteBuffer littleEndianView(MemorySegment segment) {
        int viewed = (int) Math.min(segment.byteSize(), VIEW_LIMIT);
        // A header read into a byte[] is wrapped as it is: asByteBuffer() would initialise FFM's internal Utils class,
        // whose method handles are generated at run time as well (a mapped file still takes that path).
        ByteBuffer view = segment.heapBase().orElse(null) instanceof byte[] array
                ? ByteBuffer.wrap(array, (int) segment.address(), viewed).slice()
                : (viewed == segment.byteSize() ? segment : segment.asSlice(0, viewed)).asByteBuffer();
        return view.order(ByteOrder.LITTLE_ENDIAN);
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
        return i8(what) & 0xFF;
    }

    public int i8(String what) {
        require(1, what);
        byte v = inBuffer(1) ? buffer.get((int) position) : segment.get(Layouts.BYTE, position);
        position++;
        return v;
    }

    public short i16(String what) {
        require(2, what);
        short v = inBuffer(2) ? buffer.getShort((int) position) : segment.get(Layouts.SHORT, position);
        position += 2;
        return v;
    }

    public int i32(String what) {
        require(4, what);
        int v = inBuffer(4) ? buffer.getInt((int) position) : segment.get(Layouts.INT, position);
        position += 4;
        return v;
    }

    public long u32(String what) {
        return Integer.toUnsignedLong(i32(what));
    }

    public long i64(String what) {
        require(8, what);
        long v = inBuffer(8) ? buffer.getLong((int) position) : segment.get(Layouts.LONG, position);
        position += 8;
        return v;
    }

    public float f32(String what) {
        return Float.intBitsToFloat(i32(what));
    }

    public double f64(String what) {
        return Double.longBitsToDouble(i64(what));
    }

    /**
     * Whether the next {@code n} bytes are well-formed UTF-8 ({@link StrictUtf8}), checked in place; the position does
     * not move.
     */
    public boolean isUtf8(long n, String what) {
        require(n, what);
        if (inBuffer(n)) {
            return StrictUtf8.isValid(buffer, (int) position, (int) n);
        }
        long at = position;
        boolean valid = StrictUtf8.firstMalformed(bytes(n, what)) < 0;
        position = at;
        return valid;
    }

    /** Whether the {@code n} bytes from the position lie in {@link #buffer} ({@code n} already checked to exist). */
    private boolean inBuffer(long n) {
        return position + n <= buffer.capacity();
    }

    /** Copies {@code n} bytes to the heap; callers cap {@code n} before calling. */
    public byte[] bytes(long n, String what) {
        require(n, what);
        if (n > Integer.MAX_VALUE - 16) {
            throw new CorruptModelException(
                    file, base + position, what + " of " + n + " bytes is larger than heft reads");
        }
        byte[] out = new byte[(int) n];
        if (inBuffer(n)) {
            buffer.get((int) position, out);
        } else {
            MemorySegment.copy(segment, Layouts.BYTE, position, out, 0, (int) n);
        }
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

    /** The FFM layouts, for reads past {@link #buffer}: a holder, so that only such a read initialises them. */
    private static final class Layouts {
        static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
        static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    }
}
