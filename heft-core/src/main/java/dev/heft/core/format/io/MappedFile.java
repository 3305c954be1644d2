package dev.heft.core.format.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A whole file mapped read-only as one {@link MemorySegment} (no 2 GiB chunking: FFM segments are long-indexed).
 * Mapping is virtual, so mapping a 100 GB checkpoint to read its header touches only the header's pages.
 *
 * <p>The arena is confined: a mapping belongs to the reader that opened it and is unmapped deterministically on
 * {@link #close()}, so a tool that inspects hundreds of shards does not hold hundreds of mappings until GC.
 * A zero-length file maps to {@link MemorySegment#NULL}-sized empty segment.
 */
public final class MappedFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private MappedFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    public static MappedFile open(Path path) throws IOException {
        return open(path, Arena.ofConfined());
    }

    /** Maps with a caller-chosen arena (a shared arena when several threads read tensor data). */
    public static MappedFile open(Path path, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment seg = size == 0
                    ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new MappedFile(path, arena, seg);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public long size() {
        return segment.byteSize();
    }

    public MemorySegment segment() {
        return segment;
    }

    /** A reader over the mapping starting at byte 0. */
    public SegmentReader reader() {
        return new SegmentReader(segment, path);
    }

    @Override
    public void close() {
        arena.close();
    }
}
