package dev.heft.core.error;

import java.nio.file.Path;

/** The file is valid as far as heft can tell but uses a version, type or feature heft does not read. */
public final class UnsupportedModelException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(Path file, long offset, String problem) {
        super(file, offset, null, problem, null);
    }

    public UnsupportedModelException(Path file, String key, String problem) {
        super(file, NO_OFFSET, key, problem, null);
    }

    public UnsupportedModelException(Path file, long offset, String key, String problem) {
        super(file, offset, key, problem, null);
    }
}
