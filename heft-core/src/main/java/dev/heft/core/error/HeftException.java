package dev.heft.core.error;

/**
 * Root of every error heft reports to a user. Unchecked, so that library callers are not forced to catch, and so
 * that the CLI and web faces can turn any of them into one line (or one JSON error) without a stack trace.
 */
public class HeftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HeftException(String message) {
        super(message);
    }

    public HeftException(String message, Throwable cause) {
        super(message, cause);
    }
}
