package dev.heft.core.format.pickle;

import dev.heft.core.error.CorruptModelException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The bytes of one pickle (a zip entry's slice of the mapped file, or a region of a legacy checkpoint) read
 * position by position. Every read checks that its bytes exist, and errors carry the absolute file offset
 * ({@code base + position}) and the pickle's name (e.g. {@code archive/data.pkl}) so a user can find the spot.
 */
public final class PickleInput {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** BINFLOAT is the one big-endian field in the format (pickletools: "float8, big-endian IEEE"). */
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment bytes;
    private final long base;
    private final Path file;
    private final String name;
    private long position;

    /**
     * @param bytes the pickle and possibly more after it (legacy files hold several pickles back to back)
     * @param base  absolute file offset of {@code bytes[0]} (for messages)
     * @param file  the file, for messages
     * @param name  what the pickle is (an entry name, "object pickle"), for messages
     */
    public PickleInput(MemorySegment bytes, long base, Path file, String name) {
        this.bytes = bytes;
        this.base = base;
        this.file = file;
        this.name = name;
    }

    public static PickleInput of(byte[] data, Path file, String name) {
        return new PickleInput(MemorySegment.ofArray(data), 0, file, name);
    }

    public long position() {
        return position;
    }

    /** Absolute file offset of the next byte. */
    public long fileOffset() {
        return base + position;
    }

    public long remaining() {
        return bytes.byteSize() - position;
    }

    public Path file() {
        return file;
    }

    public String name() {
        return name;
    }

    public CorruptModelException corrupt(long atPosition, String problem) {
        return new CorruptModelException(file, base + atPosition, name, problem);
    }

    void require(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw corrupt(position, "truncated pickle: " + what + " needs " + n + " bytes but " + remaining()
                    + " remain");
        }
    }

    int u8(String what) {
        require(1, what);
        return Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, position++));
    }

    int u16(String what) {
        require(2, what);
        int v = Short.toUnsignedInt(bytes.get(U16, position));
        position += 2;
        return v;
    }

    int i32(String what) {
        require(4, what);
        int v = bytes.get(I32, position);
        position += 4;
        return v;
    }

    long u32(String what) {
        return Integer.toUnsignedLong(i32(what));
    }

    /** An unsigned 64-bit length; values that do not fit a signed long are reported as corrupt. */
    long u64(String what) {
        require(8, what);
        long at = position;
        long v = bytes.get(I64, position);
        position += 8;
        if (v < 0) {
            throw corrupt(at, what + " of " + Long.toUnsignedString(v) + " is larger than any file");
        }
        return v;
    }

    double f64BigEndian(String what) {
        require(8, what);
        double v = bytes.get(F64_BE, position);
        position += 8;
        return v;
    }

    /**
     * Copies a declared-length run of bytes. The length is checked against what remains before anything is
     * allocated, and against {@code cap} (the interpreter's string limit).
     */
    byte[] bytes(long n, int cap, String what) {
        if (n > cap) {
            throw corrupt(position, what + " declares " + n + " bytes, more than heft's limit of " + cap);
        }
        require(n, what);
        byte[] out = new byte[(int) n];
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, position, out, 0, (int) n);
        position += n;
        return out;
    }

    /** A protocol-0 text argument: bytes up to a newline, at most {@code cap} of them, without the newline. */
    byte[] line(int cap, String what) {
        long start = position;
        long limit = Math.min(remaining(), (long) cap + 1);
        for (long i = 0; i < limit; i++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, start + i) == '\n') {
                byte[] out = new byte[(int) i];
                MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, start, out, 0, (int) i);
                position = start + i + 1;
                return out;
            }
        }
        throw corrupt(start, what + " has no newline within " + Math.min(remaining(), cap) + " bytes");
    }
}
