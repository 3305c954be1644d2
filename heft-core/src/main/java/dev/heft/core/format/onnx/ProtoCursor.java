package dev.heft.core.format.onnx;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.text.StrictUtf8;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Reads protobuf wire format (https://protobuf.dev/programming-guides/encoding/) over one message's byte range of a
 * mapped file, with {@code long} positions that are absolute offsets in the file.
 *
 * <p>Why not {@code com.google.protobuf.CodedInputStream}: it indexes with {@code int}, so it cannot walk an ONNX file
 * past 2 GiB (large models keep multi-GiB {@code raw_data} inline), and a stream over a {@code ByteBuffer} slice
 * reports positions relative to the slice, while heft needs each tensor's absolute file offset. Tags, varints and
 * length prefixes are the few lines below, and the wire-type constants and tag packing are {@link WireFormat}'s
 * (the protobuf encoding guide's), so the protobuf runtime is not needed at all.
 *
 * <p>Every read is bounded by this message's end (not only the file's end), so a length that escapes its parent
 * message is corruption at the offset of that length.
 */
final class ProtoCursor {
    /** A varint is at most 10 bytes (64 bits, 7 per byte); protobuf rejects longer ones as malformed. */
    private static final int MAX_VARINT_BYTES = 10;

    private final MemorySegment segment;
    private final Path file;
    private final long end;
    private long position;

    ProtoCursor(MemorySegment segment, Path file, long start, long end) {
        if (start < 0 || end < start || end > segment.byteSize()) {
            throw new IllegalArgumentException(
                    "range [" + start + ", " + end + ") outside segment of " + segment.byteSize());
        }
        this.segment = segment;
        this.file = file;
        this.position = start;
        this.end = end;
    }

    /** A cursor over the whole file: a ModelProto is the file itself, with no length prefix. */
    static ProtoCursor whole(MemorySegment segment, Path file) {
        return new ProtoCursor(segment, file, 0, segment.byteSize());
    }

    MemorySegment segment() {
        return segment;
    }

    Path file() {
        return file;
    }

    long position() {
        return position;
    }

    long end() {
        return end;
    }

    boolean hasMore() {
        return position < end;
    }

    /**
     * Reads a field key ({@code field_number << 3 | wire_type}). Field number 0, numbers past 2^29-1, and the
     * deprecated group wire types (3, 4), which ONNX never uses, are corruption.
     */
    int readTag() {
        long at = position;
        long key = readVarint("field key");
        int wireType = (int) (key & 7);
        long field = key >>> 3;
        if (field == 0 || field > (1 << 29) - 1) {
            throw new CorruptModelException(
                    file, at, "invalid protobuf field number " + field + " (expected 1 to 536870911)");
        }
        if (wireType != WireFormat.WIRETYPE_VARINT
                && wireType != WireFormat.WIRETYPE_FIXED64
                && wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED
                && wireType != WireFormat.WIRETYPE_FIXED32) {
            throw new CorruptModelException(
                    file,
                    at,
                    "protobuf wire type " + wireType + " for field " + field
                            + " (expected 0 varint, 1 fixed64, 2 length-delimited or 5 fixed32)");
        }
        return (int) key;
    }

    static int fieldNumber(int tag) {
        return WireFormat.getTagFieldNumber(tag);
    }

    static int wireType(int tag) {
        return WireFormat.getTagWireType(tag);
    }

    /** A base-128 varint of up to 10 bytes, as a raw 64-bit value (negative int64 values use all 10). */
    long readVarint(String what) {
        long at = position;
        long result = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (position >= end) {
                throw new CorruptModelException(
                        file, at, "truncated varint (" + what + ") at end of message ending at " + end);
            }
            int b = Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, position++));
            if (i == MAX_VARINT_BYTES - 1 && b > 1) {
                throw new CorruptModelException(file, at, "varint (" + what + ") overflows 64 bits");
            }
            result |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptModelException(file, at, "varint (" + what + ") longer than 10 bytes");
    }

    /** A varint that must fit a non-negative {@code int} (enum values, data types). */
    int readInt32(String what) {
        long at = position;
        long v = readVarint(what);
        // int32 fields are sign-extended to 10 bytes when negative; a value outside int range is corrupt either way.
        if (v != (int) v) {
            throw new CorruptModelException(file, at, what + " " + v + " does not fit an int32");
        }
        return (int) v;
    }

    /**
     * Reads a length prefix and checks it against the bytes left in this message before anything is sliced or
     * allocated.
     */
    long readLength(String what) {
        long at = position;
        long len = readVarint(what + " length");
        if (len < 0 || len > end - position) {
            throw new CorruptModelException(
                    file,
                    at,
                    what + " length " + Long.toUnsignedString(len) + " runs past the end of its "
                            + "enclosing message (" + (end - position) + " bytes remain, message ends at " + end + ")");
        }
        return len;
    }

    /** The length-delimited field as a cursor of its own; this cursor moves past it. */
    ProtoCursor readMessage(String what) {
        long len = readLength(what);
        ProtoCursor sub = new ProtoCursor(segment, file, position, position + len);
        position += len;
        return sub;
    }

    /** A length-delimited field's absolute byte range, skipped without reading it (tensor payloads). */
    ByteRange readRange(String what) {
        long len = readLength(what);
        ByteRange r = new ByteRange(position, len);
        position += len;
        return r;
    }

    /** A length-delimited UTF-8 string, refused when longer than {@code cap} bytes (names, op types, keys). */
    String readString(String what, int cap) {
        long at = position;
        long len = readLength(what);
        if (len > cap) {
            throw new CorruptModelException(file, at, what + " is " + len + " bytes; heft reads strings up to " + cap);
        }
        byte[] raw = new byte[(int) len];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, position, raw, 0, (int) len);
        position += len;
        return StrictUtf8.decode(raw)
                .orElseThrow(() -> new CorruptModelException(file, at, what + " is not valid UTF-8"));
    }

    /** Skips one field's value of the given wire type. */
    void skip(int tag) {
        long at = position;
        switch (wireType(tag)) {
            case WireFormat.WIRETYPE_VARINT -> readVarint("field " + fieldNumber(tag));
            case WireFormat.WIRETYPE_FIXED64 -> advance(8, at, tag);
            case WireFormat.WIRETYPE_FIXED32 -> advance(4, at, tag);
            case WireFormat.WIRETYPE_LENGTH_DELIMITED -> readRange("field " + fieldNumber(tag));
            default -> throw new CorruptModelException(file, at, "cannot skip wire type " + wireType(tag));
        }
    }

    private void advance(int n, long at, int tag) {
        if (n > end - position) {
            throw new CorruptModelException(
                    file,
                    at,
                    "truncated fixed-width field " + fieldNumber(tag) + ": needs " + n + " bytes, " + (end - position)
                            + " remain");
        }
        position += n;
    }

    /**
     * Calls {@code each} for every varint of a repeated int64 field, packed (one length-delimited run) or not (one
     * varint per key). Used for {@code dims} and attribute {@code ints}, which are short.
     */
    void readInt64s(int tag, String what, java.util.function.LongConsumer each) {
        if (wireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            ProtoCursor packed = readMessage(what);
            while (packed.hasMore()) {
                each.accept(packed.readVarint(what));
            }
        } else if (wireType(tag) == WireFormat.WIRETYPE_VARINT) {
            each.accept(readVarint(what));
        } else {
            throw new CorruptModelException(
                    file, position, what + " has wire type " + wireType(tag) + " (expected varint or packed varints)");
        }
    }

    /** Fails unless {@code tag} has the wire type the schema gives its field. */
    void expect(int tag, int wireType, String what) {
        if (wireType(tag) != wireType) {
            throw new CorruptModelException(
                    file,
                    position,
                    what + " (field " + fieldNumber(tag) + ") has wire type " + wireType(tag) + ", expected "
                            + wireType);
        }
    }

    /** An absolute byte range inside the file. */
    record ByteRange(long offset, long length) {}
}
