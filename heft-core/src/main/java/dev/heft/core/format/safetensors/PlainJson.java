package dev.heft.core.format.safetensors;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over JSON bytes that accepts only the plain subset real safetensors headers and indexes are written in:
 * ASCII strings without escapes, non-negative integers of at most 18 digits, {@code null}, {@code true},
 * {@code false}, objects and arrays. Anything else (an escape, a byte of 0x80 or above, a control character, a
 * fraction, a sign, a malformed token, the end of the input) throws {@link NotPlain}, and the caller hands the whole
 * input to the strict parser ({@link JsonText}), which accepts or rejects it with its exact message. So this class
 * never decides that an input is wrong, only that it is not the easy case; it allocates nothing but the strings it
 * returns.
 *
 * <p>Whitespace is JSON's four characters (RFC 8259 section 2), as the strict parser skips them.
 */
final class PlainJson {
    /** Thrown, without a stack trace, when the input leaves the plain subset. */
    static final class NotPlain extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super("not plain JSON", null, false, false);
        }
    }

    /** 18 digits always fit a long: 10^18 - 1 < 2^63 - 1 (the strict parser's own fast limit). */
    private static final int MAX_DIGITS = 18;

    private final byte[] bytes;
    /** The input is {@code bytes[0, limit)}: a reader's reused buffer holds more bytes than the one header in it. */
    private final int limit;

    private int pos;
    /** The last string's bytes: {@code [stringStart, stringEnd)}, quotes excluded. */
    private int stringStart;

    private int stringEnd;

    PlainJson(byte[] bytes) {
        this(bytes, bytes.length);
    }

    /** A cursor over {@code bytes[0, limit)}. */
    PlainJson(byte[] bytes, int limit) {
        this.bytes = bytes;
        this.limit = limit;
    }

    /** Skips whitespace and returns the next byte without consuming it. */
    int peek() {
        skipWhitespace();
        if (pos >= limit) {
            throw NotPlain.INSTANCE;
        }
        return bytes[pos];
    }

    /** Skips whitespace and consumes {@code c}. */
    void expect(char c) {
        if (peek() != c) {
            throw NotPlain.INSTANCE;
        }
        pos++;
    }

    /** Skips whitespace and consumes {@code c} if it is next. */
    boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** After a member or element: true after a comma, false after {@code close}. */
    boolean more(char close) {
        int c = peek();
        pos++;
        if (c == ',') {
            return true;
        }
        if (c != close) {
            throw NotPlain.INSTANCE;
        }
        return false;
    }

    /**
     * Skips whitespace and consumes a plain string; {@link #text()} and {@link #textIs} then see it until the next
     * call.
     */
    void string() {
        expect('"');
        byte[] b = bytes;
        int i = pos;
        while (true) {
            if (i >= limit) {
                throw NotPlain.INSTANCE;
            }
            byte c = b[i];
            if (c == '"') {
                break;
            }
            // Escapes, control characters and every non-ASCII byte (c < 0 as a signed byte) go to the strict parser.
            if (c < 0x20 || c == '\\') {
                throw NotPlain.INSTANCE;
            }
            i++;
        }
        stringStart = pos;
        stringEnd = i;
        pos = i + 1;
    }

    /** The last string as a String (ASCII: one char per byte). */
    String text() {
        return new String(bytes, stringStart, stringEnd - stringStart, StandardCharsets.ISO_8859_1);
    }

    /** Whether the last string is exactly {@code ascii}. */
    boolean textIs(byte[] ascii) {
        return Arrays.equals(bytes, stringStart, stringEnd, ascii, 0, ascii.length);
    }

    /** The input's array (its first {@code limit} bytes are the input). */
    byte[] bytes() {
        return bytes;
    }

    /** Where the last string's bytes start and end (exclusive) in the input. */
    int textStart() {
        return stringStart;
    }

    int textEnd() {
        return stringEnd;
    }

    /** Whether the last string equals the input's bytes {@code [start, end)} (an earlier string's). */
    boolean textIs(int start, int end) {
        return Arrays.equals(bytes, stringStart, stringEnd, bytes, start, end);
    }

    /** Skips whitespace and reads a non-negative integer of 1 to 18 digits with no fraction or exponent. */
    long natural() {
        skipWhitespace();
        byte[] b = bytes;
        int i = pos;
        long v = 0;
        while (i < limit && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - pos;
        if (digits == 0 || digits > MAX_DIGITS || (i < limit && isNumberTail(b[i]))) {
            throw NotPlain.INSTANCE;
        }
        pos = i;
        return v;
    }

    /** Skips whitespace and consumes {@code word} ({@code null}, {@code true}, {@code false}) if it is next. */
    boolean literal(String word) {
        skipWhitespace();
        int n = word.length();
        if (pos + n > limit) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Requires that only whitespace is left (a safetensors header may be padded with spaces). */
    void finish() {
        skipWhitespace();
        if (pos != limit) {
            throw NotPlain.INSTANCE;
        }
    }

    private void skipWhitespace() {
        byte[] b = bytes;
        int i = pos;
        while (i < limit) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        pos = i;
    }

    /** Characters that would continue a JSON number past its integer digits. */
    private static boolean isNumberTail(byte c) {
        return c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
