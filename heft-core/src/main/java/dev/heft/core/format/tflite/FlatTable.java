package dev.heft.core.format.tflite;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.text.StrictUtf8;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One flatbuffer table, read by hand with every offset checked against the file (FlatBuffers binary format,
 * flatbuffers/docs "Internals"): a table starts with an {@code int32 soffset} to its vtable ({@code vtable = table -
 * soffset}); the vtable holds {@code uint16 vtable_bytes, uint16 table_bytes} and one {@code uint16} per field, the
 * field's offset from the table start (0 = absent, use the default). Reference fields (tables, vectors, strings) hold a
 * {@code uint32} offset relative to the field's own position; a vector is a {@code uint32} length then its elements.
 *
 * <p>Nothing is allocated from a length field before the bytes it claims are known to exist.
 */
record FlatTable(MemorySegment data, Path file, long position, long vtable, int vtableBytes, String what) {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A vector's element range: {@code count} elements of {@code elementBytes} starting at {@code start}. */
    record Vector(long start, long count, int elementBytes) {
        long elementAt(long i) {
            return start + i * elementBytes;
        }

        long bytes() {
            return count * elementBytes;
        }
    }

    /** The table at absolute position {@code position}. */
    static FlatTable at(MemorySegment data, Path file, long position, String what) {
        require(data, file, position, 4, what + " table");
        long vtable = position - data.get(INT, position);
        require(data, file, vtable, 4, what + " vtable");
        int vtableBytes = Short.toUnsignedInt(data.get(SHORT, vtable));
        CorruptModelException.verify(
                vtableBytes >= 4 && vtableBytes % 2 == 0,
                file,
                vtable,
                what + " vtable declares " + vtableBytes + " bytes; a vtable holds at least its two uint16 sizes");
        require(data, file, vtable, vtableBytes, what + " vtable of " + vtableBytes + " bytes");
        return new FlatTable(data, file, position, vtable, vtableBytes, what);
    }

    /** The root table: {@code uint32} offset at byte 0. */
    static FlatTable root(MemorySegment data, Path file, String what) {
        require(data, file, 0, 8, "root offset and file identifier");
        return at(data, file, Integer.toUnsignedLong(data.get(INT, 0)), what);
    }

    /** Absolute position of field {@code index}, or -1 when the vtable omits it. */
    long field(int index, int size, String name) {
        long slot = 4L + 2L * index;
        if (slot + 2 > vtableBytes) {
            return -1;
        }
        int offset = Short.toUnsignedInt(data.get(SHORT, vtable + slot));
        if (offset == 0) {
            return -1;
        }
        long at = position + offset;
        require(data, file, at, size, what + "." + name);
        return at;
    }

    int u8(int index, String name, int fallback) {
        long at = field(index, 1, name);
        return at < 0 ? fallback : Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, at));
    }

    byte i8(int index, String name, byte fallback) {
        long at = field(index, 1, name);
        return at < 0 ? fallback : data.get(ValueLayout.JAVA_BYTE, at);
    }

    int i32(int index, String name, int fallback) {
        long at = field(index, 4, name);
        return at < 0 ? fallback : data.get(INT, at);
    }

    long u32(int index, String name, long fallback) {
        long at = field(index, 4, name);
        return at < 0 ? fallback : Integer.toUnsignedLong(data.get(INT, at));
    }

    long u64(int index, String name, long fallback) {
        long at = field(index, 8, name);
        return at < 0 ? fallback : data.get(LONG, at);
    }

    /** Where a reference field points, or -1 when absent. */
    private long target(int index, String name) {
        long at = field(index, 4, name);
        if (at < 0) {
            return -1;
        }
        long target = at + Integer.toUnsignedLong(data.get(INT, at));
        CorruptModelException.verify(
                target < data.byteSize(),
                file,
                at,
                what + "." + name + " points to " + target + ", past the end of the file (" + data.byteSize()
                        + " bytes)");
        return target;
    }

    /** A sub-table field, or null when absent. */
    FlatTable table(int index, String name) {
        long t = target(index, name);
        return t < 0 ? null : at(data, file, t, what + "." + name);
    }

    /** A vector field (empty when absent) whose {@code count * elementBytes} is checked against the file. */
    Vector vector(int index, String name, int elementBytes) {
        long t = target(index, name);
        if (t < 0) {
            return new Vector(0, 0, elementBytes);
        }
        require(data, file, t, 4, what + "." + name + " length");
        long count = Integer.toUnsignedLong(data.get(INT, t));
        long start = t + 4;
        long room = data.byteSize() - start;
        CorruptModelException.verify(
                count <= room / elementBytes,
                file,
                t,
                what + "." + name + " declares " + count + " elements of " + elementBytes + " bytes but only " + room
                        + " bytes follow");
        return new Vector(start, count, elementBytes);
    }

    /** Element {@code i} of a vector of tables (each element a uint32 offset relative to itself). */
    FlatTable tableAt(Vector v, long i, String name) {
        long at = v.elementAt(i);
        long t = at + Integer.toUnsignedLong(data.get(INT, at));
        CorruptModelException.verify(t < data.byteSize(), file, at, name + "[" + i + "] points past the end");
        return at(data, file, t, name + "[" + i + "]");
    }

    int intAt(Vector v, long i) {
        return data.get(INT, v.elementAt(i));
    }

    /**
     * A string field (UTF-8), or {@code fallback} when absent. Converter-fused tensor names can run to kilobytes; past
     * {@code maxBytes} the name is cut (and marked with an ellipsis) so a hostile file cannot make heft decode
     * megabytes per tensor.
     */
    String string(int index, String name, String fallback, int maxBytes) {
        Vector v = vector(index, name, 1);
        if (v.start() == 0) {
            return fallback;
        }
        // A flatbuffer string is followed by a NUL the length excludes (flatbuffers Verifier::VerifyString).
        long terminator = v.start() + v.count();
        CorruptModelException.verify(
                terminator < data.byteSize() && data.get(ValueLayout.JAVA_BYTE, terminator) == 0,
                file,
                terminator,
                what + "." + name + " lacks its NUL terminator");
        boolean cut = v.count() > maxBytes;
        byte[] bytes = data.asSlice(v.start(), cut ? maxBytes : v.count()).toArray(ValueLayout.JAVA_BYTE);
        if (cut) {
            return new String(bytes, StandardCharsets.UTF_8) + "…";
        }
        return StrictUtf8.decode(bytes)
                .orElseThrow(
                        () -> new CorruptModelException(file, v.start(), what + "." + name + " is not valid UTF-8"));
    }

    private static void require(MemorySegment data, Path file, long at, long n, String what) {
        if (at < 0 || n < 0 || at > data.byteSize() - n) {
            throw new CorruptModelException(
                    file,
                    Math.max(0, at),
                    "truncated or out of range: " + what + " needs " + n + " bytes at offset " + at
                            + " but the file has " + data.byteSize());
        }
    }
}
