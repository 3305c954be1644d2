package dev.heft.core.format.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file's first bytes, where formats keep their magic numbers. */
public final class FileHead {
    /** Enough for every magic number heft checks, and for the first bytes an error message quotes. */
    public static final int BYTES = 64;

    private FileHead() {}

    /** Up to the first {@link #BYTES} bytes (fewer when the file is shorter). */
    public static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(BYTES);
        }
    }
}
