package dev.heft.core.error;

import java.io.IOException;

/** A model's file, folder or remote source could not be read at all (missing, unreadable, I/O failure). */
public final class ReadFailureException extends HeftException {
    private static final long serialVersionUID = 1L;

    public ReadFailureException(String message, IOException cause) {
        super(message, cause);
    }

    /** The one-line form of an I/O failure on {@code what} ({@code cannot read model.gguf: Permission denied}). */
    public static ReadFailureException of(String what, IOException e) {
        String reason = switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
        return new ReadFailureException("cannot read " + what + ": " + reason, e);
    }
}
