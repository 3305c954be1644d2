package dev.heft.core.error;

/**
 * Something a user asked for that heft cannot do as asked: an unknown catalog name, a bad flag value, a config.json
 * missing a key heft needs. Not about a file's bytes (that is {@link ModelFormatException}).
 */
public final class InvalidInputException extends HeftException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
