package dev.heft.core.format.keras;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.SegmentReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A zip archive's central directory, read from a mapped file with bounds checks (PKWARE APPNOTE.TXT 6.3: 4.3.12
 * central directory header, 4.3.16 end of central directory, 4.3.14/4.3.15 ZIP64 end record and locator, 4.5.3 ZIP64
 * extra field). Only what heft needs: each entry's name, method, sizes and where its data starts.
 *
 * <p>Entry names with {@code ..} segments, absolute paths, drive letters or backslashes are refused: heft never
 * extracts by name, but a hostile archive that carries such names is not one Keras wrote.
 */
record ZipDirectory(Path file, List<Entry> entries) {
    static final int STORED = 0;
    static final int DEFLATED = 8;
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int EOCD_BYTES = 22;
    private static final int CENTRAL_BYTES = 46;
    private static final int LOCAL_BYTES = 30;
    private static final long MAX_COMMENT = 0xffff;

    /**
     * One entry.
     *
     * @param dataOffset absolute offset of the entry's (possibly compressed) bytes, after its local header
     */
    record Entry(String name, int method, long compressedSize, long size, long dataOffset) {
    }

    Optional<Entry> entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    static boolean looksLikeZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    static ZipDirectory read(SegmentReader r) {
        Path file = r.file();
        long size = r.size();
        CorruptModelException.verify(size >= EOCD_BYTES, file, 0, "a zip archive needs at least the 22-byte end "
                + "of central directory record; the file has " + size + " bytes");
        long eocd = findEocd(r);
        r.seek(eocd + 10); // signature, disk numbers, entries on this disk
        long count = u16(r, "EOCD total entries");
        long cdSize = r.u32("EOCD central directory size");
        long cdOffset = r.u32("EOCD central directory offset");
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            long locator = eocd - 20;
            CorruptModelException.verify(locator >= 0, file, eocd, "ZIP64 sizes without a ZIP64 locator");
            r.seek(locator);
            CorruptModelException.verify(r.i32("ZIP64 locator signature") == ZIP64_LOCATOR_SIGNATURE, file, locator,
                    "expected the ZIP64 end of central directory locator (PK\\6\\7) before the end record");
            r.skip(4, "ZIP64 locator disk");
            long zip64 = r.i64("ZIP64 end record offset");
            CorruptModelException.verify(zip64 >= 0 && zip64 <= size - 56, file, locator + 8, "ZIP64 end record "
                    + "offset " + zip64 + " lies outside the file");
            r.seek(zip64);
            CorruptModelException.verify(r.i32("ZIP64 end signature") == ZIP64_EOCD_SIGNATURE, file, zip64,
                    "expected the ZIP64 end of central directory record (PK\\6\\6)");
            r.skip(8 + 2 + 2 + 4 + 4 + 8, "ZIP64 end record header");
            count = r.i64("ZIP64 total entries");
            cdSize = r.i64("ZIP64 central directory size");
            cdOffset = r.i64("ZIP64 central directory offset");
        }
        CorruptModelException.verify(cdOffset >= 0 && cdSize >= 0 && cdOffset <= eocd && cdSize <= eocd - cdOffset,
                file, eocd, "central directory (" + cdSize + " bytes at " + cdOffset + ") does not fit before the "
                        + "end record at " + eocd);
        CorruptModelException.verify(count >= 0 && count <= cdSize / CENTRAL_BYTES, file, eocd, count
                + " entries cannot fit in a " + cdSize + "-byte central directory");
        List<Entry> entries = new ArrayList<>((int) count);
        java.util.Set<String> names = new java.util.HashSet<>();
        r.seek(cdOffset);
        for (long i = 0; i < count; i++) {
            long at = r.position();
            Entry e = central(r, size);
            // Readers disagree on which duplicate wins (Python's zipfile takes the last), so refuse the ambiguity.
            CorruptModelException.verify(names.add(e.name()), file, at, "zip entry '" + e.name()
                    + "' appears twice in the central directory");
            entries.add(e);
        }
        return new ZipDirectory(file, List.copyOf(entries));
    }

    private static long findEocd(SegmentReader r) {
        long size = r.size();
        long lowest = Math.max(0, size - EOCD_BYTES - MAX_COMMENT);
        for (long at = size - EOCD_BYTES; at >= lowest; at--) {
            r.seek(at);
            if (r.i32("EOCD signature") == EOCD_SIGNATURE) {
                return at;
            }
        }
        throw new CorruptModelException(r.file(), size - EOCD_BYTES, "no zip end of central directory record "
                + "(PK\\5\\6) in the last " + (size - lowest) + " bytes; the archive is truncated or not a zip");
    }

    private static Entry central(SegmentReader r, long fileSize) {
        Path file = r.file();
        long at = r.position();
        CorruptModelException.verify(r.i32("central directory signature") == CENTRAL_SIGNATURE, file, at,
                "expected a central directory header (PK\\1\\2)");
        r.skip(4, "versions");
        int flags = u16(r, "general purpose flags");
        int method = u16(r, "compression method");
        r.skip(8, "time, date, crc");
        long compressed = r.u32("compressed size");
        long size = r.u32("uncompressed size");
        int nameLength = u16(r, "name length");
        int extraLength = u16(r, "extra length");
        int commentLength = u16(r, "comment length");
        r.skip(8, "disk, attributes");
        long local = r.u32("local header offset");
        long nameAt = r.position();
        String name = new String(r.bytes(nameLength, "entry name"), StandardCharsets.UTF_8);
        long extraEnd = r.position() + extraLength;
        r.require(extraLength, "extra field");
        while (r.position() + 4 <= extraEnd) {
            int id = u16(r, "extra id");
            int len = u16(r, "extra length");
            long next = r.position() + len;
            CorruptModelException.verify(next <= extraEnd, file, r.position(), "extra field overruns its entry");
            if (id == 0x0001) { // ZIP64 extended information: only the fields that were 0xFFFFFFFF, in this order
                if (size == 0xffffffffL) {
                    size = r.i64("ZIP64 uncompressed size");
                }
                if (compressed == 0xffffffffL) {
                    compressed = r.i64("ZIP64 compressed size");
                }
                if (local == 0xffffffffL) {
                    local = r.i64("ZIP64 local header offset");
                }
            }
            r.seek(next);
        }
        r.seek(extraEnd);
        r.skip(commentLength, "entry comment");
        checkName(file, nameAt, name);
        if ((flags & 1) != 0) {
            throw new UnsupportedModelException(file, at, name, "zip entry is encrypted");
        }
        CorruptModelException.verify(local >= 0 && local <= fileSize - LOCAL_BYTES, file, at, name
                + ": local header offset " + local + " lies outside the file");
        long resume = r.position();
        r.seek(local);
        CorruptModelException.verify(r.i32("local header signature") == LOCAL_SIGNATURE, file, local,
                name + ": expected a local file header (PK\\3\\4)");
        r.skip(22, "local header fields");
        int localName = u16(r, "local name length");
        int localExtra = u16(r, "local extra length");
        long data = local + LOCAL_BYTES + localName + localExtra;
        CorruptModelException.verify(compressed >= 0 && size >= 0 && data <= fileSize
                && compressed <= fileSize - data, file, local, name + ": " + compressed
                + " compressed bytes at " + data + " run past the end of the file (" + fileSize + " bytes)");
        r.seek(resume);
        return new Entry(name, method, compressed, size, data);
    }

    private static int u16(SegmentReader r, String what) {
        return Short.toUnsignedInt(r.i16(what));
    }

    private static void checkName(Path file, long at, String name) {
        boolean bad = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")
                || name.indexOf('\0') >= 0;
        for (String segment : name.split("/", -1)) {
            bad |= segment.equals("..");
        }
        if (bad) {
            throw new CorruptModelException(file, at, name, "zip entry name is absolute or climbs out of the "
                    + "archive ('..', '/', drive letters or backslashes); refused");
        }
    }
}
