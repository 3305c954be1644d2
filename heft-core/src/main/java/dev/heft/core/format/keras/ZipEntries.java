package dev.heft.core.format.keras;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.zip.ZipEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Reads a small zip entry's bytes (STORED verbatim, DEFLATED inflated in 64 KiB steps), never past a caller's cap. */
final class ZipEntries {
    private static final int CHUNK = 64 * 1024;

    private ZipEntries() {}

    /** The entry's bytes on the heap; {@code cap} is the most a small JSON entry may hold. */
    static byte[] readSmall(MemorySegment zip, Path file, ZipEntry e, long cap) throws IOException {
        checkSize(file, e, cap);
        var out = new java.io.ByteArrayOutputStream((int) Math.min(e.uncompressedSize(), CHUNK));
        copy(zip, file, e, out);
        return out.toByteArray();
    }

    private static void checkSize(Path file, ZipEntry e, long cap) {
        if (e.uncompressedSize() > cap) {
            throw new UnsupportedModelException(
                    file,
                    e.dataOffset(),
                    e.name(),
                    "entry declares " + e.uncompressedSize() + " uncompressed bytes, above the " + cap
                            + "-byte limit heft extracts");
        }
    }

    private static void copy(MemorySegment zip, Path file, ZipEntry e, OutputStream out) throws IOException {
        MemorySegment data = zip.asSlice(e.dataOffset(), e.compressedSize());
        switch (e.method()) {
            case ZipEntry.STORED -> {
                CorruptModelException.verify(
                        e.compressedSize() == e.uncompressedSize(),
                        file,
                        e.dataOffset(),
                        e.name()
                                + ": a STORED entry's compressed size " + e.compressedSize() + " differs from its size "
                                + e.uncompressedSize());
                byte[] buf = new byte[CHUNK];
                for (long at = 0; at < e.uncompressedSize(); at += CHUNK) {
                    int n = (int) Math.min(CHUNK, e.uncompressedSize() - at);
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            case ZipEntry.DEFLATED -> inflate(data, file, e, out);
            default ->
                throw new UnsupportedModelException(
                        file,
                        e.dataOffset(),
                        e.name(),
                        "zip compression method " + e.method() + "; heft reads STORED (0) and DEFLATED (8)");
        }
    }

    private static void inflate(MemorySegment data, Path file, ZipEntry e, OutputStream out) throws IOException {
        Inflater inflater = new Inflater(true); // raw deflate: zip entries carry no zlib header
        try {
            inflater.setInput(data.asByteBuffer());
            byte[] buf = new byte[CHUNK];
            long written = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CorruptModelException(
                            file,
                            e.dataOffset(),
                            e.name(),
                            "deflate stream ends before " + "its end marker after " + written + " of "
                                    + e.uncompressedSize() + " bytes");
                }
                written += n;
                if (written > e.uncompressedSize()) {
                    throw new CorruptModelException(
                            file,
                            e.dataOffset(),
                            e.name(),
                            "inflates to more than the " + e.uncompressedSize()
                                    + " bytes its directory entry declares");
                }
                out.write(buf, 0, n);
            }
            CorruptModelException.verify(
                    written == e.uncompressedSize(),
                    file,
                    e.dataOffset(),
                    e.name() + " inflates to " + written + " bytes but its directory entry declares "
                            + e.uncompressedSize());
        } catch (DataFormatException ex) {
            throw new CorruptModelException(
                    file, e.dataOffset(), e.name() + ": invalid deflate data: " + ex.getMessage(), ex);
        } finally {
            inflater.end();
        }
    }
}
