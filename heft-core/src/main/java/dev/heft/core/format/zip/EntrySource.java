package dev.heft.core.format.zip;

import java.lang.foreign.MemorySegment;

/**
 * Where the bytes of a zip archive's entries come from: a mapped file (every entry's data offset known from its local
 * header), or byte ranges fetched over HTTP (an entry's local header read only when its data is asked for).
 */
public interface EntrySource {
    /** {@code entry} with its {@link ZipEntry#dataOffset()} known (reading its local header if need be). */
    ZipEntry located(ZipEntry entry);

    /** The data of a {@link #located} entry: {@code compressedSize} bytes from its data offset. */
    MemorySegment data(ZipEntry located);

    /** The entries of a mapped archive, sliced out of the mapping in place. */
    static EntrySource mapped(MemorySegment file) {
        return new EntrySource() {
            @Override
            public ZipEntry located(ZipEntry entry) {
                return entry;
            }

            @Override
            public MemorySegment data(ZipEntry located) {
                return file.asSlice(located.dataOffset(), located.compressedSize());
            }
        };
    }
}
