package dev.heft.core.hub;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.pytorch.PyTorchCheckpointReader;
import dev.heft.core.format.pytorch.TorchCheckpoint;
import dev.heft.core.format.zip.EntrySource;
import dev.heft.core.format.zip.ZipDirectory;
import dev.heft.core.format.zip.ZipEntry;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A zip-format PyTorch checkpoint (torch.save since 1.6) read over HTTP without its tensor data: the archive's end
 * (APPNOTE 4.3.16 end-of-central-directory record, the zip64 locator and record when present, then the central
 * directory), then only the local header and data of {@code data.pkl} and of the few small text entries
 * ({@code byteorder}, {@code version}), which go through the same restricted unpickler and checks as a local file's.
 *
 * <p>Bytes: the head (the first {@value RemoteHeaders#SLACK} bytes, already fetched to recognise the format; torch
 * writes {@code data.pkl} first, so for most state dicts it is in there), the last {@value RemoteHeaders#SLACK} bytes,
 * and whatever of the directory and {@code data.pkl} lies outside both, each asked for exactly. Storages are never
 * fetched: their sizes come from the directory, so their offsets in the inventory are -1 (their local headers, which
 * place the data, are scattered through the file).
 *
 * <p>A hostile server can do no more than a hostile file: the directory's size is checked against
 * {@link #maxDirectory} before it is asked for, the bytes before the end that the directory and zip64 records take
 * are bounded as a whole (an end record that points at the start of a 10 GB file fetches nothing), and an entry's
 * data larger than {@link #maxEntry} is refused before its local header is fetched.
 */
final class RemoteZip implements EntrySource {
    /** The largest central directory heft fetches: 46 bytes plus a name per entry, 10 MB for 100,000 tensors. */
    static final long MAX_DIRECTORY = 32L << 20;
    /** The largest entry (data.pkl) heft fetches: a state dict's pickle is about 150 bytes per tensor. */
    static final long MAX_ENTRY = 64L << 20;
    /** APPNOTE 4.3.16: the end record (22 bytes), a comment of up to 65,535, the zip64 locator (20) and record (56+). */
    private static final long END_RECORDS = 22 + 0xffff + 20 + 0xffff;
    /** Torch pads each local header's extra field so that data starts 64-byte aligned: a first guess of its size. */
    private static final int LOCAL_EXTRA_GUESS = 128;

    private final Http http;
    private final RemoteFile file;
    private final Deadline deadline;
    private final long fileSize;
    private final long maxDirectory;
    private final long maxEntry;
    /** Bytes fetched so far, by their file offset; ranges never overlap. */
    private final TreeMap<Long, byte[]> fetched = new TreeMap<>();

    RemoteZip(Http http, RemoteFile file, HeaderPrefix head, Deadline deadline, long maxDirectory, long maxEntry) {
        this.http = http;
        this.file = file;
        this.deadline = deadline;
        this.fileSize = head.fileSize();
        this.maxDirectory = maxDirectory;
        this.maxEntry = maxEntry;
        if (head.bytes().length > 0) {
            fetched.put(0L, head.bytes());
        }
    }

    TorchCheckpoint checkpoint() {
        return new PyTorchCheckpointReader().read(directory(), this, file.label());
    }

    /** The central directory, from the file's end, growing the tail read only as far as the records say. */
    ZipDirectory directory() {
        long tailStart = Math.max(0, fileSize - RemoteHeaders.SLACK);
        byte[] tail = bytes(tailStart, fileSize);
        while (true) {
            switch (ZipDirectory.readTail(
                    MemorySegment.ofArray(tail), tailStart, fileSize, file.label(), maxDirectory)) {
                case ZipDirectory.TailRead.Complete c -> {
                    return c.directory();
                }
                case ZipDirectory.TailRead.NeedFrom n -> {
                    long from = n.from();
                    if (from < 0 || from >= tailStart) {
                        throw new IllegalStateException("asked for bytes already held: " + from);
                    }
                    if (fileSize - from > maxDirectory + END_RECORDS) {
                        throw new CorruptModelException(
                                file.label(),
                                from,
                                "the zip's end records place its central directory at offset " + from + ", "
                                        + (fileSize - from) + " bytes before the end of the file; a directory of at "
                                        + "most " + maxDirectory + " bytes and the end records cannot start there");
                    }
                    byte[] before = bytes(from, tailStart);
                    byte[] grown = new byte[tail.length + before.length];
                    System.arraycopy(before, 0, grown, 0, before.length);
                    System.arraycopy(tail, 0, grown, before.length, tail.length);
                    tail = grown;
                    tailStart = from;
                }
            }
        }
    }

    @Override
    public ZipEntry located(ZipEntry entry) {
        if (entry.hasDataOffset()) {
            return entry;
        }
        if (entry.compressedSize() > maxEntry) {
            throw new UnsupportedModelException(
                    file.label(),
                    entry.headerOffset(),
                    entry.name(),
                    "entry of " + entry.compressedSize() + " bytes is larger than the " + maxEntry
                            + " bytes heft fetches of one entry over HTTP");
        }
        long at = entry.headerOffset();
        if (!held(at, Math.min(fileSize, at + ZipDirectory.LOCAL_HEADER_FIXED))) {
            // One request for the header and, when the extra field is as small as torch writes it, the data too.
            long guess = (long) ZipDirectory.LOCAL_HEADER_FIXED
                    + entry.name().getBytes(StandardCharsets.UTF_8).length
                    + LOCAL_EXTRA_GUESS
                    + entry.compressedSize();
            bytes(at, Math.min(fileSize, at + guess));
        }
        Map.Entry<Long, byte[]> piece = fetched.floorEntry(at);
        return ZipDirectory.withLocalHeader(
                entry, MemorySegment.ofArray(piece.getValue()), piece.getKey(), fileSize, file.label());
    }

    @Override
    public MemorySegment data(ZipEntry located) {
        if (located.compressedSize() > maxEntry) {
            throw new UnsupportedModelException(
                    file.label(),
                    located.headerOffset(),
                    located.name(),
                    "entry of " + located.compressedSize() + " bytes is larger than the " + maxEntry
                            + " bytes heft fetches of one entry over HTTP");
        }
        return MemorySegment.ofArray(bytes(located.dataOffset(), located.dataOffset() + located.compressedSize()));
    }

    private boolean held(long from, long to) {
        Map.Entry<Long, byte[]> piece = fetched.floorEntry(from);
        return piece != null && piece.getKey() + piece.getValue().length >= to;
    }

    /**
     * The file's bytes {@code [from, to)}: from what was fetched when it holds them, else the missing part fetched and
     * kept (joined to the piece it continues, so that a later read finds them in one piece).
     */
    private byte[] bytes(long from, long to) {
        if (to - from > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a range larger than any bounded read: " + from + "-" + to);
        }
        Map.Entry<Long, byte[]> piece = fetched.floorEntry(from);
        if (piece != null && piece.getKey() + piece.getValue().length >= to) {
            int start = (int) (from - piece.getKey());
            return java.util.Arrays.copyOfRange(piece.getValue(), start, start + (int) (to - from));
        }
        long have = piece != null && piece.getKey() + piece.getValue().length > from
                ? piece.getKey() + piece.getValue().length
                : from;
        byte[] more = fetch(have, to);
        byte[] out = new byte[(int) (to - from)];
        if (have > from) {
            System.arraycopy(piece.getValue(), (int) (from - piece.getKey()), out, 0, (int) (have - from));
        }
        System.arraycopy(more, 0, out, (int) (have - from), more.length);
        // Keep the joined bytes as one piece; a later piece that it now overlaps stays as it was (same bytes).
        fetched.put(from, out);
        return out;
    }

    /** One range request for exactly {@code [from, to)}, retried as every remote read is. */
    private byte[] fetch(long from, long to) {
        return http.withRetries(deadline, () -> {
            try (Http.Answer answer = http.getOnce(file.uri(), Http.Range.of(from, to), deadline, file.what())) {
                if (answer.status() != 206) {
                    throw new RemoteModelException(
                            Reason.NO_RANGE_SUPPORT,
                            file.what() + ": " + Http.hostPort(answer.uri()) + " answered a request for bytes " + from
                                    + "-" + (to - 1) + " with the whole file (HTTP " + answer.status()
                                    + "): it does not support range requests, and heft reads a PyTorch checkpoint's "
                                    + "end and pickle with them only");
                }
                long[] range = RemoteHeaders.contentRange(answer, file, from, to - 1);
                if (range[1] != to - 1 || (range[2] >= 0 && range[2] != fileSize)) {
                    throw new RemoteModelException(
                            Reason.BAD_ANSWER,
                            file.what() + ": the server's answer does not add up: asked for bytes " + from + "-"
                                    + (to - 1) + " of a file of " + fileSize + " bytes but its Content-Range says "
                                    + range[0] + "-" + range[1] + "/" + range[2]);
                }
                return answer.readExactly((int) (to - from));
            }
        });
    }
}
