package dev.heft.core.format.tfjs;

import dev.heft.core.error.CorruptModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A group's shard files seen as one concatenated byte range (tfjs-core {@code weights_loader.ts} concatenates the
 * fetched buffers in {@code paths} order before slicing weights out of them).
 *
 * @param shards the shard files, in manifest order
 * @param starts the position of each shard's first byte in the concatenation
 */
record ShardSpan(List<Path> shards, long[] starts, long totalBytes) {

    /** Where a weight's first byte lies. */
    record Location(Path file, long offset, boolean crossesShards) {}

    /**
     * The group's shards, each resolved inside {@code folder}. A shard may appear once in the whole manifest
     * ({@code seen} holds those of earlier groups): tfjs-converter writes each file once, and a path listed again
     * would count its bytes again (one 1 GiB file listed many times is a model of any size its author likes).
     */
    static ShardSpan of(Path manifest, Path folder, TfjsManifest.Group group, Set<Path> seen) throws IOException {
        List<Path> shards = new ArrayList<>(group.paths().size());
        long[] starts = new long[group.paths().size()];
        long total = 0;
        for (int i = 0; i < group.paths().size(); i++) {
            String key = group.key() + ".paths[" + i + "]";
            Path shard = ShardPaths.resolve(manifest, key, folder, group.paths().get(i));
            if (!Files.isRegularFile(shard)) {
                throw new CorruptModelException(
                        manifest, key, "shard file '" + group.paths().get(i) + "' does not exist in " + folder);
            }
            if (!seen.add(shard)) {
                throw new CorruptModelException(
                        manifest,
                        key,
                        "shard file '" + group.paths().get(i)
                                + "' is listed more than once in the manifest; each shard holds its own bytes");
            }
            starts[i] = total;
            total = Math.addExact(total, Files.size(shard));
            shards.add(shard);
        }
        return new ShardSpan(List.copyOf(shards), starts, total);
    }

    /**
     * The unsigned 32-bit little-endian value at concatenated position {@code position} (a string entry's length
     * prefix), read from the shard files; the four bytes may straddle two shards. The caller has checked that they
     * lie inside {@link #totalBytes}.
     */
    long u32At(long position) throws IOException {
        Location at = locate(position, 4);
        if (!at.crossesShards()) {
            ByteBuffer four = read(at, 4);
            return four.order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xffffffffL;
        }
        long value = 0;
        for (int b = 0; b < 4; b++) {
            value |= (read(locate(position + b, 1), 1).get(0) & 0xffL) << (8 * b);
        }
        return value;
    }

    private static ByteBuffer read(Location at, int n) throws IOException {
        try (FileChannel channel = FileChannel.open(at.file(), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining()) {
                CorruptModelException.verify(
                        channel.read(buf, at.offset() + buf.position()) > 0,
                        at.file(),
                        at.offset(),
                        "shard file shrank while it was read");
            }
            return buf;
        }
    }

    /** The shard holding concatenated position {@code position} (a zero-byte weight at the very end: the last shard). */
    Location locate(long position, long bytes) {
        if (shards.isEmpty()) {
            return new Location(null, -1, false);
        }
        int i = shards.size() - 1;
        while (i > 0 && starts[i] > position) {
            i--;
        }
        // Skip empty shards: a weight starts in the first shard whose range contains its first byte.
        while (i + 1 < shards.size() && starts[i + 1] <= position && bytes > 0) {
            i++;
        }
        long end = i + 1 < shards.size() ? starts[i + 1] : totalBytes;
        return new Location(shards.get(i), position - starts[i], bytes > 0 && position + bytes > end);
    }
}
