package dev.heft.core.error;

/**
 * Root of every error heft reports to a user. Unchecked, so that library callers are not forced to catch, and so
 * that the CLI and web faces can turn any of them into one line (or one JSON error) without a stack trace. Messages
 * often quote a file's own strings: they are kept to a bounded length here, and escaped where they are printed
 * ({@link dev.heft.core.api.render.Printable}).
 */
public class HeftException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The longest message kept: a message quoting a 50 MiB tensor name stays one reasonable line. */
    public static final int MAX_MESSAGE_CHARS = 2000;

    public HeftException(String message) {
        super(bounded(message));
    }

    public HeftException(String message, Throwable cause) {
        super(bounded(message), cause);
    }

    /** {@code message} cut to {@value #MAX_MESSAGE_CHARS} characters (never inside a surrogate pair). */
    static String bounded(String message) {
        if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        int cut = Character.isHighSurrogate(message.charAt(MAX_MESSAGE_CHARS - 1))
                ? MAX_MESSAGE_CHARS - 1
                : MAX_MESSAGE_CHARS;
        return message.substring(0, cut) + "... (" + (message.length() - cut) + " more characters)";
    }
}
