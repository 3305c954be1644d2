package dev.heft.core.hub;

import dev.heft.core.format.HeaderOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Header bytes fetched over HTTP, kept under heft's own cache folder so that inspecting the same repo again costs one
 * listing request. Entries are keyed by the content hash the Hub's listing gives each file (its LFS sha256, or git blob
 * id), so an entry can never be stale: a file whose content changed has another key. Files without a content hash
 * (plain URLs) are not cached.
 *
 * <p>An entry is {@code "HEFTHDR1"}, the file size (u64 LE), the header length (u32 LE), then the header bytes. A
 * damaged or foreign entry is ignored (and the header fetched again), never trusted: the bytes still go through the
 * same parsers as any header.
 */
public final class HeaderCache {
    private static final byte[] MAGIC = "HEFTHDR1".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED = MAGIC.length + 8 + 4;
    private static final String SUFFIX = ".hdr";

    private final Path folder;

    /** @param folder the cache's own folder (for example {@code ~/.cache/heft/headers}) */
    public HeaderCache(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    Optional<HeaderPrefix> get(String contentId, OptionalLong expectedSize) {
        Path f = entry(contentId);
        try {
            if (!Files.isRegularFile(f) || Files.size(f) > FIXED + (long) HeaderOnly.MAX_HEAD_BYTES) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() < FIXED) {
                return Optional.empty();
            }
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            long fileSize = b.getLong();
            long length = Integer.toUnsignedLong(b.getInt());
            if (!java.util.Arrays.equals(magic, MAGIC)
                    || length != b.remaining()
                    || fileSize < length
                    || (expectedSize.isPresent() && expectedSize.getAsLong() != fileSize)) {
                return Optional.empty();
            }
            byte[] header = new byte[(int) length];
            b.get(header);
            return Optional.of(new HeaderPrefix(header, fileSize));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stores an entry; a cache that cannot be written is not an error (the next run fetches again). */
    void put(String contentId, HeaderPrefix prefix) {
        try {
            Files.createDirectories(folder);
            ByteBuffer b = ByteBuffer.allocate(FIXED + prefix.bytes().length).order(ByteOrder.LITTLE_ENDIAN);
            b.put(MAGIC)
                    .putLong(prefix.fileSize())
                    .putInt(prefix.bytes().length)
                    .put(prefix.bytes());
            Path tmp = Files.createTempFile(folder, "entry", ".tmp");
            Files.write(tmp, b.array());
            Files.move(tmp, entry(contentId), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    /** Deletes every entry (and nothing else in the folder); returns how many were removed. */
    public int clear() throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    private Path entry(String contentId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(contentId.getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(digest) + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("no SHA-256", e));
        }
    }
}
