package dev.heft.core.format.keras;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A DEFLATED zip entry seen as a seekable channel, inflated on demand and never to disk, so the HDF5 library can read
 * the object headers of a deflated {@code model.weights.h5} without heft writing the whole file somewhere first (a 2 MB
 * archive can inflate to gigabytes; a temporary file also outlives a killed run).
 *
 * <p>Deflate streams can only be read forwards. Pages of {@value #PAGE} bytes are cached in two bounded tiers: pages
 * the library asked for (its headers, which it revisits) and pages merely inflated past on the way; each tier holds at
 * most {@value #TIER_BYTES} bytes and drops its least recently used page. A read behind the inflater that misses both
 * tiers starts the stream again from its first byte. Every byte inflated counts against a work budget of
 * {@value #PASSES} passes over the entry (plus {@value #SLACK} bytes): a file whose headers need more restarts than
 * that is refused rather than read for minutes; re-saving it STORED (Keras' own default) reads it in place.
 */
final class InflatingChannel implements SeekableByteChannel {
    static final int PAGE = 64 * 1024;
    static final long TIER_BYTES = 16L << 20;
    static final int PASSES = 8;
    static final long SLACK = 64L << 20;

    private final MemorySegment deflated;
    private final long size;
    private final Path file;
    private final String entry;
    private final long budget;
    private final Map<Long, byte[]> asked = lru();
    private final Map<Long, byte[]> passed = lru();
    private Inflater inflater;
    /** Bytes the current inflater has produced, always a whole number of pages (or the end of the entry). */
    private long inflated;

    private long work;
    private long position;
    private boolean open = true;

    /**
     * @param deflated the entry's compressed bytes (a slice of the mapped archive)
     * @param size     its uncompressed size, as the zip directory declares it (checked as the stream is read)
     */
    InflatingChannel(MemorySegment deflated, long size, Path file, String entry) {
        this.deflated = deflated;
        this.size = size;
        this.file = file;
        this.entry = entry;
        this.budget =
                Math.addExact(Math.multiplyExact(Math.min(size, Long.MAX_VALUE / (2L * PASSES)), (long) PASSES), SLACK);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (position >= size) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            long index = position / PAGE;
            byte[] page = page(index);
            int from = (int) (position - index * PAGE);
            int n = Math.min(dst.remaining(), page.length - from);
            if (n <= 0) {
                break;
            }
            dst.put(page, from, n);
            position += n;
            total += n;
        }
        return total == 0 ? -1 : total;
    }

    /** Page {@code index}: from a cache tier, or inflated (restarting the stream if it lies behind the inflater). */
    private byte[] page(long index) {
        byte[] hit = asked.get(index);
        if (hit == null) {
            hit = passed.remove(index);
            if (hit != null) {
                asked.put(index, hit);
            }
        }
        if (hit != null) {
            return hit;
        }
        long start = index * PAGE;
        if (inflater == null || start < inflated) {
            restart();
        }
        while (true) {
            byte[] next = inflateNextPage();
            long at = inflated - next.length;
            if (at == start) {
                asked.put(index, next);
                return next;
            }
            passed.put(at / PAGE, next);
        }
    }

    private void restart() {
        if (inflater != null) {
            inflater.end();
        }
        inflater = new Inflater(true); // raw deflate: zip entries carry no zlib header (APPNOTE 4.4.5)
        inflater.setInput(deflated.asByteBuffer());
        inflated = 0;
    }

    private byte[] inflateNextPage() {
        int length = (int) Math.min(PAGE, size - inflated);
        if (length <= 0) {
            throw new CorruptModelException(file, entry, "read past the " + size + " bytes the entry declares");
        }
        work += length;
        if (work > budget) {
            throw new UnsupportedModelException(
                    file,
                    entry,
                    "reading the HDF5 headers of this DEFLATED entry took "
                            + "more than " + PASSES + " passes over its " + size + " bytes; re-save the .keras STORED "
                            + "(keras' default, zipfile.ZIP_STORED), which heft reads in place");
        }
        byte[] page = new byte[length];
        int filled = 0;
        try {
            while (filled < length) {
                int got = inflater.inflate(page, filled, length - filled);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CorruptModelException(
                            file,
                            entry,
                            "deflate stream ends after " + (inflated + filled) + " of the " + size
                                    + " bytes its directory entry declares");
                }
                filled += got;
            }
        } catch (DataFormatException e) {
            throw new CorruptModelException(file, entry, "invalid deflate data: " + e.getMessage());
        }
        inflated += length;
        return page;
    }

    private static Map<Long, byte[]> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private long bytes;

            @Override
            public byte[] put(Long key, byte[] value) {
                byte[] old = super.put(key, value);
                bytes += value.length - (old == null ? 0 : old.length);
                return old;
            }

            @Override
            public byte[] remove(Object key) {
                byte[] old = super.remove(key);
                bytes -= old == null ? 0 : old.length;
                return old;
            }

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                if (bytes > TIER_BYTES) {
                    bytes -= eldest.getValue().length;
                    return true;
                }
                return false;
            }
        };
    }

    /** Bytes inflated so far, over every pass (what the work budget counts). */
    long inflatedBytes() {
        return work;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        asked.clear();
        passed.clear();
    }
}
