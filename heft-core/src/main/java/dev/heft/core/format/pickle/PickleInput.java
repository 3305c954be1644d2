package dev.heft.core.format.pickle;

import dev.heft.core.error.CorruptModelException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The bytes of one pickle (a zip entry's slice of the mapped file, a region of a legacy checkpoint, or a deflated zip
 * entry inflated as it is read) read position by position. Every read checks that its bytes exist, and errors carry
 * the absolute file offset ({@code base + position}) and the pickle's name (e.g. {@code archive/data.pkl}) so a user
 * can find the spot.
 *
 * <p>A deflated pickle is never inflated whole: bytes are inflated into a window just ahead of the reader, which grows
 * only while bytes actually arrive (so a directory entry declaring 200 MiB costs nothing until 200 MiB inflate, and a
 * pickle is held in memory no more than its longest single string). Its declared size is the bound lengths are checked
 * against; {@link #finish()} then checks the stream ends exactly there.
 */
public final class PickleInput {
    /** What the window starts at, and grows by at least, for an inflated pickle. */
    private static final int WINDOW = 64 * 1024;
    /** BINFLOAT is the one big-endian field in the format (pickletools: "float8, big-endian IEEE"). */
    private static final ValueLayout.OfDouble F64_BE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment bytes;
    private final Inflater inflater;
    private final long size;
    private final long base;
    private final Path file;
    private final String name;
    private long position;
    /** Inflated mode: window[0] is pickle byte {@code windowStart}; {@code windowLength} bytes are valid. */
    private byte[] window;

    private long windowStart;
    private int windowLength;

    /**
     * @param bytes the pickle and possibly more after it (legacy files hold several pickles back to back)
     * @param base  absolute file offset of {@code bytes[0]} (for messages)
     * @param file  the file, for messages
     * @param name  what the pickle is (an entry name, "object pickle"), for messages
     */
    public PickleInput(MemorySegment bytes, long base, Path file, String name) {
        this(bytes, null, bytes.byteSize(), base, file, name);
    }

    private PickleInput(MemorySegment bytes, Inflater inflater, long size, long base, Path file, String name) {
        this.bytes = bytes;
        this.inflater = inflater;
        this.size = size;
        this.base = base;
        this.file = file;
        this.name = name;
        this.window = inflater == null ? null : new byte[(int) Math.min(WINDOW, Math.max(1, size))];
    }

    public static PickleInput of(byte[] data, Path file, String name) {
        return new PickleInput(MemorySegment.ofArray(data), 0, file, name);
    }

    /**
     * A raw deflate stream (a zip entry of method 8, APPNOTE 4.4.5) read as it inflates. The caller ends the inflater
     * once the pickle is read.
     *
     * @param declaredSize the inflated size the zip directory declares: the bound every length is checked against
     */
    public static PickleInput inflating(Inflater inflater, long declaredSize, long base, Path file, String name) {
        return new PickleInput(null, inflater, declaredSize, base, file, name);
    }

    public long position() {
        return position;
    }

    /** Absolute file offset of the next byte. */
    public long fileOffset() {
        return base + position;
    }

    /** Bytes left up to the end of the pickle's region (for an inflated pickle: up to its declared size). */
    public long remaining() {
        return size - position;
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

    /**
     * For an inflated pickle, reads what follows the STOP to the end of the stream and checks the stream holds exactly
     * the declared size (the window is reused, nothing is kept). Nothing to do for a mapped one.
     */
    public void finish() {
        if (inflater == null) {
            return;
        }
        long end = windowStart + windowLength;
        do {
            end = windowStart + windowLength;
            windowStart = end;
            windowLength = 0;
        } while (fill());
        if (end != size) {
            throw new CorruptModelException(
                    file, base, name, "deflated pickle inflates to " + end + " bytes, its zip " + "entry says " + size);
        }
    }

    void require(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw truncated(n, what);
        }
        if (inflater != null && !available(n)) {
            throw corrupt(
                    position,
                    "truncated pickle: " + what + " needs " + n + " bytes but the deflate stream " + "ends after "
                            + (windowStart + windowLength) + " of the " + size + " its zip entry declares");
        }
    }

    private CorruptModelException truncated(long n, String what) {
        return corrupt(position, "truncated pickle: " + what + " needs " + n + " bytes but " + remaining() + " remain");
    }

    int u8(String what) {
        require(1, what);
        return Byte.toUnsignedInt(byteAt(position++));
    }

    int u16(String what) {
        require(2, what);
        int v = Byte.toUnsignedInt(byteAt(position)) | Byte.toUnsignedInt(byteAt(position + 1)) << 8;
        position += 2;
        return v;
    }

    int i32(String what) {
        require(4, what);
        int v = (int) littleEndian(4);
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
        long v = littleEndian(8);
        position += 8;
        if (v < 0) {
            throw corrupt(at, what + " of " + Long.toUnsignedString(v) + " is larger than any file");
        }
        return v;
    }

    double f64BigEndian(String what) {
        require(8, what);
        byte[] eight = copy(position, 8);
        position += 8;
        return MemorySegment.ofArray(eight).get(F64_BE, 0);
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
        byte[] out = copy(position, (int) n);
        position += n;
        return out;
    }

    /** A protocol-0 text argument: bytes up to a newline, at most {@code cap} of them, without the newline. */
    byte[] line(int cap, String what) {
        long start = position;
        long limit = Math.min(remaining(), (long) cap + 1);
        for (long i = 0; i < limit && (inflater == null || available(i + 1)); i++) {
            if (byteAt(start + i) == '\n') {
                byte[] out = copy(start, (int) i);
                position = start + i + 1;
                return out;
            }
        }
        throw corrupt(start, what + " has no newline within " + Math.min(remaining(), cap) + " bytes");
    }

    // ---- access to bytes the caller has made available ----

    private byte byteAt(long at) {
        return inflater == null ? bytes.get(ValueLayout.JAVA_BYTE, at) : window[(int) (at - windowStart)];
    }

    private long littleEndian(int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | Byte.toUnsignedLong(byteAt(position + i));
        }
        return v;
    }

    private byte[] copy(long at, int n) {
        byte[] out = new byte[n];
        if (inflater == null) {
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, out, 0, n);
        } else {
            System.arraycopy(window, (int) (at - windowStart), out, 0, n);
        }
        return out;
    }

    // ---- the inflating window ----

    /** Whether the {@code n} bytes from the position are (or could be made) present in the window. */
    private boolean available(long n) {
        while (windowStart + windowLength < position + n) {
            if (windowStart < position) {
                // Drop what the reader has passed; it never reads backwards.
                int keep = (int) (windowStart + windowLength - position);
                System.arraycopy(window, (int) (position - windowStart), window, 0, Math.max(0, keep));
                windowLength = Math.max(0, keep);
                windowStart = position;
            }
            if (windowLength == window.length) {
                // Full of bytes that did arrive and are still needed: only now grow, at most doubling.
                long wanted = Math.min(Math.max((long) window.length * 2, (long) window.length + WINDOW), size);
                if (wanted <= window.length) {
                    return false;
                }
                window = Arrays.copyOf(window, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
            }
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Inflates into the window's free space; false when the stream has ended or produces nothing more. */
    private boolean fill() {
        if (windowLength == window.length) {
            windowStart += windowLength;
            windowLength = 0;
        }
        try {
            int got = inflater.inflate(window, windowLength, window.length - windowLength);
            if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                return false;
            }
            windowLength += got;
            if (windowStart + windowLength > size) {
                throw new CorruptModelException(
                        file,
                        base,
                        name,
                        "deflated pickle inflates to more than the " + size + " bytes its zip entry declares");
            }
            return true;
        } catch (DataFormatException e) {
            throw new CorruptModelException(file, base, name, "deflated pickle is corrupt: " + e.getMessage());
        }
    }
}
