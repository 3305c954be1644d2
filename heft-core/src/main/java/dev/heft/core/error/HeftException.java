package dev.heft.core.error;

/**
 * Root of every error heft reports to a user. Unchecked, so that library callers are not forced to catch, and so
 * that the CLI and web faces can turn any of them into one line (or one JSON error) without a stack trace. Messages
 * often quote a file's own strings, so they are escaped here, once, for every subtype.
 */
public class HeftException extends RuntimeException {
    /** The message is kept to one bounded line with nothing a terminal acts on ({@link SafeText#message}): it quotes
     * file contents. */
    public HeftException(String message) {
        super(SafeText.message(message));
    }

    public HeftException(String message, Throwable cause) {
        super(SafeText.message(message), cause);
    }
}
