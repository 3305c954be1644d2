package dev.heft.core.format.zip;

/**
 * One entry of a zip archive as its central directory and local header describe it.
 *
 * @param name             the entry name (checked: relative, no {@code ..} segment)
 * @param method           compression method (APPNOTE 4.4.5: 0 = stored, 8 = deflated)
 * @param compressedSize   bytes the entry's data occupies in the file
 * @param uncompressedSize bytes once inflated (equal to {@code compressedSize} for stored entries)
 * @param headerOffset     absolute offset of the entry's local file header
 * @param dataOffset       absolute offset of the entry's first data byte (local header + name + extra field), or -1
 *                         when the local header was not read (a directory read from an archive's tail over HTTP)
 */
public record ZipEntry(
        String name, int method, long compressedSize, long uncompressedSize, long headerOffset, long dataOffset) {

    /** APPNOTE 4.4.5 compression method 0. */
    public static final int STORED = 0;
    /** APPNOTE 4.4.5 compression method 8. */
    public static final int DEFLATED = 8;

    public boolean isStored() {
        return method == STORED;
    }

    public boolean hasDataOffset() {
        return dataOffset >= 0;
    }

    public boolean isDirectory() {
        return name.endsWith("/");
    }
}
