package dev.heft.core.format.safetensors;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.io.SegmentReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a safetensors file's header and nothing else: the 8-byte length, then exactly N bytes. The data section is
 * neither mapped nor read, so inspecting a 4 GiB shard costs one small positional read (and a sparse or still-
 * downloading file is checked by its size alone).
 */
public final class HeaderReader {
    /**
     * The reference implementation's cap on N ({@code MAX_HEADER_SIZE = 100_000_000} in safetensors/src/tensor.rs,
     * {@code HeaderTooLarge}); it also bounds what heft allocates for a header.
     */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private HeaderReader() {}

    /** Reads and validates {@code file}'s header. */
    public static SafetensorsHeader read(Path file) throws IOException {
        return new Sequence().read(file);
    }

    /**
     * Reads headers one after another on one thread into one buffer, parsed through one parser's columns: the header
     * bytes are garbage once parsed, and a fresh array per shard was 5.7 of the 46 MB a 163-shard inspect allocated,
     * each byte of it zeroed by the kernel (a new page) and again by the JVM (a new array) before the read wrote it;
     * page zeroing was a fifth of that inspect's main-thread CPU (perf, issue 12). Not thread-safe.
     */
    static final class Sequence {
        private final ColumnarHeaderParser columns = new ColumnarHeaderParser();
        private byte[] buffer = new byte[0];

        /** {@link HeaderReader#read}. */
        SafetensorsHeader read(Path file) throws IOException {
            return read(file, null);
        }

        /**
         * {@link HeaderReader#read}, the names taken from {@code known} (the index's entries for this shard, may be
         * {@code null}) where the header spells them in the same order.
         */
        SafetensorsHeader read(Path file, IndexColumns.KnownNames known) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long fileSize = channel.size();
                int prefixLength = (int) Math.min(SafetensorsHeader.LENGTH_PREFIX_BYTES, fileSize);
                readAt(file, channel, 0, prefixLength);
                long n = lengthPrefix(Arrays.copyOf(buffer, prefixLength), file);
                int headerLength = (int) checkedHeaderLength(file, n, fileSize);
                readAt(file, channel, SafetensorsHeader.LENGTH_PREFIX_BYTES, headerLength);
                return HeaderParser.parse(file, fileSize, buffer, headerLength, columns, known);
            }
        }

        /** Reads {@code length} bytes at {@code position} into {@code buffer[0, length)}, growing it if needed. */
        private void readAt(Path file, FileChannel channel, long position, int length) throws IOException {
            if (buffer.length < length) {
                // Doubling, so that a run of growing headers reallocates a few times, not once per shard.
                buffer = new byte[(int) Math.min(Math.max(length, 2L * buffer.length), MAX_HEADER_BYTES)];
            }
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
            long at = position;
            while (target.hasRemaining()) {
                int read = channel.read(target, at);
                if (read < 0) {
                    // The file shrank between size() and read(): report it as the truncation it is.
                    throw new EOFException(file + ": file ended at byte " + at + " while reading its header");
                }
                at += read;
            }
        }
    }

    /**
     * Parses a safetensors header from bytes alone (the web app's upload: a browser sends only a file's first
     * {@code 8 + N} bytes) for a file of {@code fileSize} bytes. Every rule the file reader checks applies, with the
     * data ranges checked against {@code fileSize}; the data bytes themselves are not there. Nothing touches disk.
     *
     * @param head     the file's first bytes: at least the 8-byte length and the N header bytes (more is ignored)
     * @param name     the file's name, for messages and {@link dev.heft.core.tensor.Tensor#file()}
     * @param fileSize the whole file's size in bytes
     */
    public static SafetensorsHeader parse(byte[] head, Path name, long fileSize) {
        long n = lengthPrefix(head, name);
        long headerLength = checkedHeaderLength(name, n, fileSize);
        CorruptModelException.verify(
                headerLength <= head.length - SafetensorsHeader.LENGTH_PREFIX_BYTES,
                name,
                SafetensorsHeader.LENGTH_PREFIX_BYTES,
                "header of " + headerLength + " bytes but only " + (head.length - SafetensorsHeader.LENGTH_PREFIX_BYTES)
                        + " bytes were given after the length");
        byte[] header = Arrays.copyOfRange(
                head,
                SafetensorsHeader.LENGTH_PREFIX_BYTES,
                SafetensorsHeader.LENGTH_PREFIX_BYTES + (int) headerLength);
        return HeaderParser.parse(name, fileSize, header);
    }

    /**
     * The u64 N at the start of {@code head}, little-endian; a file under 8 bytes is "truncated" at 0, in the words of
     * {@link SegmentReader#require}. Decoded from the array itself: wrapping it in a {@code MemorySegment} for one read
     * initialised FFM's internal {@code Utils}, whose method handles the JDK generates at run time (two classes spun
     * by the class-file API, interpreted, on every safetensors command; the AOT cache cannot hold them, issue 12).
     */
    static long lengthPrefix(byte[] head, Path file) {
        int bytes = SafetensorsHeader.LENGTH_PREFIX_BYTES;
        if (head.length < bytes) {
            throw new CorruptModelException(
                    file,
                    0,
                    "truncated: header length (u64 little-endian) needs " + bytes + " bytes but " + head.length
                            + " remain");
        }
        long n = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            n = (n << 8) | (head[i] & 0xff);
        }
        return n;
    }

    /**
     * Checks N (read as unsigned) against the reference's cap and against the bytes the file actually has after the
     * prefix, before anything is allocated for it.
     */
    static long checkedHeaderLength(Path file, long n, long fileSize) {
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new CorruptModelException(
                    file,
                    0,
                    "header length " + Long.toUnsignedString(n) + " exceeds the safetensors limit of "
                            + MAX_HEADER_BYTES + " bytes (is this a safetensors file?)");
        }
        long available = fileSize - SafetensorsHeader.LENGTH_PREFIX_BYTES;
        if (n > available) {
            throw new CorruptModelException(
                    file,
                    0,
                    "header length " + n + " runs past the end of the file: only " + available
                            + " bytes follow the 8-byte length (file truncated?)");
        }
        return n;
    }
}
