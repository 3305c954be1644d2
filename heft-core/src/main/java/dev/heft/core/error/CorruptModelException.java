package dev.heft.core.error;

import java.nio.file.Path;

/** The file breaks its own format's rules: truncated, an offset past the end, a length that cannot be, bad UTF-8. */
public final class CorruptModelException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    public CorruptModelException(Path file, long offset, String problem) {
        super(file, offset, null, problem, null);
    }

    public CorruptModelException(Path file, String key, String problem) {
        super(file, NO_OFFSET, key, problem, null);
    }

    public CorruptModelException(Path file, long offset, String key, String problem) {
        super(file, offset, key, problem, null);
    }

    public CorruptModelException(Path file, long offset, String problem, Throwable cause) {
        super(file, offset, null, problem, cause);
    }

    /**
     * The one-line check used by every reader (after aircompressor's {@code verify}): if {@code condition} is false,
     * the file is corrupt at {@code offset}.
     */
    public static void verify(boolean condition, Path file, long offset, String problem) {
        if (!condition) {
            throw new CorruptModelException(file, offset, problem);
        }
    }
}
