package dev.heft.core.format.zip;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.SegmentReader;
import dev.heft.core.text.StrictUtf8;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The central directory of a zip archive read from a mapped file, giving each entry's data offset so that stored
 * entries can be sliced out of the mapping in place ({@code java.util.zip} never exposes data offsets). Zip64 aware:
 * the zip64 end-of-central-directory record and locator, and the zip64 extended-information extra field.
 *
 * <p>Structure and field names: PKWARE APPNOTE.TXT 6.3.x, sections 4.3.6 (overall layout), 4.3.7 (local file header),
 * 4.3.12 (central directory header), 4.3.14-4.3.16 (zip64 end records and end of central directory), 4.5.3 (zip64
 * extra field). Hostile archives are refused: entry names that are absolute or contain {@code ..}, duplicate names,
 * entry counts the directory's size cannot hold, and any offset or size outside the file.
 */
public final class ZipDirectory {
    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_EOCD_MIN_SIZE = 56;
    private static final int CENTRAL_HEADER_SIZE = 46;
    private static final int LOCAL_HEADER_SIZE = 30;
    private static final int MAX_COMMENT = 0xffff;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final long U32_MAX = 0xffffffffL;
    private static final int U16_MAX = 0xffff;
    /** Read from the tail: the most bytes allowed between the directory and the end records, or in a zip64 record. */
    private static final long MAX_TAIL_GAP = 64 << 10;

    private final Path file;
    private final List<ZipEntry> entries;
    private final Map<String, ZipEntry> byName;

    private ZipDirectory(Path file, List<ZipEntry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
        Map<String, ZipEntry> m = new LinkedHashMap<>();
        for (ZipEntry e : entries) {
            m.put(e.name(), e);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /** Whether the file starts like a zip archive (a local file header, APPNOTE 4.3.7). */
    public static boolean looksLikeZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** Reads the central directory of the archive mapped as {@code segment}, and each entry's local header. */
    public static ZipDirectory read(MemorySegment segment, Path file) {
        return new Window(segment, 0, segment.byteSize(), file, Long.MAX_VALUE, true).directory();
    }

    /** What the last bytes of an archive tell of its central directory. */
    public sealed interface TailRead {
        /** The directory, every entry's {@link ZipEntry#dataOffset()} unknown (-1): no local header was read. */
        record Complete(ZipDirectory directory) implements TailRead {}

        /** The bytes from file offset {@code from} on are needed (to the start of those already given). */
        record NeedFrom(long from) implements TailRead {}
    }

    /**
     * Reads the central directory from the archive's last bytes alone ({@code tail} holds the file's bytes from
     * {@code tailStart} to its end, {@code fileSize}), as over HTTP, where the entries' local headers lie scattered
     * through a file heft does not download. A directory larger than {@code maxDirectoryBytes} is refused before its
     * bytes are asked for; every other check is the one {@link #read} makes, except that an entry's data can only be
     * bounded by its local header's fixed part (its name and extra field are in that unread header).
     */
    public static TailRead readTail(
            MemorySegment tail, long tailStart, long fileSize, Path file, long maxDirectoryBytes) {
        if (tailStart < 0 || tailStart > fileSize || tail.byteSize() != fileSize - tailStart) {
            throw new IllegalArgumentException("the tail must hold the file's bytes from tailStart to its end");
        }
        try {
            return new TailRead.Complete(
                    new Window(tail, tailStart, fileSize, file, maxDirectoryBytes, false).directory());
        } catch (NeedBytes n) {
            return new TailRead.NeedFrom(n.from);
        }
    }

    /** Thrown inside a {@link Window} when a structure starts before the bytes it holds. */
    private static final class NeedBytes extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long from;

        NeedBytes(long from) {
            super(null, null, false, false);
            this.from = from;
        }
    }

    /**
     * The file's bytes from {@code base} to its end ({@code fileSize}): all of it for a mapped file, its tail for one
     * read over HTTP. Offsets are file offsets throughout.
     */
    private record Window(
            MemorySegment bytes, long base, long fileSize, Path file, long maxDirectoryBytes, boolean localHeaders) {

        /** Fails over to the caller for more bytes when {@code offset} lies before those held. */
        void need(long offset) {
            if (offset < base) {
                throw new NeedBytes(offset);
            }
        }

        SegmentReader reader() {
            return new SegmentReader(bytes, base, file);
        }

        int i32At(long offset) {
            return bytes.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), offset - base);
        }

        int u16At(long offset) {
            return Short.toUnsignedInt(bytes.get(
                    ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), offset - base));
        }

        ZipDirectory directory() {
            SegmentReader r = reader();
            long eocd = findEndOfCentralDirectory(this);
            r.seek(eocd + 4);
            int diskNumber = r.i16("EOCD number of this disk") & U16_MAX;
            int cdDisk = r.i16("EOCD disk where central directory starts") & U16_MAX;
            long count = r.i16("EOCD number of central directory records on this disk") & U16_MAX;
            long total = r.i16("EOCD total number of central directory records") & U16_MAX;
            long cdSize = r.u32("EOCD size of central directory");
            long cdOffset = r.u32("EOCD offset of start of central directory");
            long cdEnd = eocd; // where the central directory (and any zip64 records) must end
            if (count == U16_MAX
                    || total == U16_MAX
                    || cdSize == U32_MAX
                    || cdOffset == U32_MAX
                    || diskNumber == U16_MAX
                    || cdDisk == U16_MAX) {
                Zip64End z = readZip64End(this, r, eocd);
                diskNumber = (int) Math.min(z.disk, Integer.MAX_VALUE);
                cdDisk = (int) Math.min(z.cdDisk, Integer.MAX_VALUE);
                count = z.countOnDisk;
                total = z.total;
                cdSize = z.cdSize;
                cdOffset = z.cdOffset;
                cdEnd = z.recordOffset;
            }
            if (diskNumber != 0 || cdDisk != 0 || count != total) {
                throw new UnsupportedModelException(file, eocd, "multi-disk (split) zip archives are not read");
            }
            if (cdOffset > cdEnd || cdSize > cdEnd - cdOffset) {
                throw new CorruptModelException(
                        file,
                        eocd,
                        "central directory [" + cdOffset + ", +" + cdSize
                                + ") does not end before the end-of-central-directory record at " + cdEnd);
            }
            // every central directory header takes at least 46 bytes: a count the directory cannot hold is corrupt,
            // and bounding it here keeps a hostile count from sizing anything
            if (total > cdSize / CENTRAL_HEADER_SIZE) {
                throw new CorruptModelException(
                        file,
                        eocd,
                        "zip declares " + total + " entries but its central directory of " + cdSize
                                + " bytes holds at most " + cdSize / CENTRAL_HEADER_SIZE);
            }
            if (cdSize > maxDirectoryBytes) {
                throw new UnsupportedModelException(
                        file,
                        eocd,
                        "central directory of " + cdSize + " bytes is larger than the " + maxDirectoryBytes
                                + " bytes heft reads of it");
            }
            // Read from the tail, every byte between the directory and the end records would be fetched: archives
            // written by zip tools (torch's miniz included) have none, so a gap means the records lie about offsets.
            long gap = cdEnd - (cdOffset + cdSize);
            if (!localHeaders && gap > MAX_TAIL_GAP) {
                throw new CorruptModelException(
                        file,
                        eocd,
                        "central directory [" + cdOffset + ", +" + cdSize + ") ends " + gap + " bytes before the end "
                                + "records at " + cdEnd + "; an archive read from its end must have them follow it");
            }
            need(cdOffset);
            List<ZipEntry> out = new ArrayList<>((int) Math.min(total, 1 << 16)); // grows as headers prove to exist
            Map<String, Boolean> seen = new LinkedHashMap<>();
            r.seek(cdOffset);
            for (long i = 0; i < total; i++) {
                ZipEntry e = readCentralHeader(this, r, cdOffset + cdSize);
                if (seen.put(e.name(), Boolean.TRUE) != null) {
                    throw new CorruptModelException(file, e.headerOffset(), e.name(), "duplicate zip entry name");
                }
                out.add(e);
            }
            return new ZipDirectory(file, out);
        }
    }

    /** APPNOTE 4.3.16: the EOCD record is the last 22 bytes plus a comment of at most 65,535 bytes. */
    private static long findEndOfCentralDirectory(Window w) {
        long size = w.fileSize();
        if (size < EOCD_SIZE) {
            throw new CorruptModelException(w.file(), 0, "file of " + size + " bytes is too short for a zip archive");
        }
        long lowest = Math.max(0, size - EOCD_SIZE - MAX_COMMENT);
        for (long p = size - EOCD_SIZE; p >= lowest; p--) {
            w.need(p);
            if (w.i32At(p) == EOCD_SIG) {
                int commentLength = w.u16At(p + 20);
                if (p + EOCD_SIZE + commentLength == size) {
                    return p;
                }
            }
        }
        throw new CorruptModelException(
                w.file(), size, "no zip end-of-central-directory record in the last " + (size - lowest) + " bytes");
    }

    private record Zip64End(
            long recordOffset, long disk, long cdDisk, long countOnDisk, long total, long cdSize, long cdOffset) {}

    /** APPNOTE 4.3.15 (zip64 EOCD locator) and 4.3.14 (zip64 EOCD record). */
    private static Zip64End readZip64End(Window w, SegmentReader r, long eocd) {
        Path file = r.file();
        if (eocd < ZIP64_LOCATOR_SIZE) {
            throw new CorruptModelException(
                    file, eocd, "zip64 values in the EOCD record but no room for a zip64 locator");
        }
        w.need(eocd - ZIP64_LOCATOR_SIZE);
        r.seek(eocd - ZIP64_LOCATOR_SIZE);
        CorruptModelException.verify(
                r.i32("zip64 EOCD locator signature") == ZIP64_LOCATOR_SIG,
                file,
                eocd - ZIP64_LOCATOR_SIZE,
                "expected the zip64 end-of-central-directory locator (PK\\6\\7)");
        r.u32("zip64 locator disk");
        long recordOffset = r.i64("zip64 EOCD record offset");
        long limit = eocd - ZIP64_LOCATOR_SIZE;
        // Read from the tail, the zip64 record (56 bytes and a rarely used extensible field) must be near the locator.
        long lowest = w.localHeaders() ? 0 : Math.max(0, limit - ZIP64_EOCD_MIN_SIZE - MAX_TAIL_GAP);
        if (recordOffset < lowest || recordOffset > limit - ZIP64_EOCD_MIN_SIZE) {
            throw new CorruptModelException(
                    file,
                    eocd - ZIP64_LOCATOR_SIZE,
                    "zip64 EOCD record offset " + recordOffset + " is outside [" + lowest + ", "
                            + (limit - ZIP64_EOCD_MIN_SIZE) + "]");
        }
        w.need(recordOffset);
        r.seek(recordOffset);
        CorruptModelException.verify(
                r.i32("zip64 EOCD signature") == ZIP64_EOCD_SIG,
                file,
                recordOffset,
                "expected the zip64 end-of-central-directory record (PK\\6\\6)");
        r.i64("zip64 EOCD record size");
        r.i16("zip64 version made by");
        r.i16("zip64 version needed");
        long disk = r.u32("zip64 number of this disk");
        long cdDisk = r.u32("zip64 disk of central directory");
        long countOnDisk = unsigned63(r.i64("zip64 entries on this disk"), file, r.position() - 8, "entry count");
        long total = unsigned63(r.i64("zip64 total entries"), file, r.position() - 8, "entry count");
        long cdSize = unsigned63(r.i64("zip64 central directory size"), file, r.position() - 8, "directory size");
        long cdOffset = unsigned63(r.i64("zip64 central directory offset"), file, r.position() - 8, "directory offset");
        return new Zip64End(recordOffset, disk, cdDisk, countOnDisk, total, cdSize, cdOffset);
    }

    private static long unsigned63(long v, Path file, long at, String what) {
        if (v < 0) {
            throw new CorruptModelException(
                    file, at, "zip64 " + what + " " + Long.toUnsignedString(v) + " is larger than any file");
        }
        return v;
    }

    /** APPNOTE 4.3.12 central directory file header, then the entry's local header (4.3.7) for its data offset. */
    private static ZipEntry readCentralHeader(Window w, SegmentReader r, long cdEnd) {
        Path file = w.file();
        long at = r.position();
        if (at > cdEnd - CENTRAL_HEADER_SIZE) {
            throw new CorruptModelException(
                    file, at, "central directory header runs past the directory's end " + cdEnd);
        }
        CorruptModelException.verify(
                r.i32("central directory header signature") == CENTRAL_SIG,
                file,
                at,
                "expected a central directory file header (PK\\1\\2)");
        r.i16("version made by");
        r.i16("version needed");
        int flags = r.i16("general purpose flags") & U16_MAX;
        int method = r.i16("compression method") & U16_MAX;
        r.i32("last modified time and date");
        r.i32("crc-32");
        long compressed = r.u32("compressed size");
        long uncompressed = r.u32("uncompressed size");
        int nameLength = r.i16("file name length") & U16_MAX;
        int extraLength = r.i16("extra field length") & U16_MAX;
        int commentLength = r.i16("file comment length") & U16_MAX;
        long diskStart = r.i16("disk number start") & U16_MAX;
        r.i16("internal attributes");
        r.i32("external attributes");
        long localOffset = r.u32("relative offset of local header");
        long variable = (long) nameLength + extraLength + commentLength;
        if (r.position() > cdEnd - variable) {
            throw new CorruptModelException(
                    file,
                    at,
                    "central directory entry's name, extra field and comment run past " + "the directory's end");
        }
        String name = decodeName(r.bytes(nameLength, "file name"), (flags & 0x0800) != 0, file, at);
        long extraStart = r.position();
        // APPNOTE 4.5.3: zip64 fields appear only for header values set to 0xFFFFFFFF (0xFFFF for the disk), in order
        boolean needU = uncompressed == U32_MAX;
        boolean needC = compressed == U32_MAX;
        boolean needO = localOffset == U32_MAX;
        boolean needD = diskStart == U16_MAX;
        long extraEnd = extraStart + extraLength;
        while (r.position() + 4 <= extraEnd) {
            int id = r.i16("extra field id") & U16_MAX;
            int size = r.i16("extra field size") & U16_MAX;
            long blockEnd = r.position() + size;
            if (blockEnd > extraEnd) {
                throw new CorruptModelException(
                        file,
                        r.position() - 4,
                        name,
                        "extra field block of " + size + " bytes runs past the extra field");
            }
            if (id == ZIP64_EXTRA_ID) {
                if (needU) {
                    uncompressed = zip64Field(r, blockEnd, name, "uncompressed size");
                }
                if (needC) {
                    compressed = zip64Field(r, blockEnd, name, "compressed size");
                }
                if (needO) {
                    localOffset = zip64Field(r, blockEnd, name, "local header offset");
                }
                if (needD && r.position() + 4 <= blockEnd) {
                    diskStart = r.u32("zip64 disk number");
                }
                needU = needC = needO = false;
            }
            r.seek(blockEnd);
        }
        if (needU || needC || needO) {
            throw new CorruptModelException(file, at, name, "header says zip64 but the entry has no zip64 extra field");
        }
        r.seek(extraEnd);
        r.skip(commentLength, "file comment");
        if (diskStart != 0) {
            throw new UnsupportedModelException(file, at, name, "entry on another disk of a split archive");
        }
        if ((flags & 0x0001) != 0) {
            throw new UnsupportedModelException(file, at, name, "encrypted zip entry");
        }
        checkName(name, file, at);
        long size = w.fileSize();
        // Without the local header, its fixed part is all that is certain to precede the data.
        long dataOffset = w.localHeaders() ? localDataOffset(w, name, localOffset) : -1;
        long dataAtLeast = w.localHeaders() ? dataOffset : localOffset + LOCAL_HEADER_SIZE;
        if (!w.localHeaders() && localOffset > size - LOCAL_HEADER_SIZE) {
            throw new CorruptModelException(
                    file,
                    at,
                    name,
                    "local header offset " + localOffset + " is outside the file of " + size + " bytes");
        }
        if (dataAtLeast > size || compressed > size - dataAtLeast) {
            throw new CorruptModelException(
                    file,
                    localOffset,
                    name,
                    "entry data [" + dataAtLeast + ", +" + compressed + ") lies outside the file of " + size
                            + " bytes");
        }
        if (method == ZipEntry.STORED && compressed != uncompressed) {
            throw new CorruptModelException(
                    file,
                    at,
                    name,
                    "stored entry with compressed size " + compressed + " but uncompressed size " + uncompressed);
        }
        return new ZipEntry(name, method, compressed, uncompressed, localOffset, dataOffset);
    }

    private static long zip64Field(SegmentReader r, long blockEnd, String name, String what) {
        if (r.position() + 8 > blockEnd) {
            throw new CorruptModelException(r.file(), r.position(), name, "zip64 extra field lacks the " + what);
        }
        return unsigned63(r.i64("zip64 " + what), r.file(), r.position() - 8, what);
    }

    /** APPNOTE 4.3.7: signature, 26 bytes of fields, then name and extra field, whose lengths may differ from the CD's. */
    private static long localDataOffset(Window w, String name, long localOffset) {
        Path file = w.file();
        SegmentReader r = w.reader();
        if (localOffset > w.fileSize() - LOCAL_HEADER_SIZE) {
            throw new CorruptModelException(
                    file, localOffset, name, "local header offset " + localOffset + " is outside the file");
        }
        r.seek(localOffset);
        CorruptModelException.verify(
                r.i32("local header signature") == LOCAL_SIG,
                file,
                localOffset,
                "expected a local file header (PK\\3\\4) for entry '" + name + "'");
        r.seek(localOffset + 26);
        int nameLength = r.i16("local file name length") & U16_MAX;
        int extraLength = r.i16("local extra field length") & U16_MAX;
        return localOffset + LOCAL_HEADER_SIZE + nameLength + extraLength;
    }

    /**
     * {@code entry} with its data offset, from its local header (APPNOTE 4.3.7): {@code bytes} holds the file's bytes
     * from {@code base} on, at least the header's fixed part, name and extra field. For a directory read with
     * {@link #readTail}, one entry at a time.
     */
    public static ZipEntry withLocalHeader(ZipEntry entry, MemorySegment bytes, long base, long fileSize, Path file) {
        Window w = new Window(bytes, base, fileSize, file, Long.MAX_VALUE, true);
        long dataOffset = localDataOffset(w, entry.name(), entry.headerOffset());
        if (dataOffset > fileSize || entry.compressedSize() > fileSize - dataOffset) {
            throw new CorruptModelException(
                    file,
                    entry.headerOffset(),
                    entry.name(),
                    "entry data [" + dataOffset + ", +" + entry.compressedSize() + ") lies outside the file of "
                            + fileSize + " bytes");
        }
        return new ZipEntry(
                entry.name(),
                entry.method(),
                entry.compressedSize(),
                entry.uncompressedSize(),
                entry.headerOffset(),
                dataOffset);
    }

    /** The local header's fixed part (APPNOTE 4.3.7): the name and extra field follow, their lengths at 26 and 28. */
    public static final int LOCAL_HEADER_FIXED = LOCAL_HEADER_SIZE;

    private static String decodeName(byte[] raw, boolean utf8Flag, Path file, long at) {
        Optional<String> name = StrictUtf8.decode(raw);
        if (name.isPresent()) {
            return name.get();
        }
        if (utf8Flag) {
            throw new CorruptModelException(file, at, "entry name is flagged UTF-8 but is not valid UTF-8");
        }
        // APPNOTE appendix D: without bit 11 the name is IBM 437; heft only compares names, so any 1:1 decoding works
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** Refuses names that would escape an extraction directory: absolute paths, drive letters, {@code ..} segments. */
    private static void checkName(String name, Path file, long at) {
        String n = name.replace('\\', '/');
        boolean absolute = n.startsWith("/") || (n.length() >= 2 && n.charAt(1) == ':');
        boolean traversal = false;
        for (String segment : n.split("/", -1)) {
            if (segment.equals("..")) {
                traversal = true;
                break;
            }
        }
        if (name.isEmpty() || absolute || traversal || name.indexOf('\0') >= 0) {
            throw new CorruptModelException(
                    file,
                    at,
                    name,
                    "zip entry name "
                            + (absolute ? "is absolute" : traversal ? "contains '..'" : "is empty or holds a NUL")
                            + "; refusing an archive that could write outside its folder");
        }
    }

    public Path file() {
        return file;
    }

    public List<ZipEntry> entries() {
        return entries;
    }

    public Optional<ZipEntry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
