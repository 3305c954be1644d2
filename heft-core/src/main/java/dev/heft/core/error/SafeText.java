package dev.heft.core.error;

/**
 * The one escaping rule for text that came from a file (tensor names, metadata strings, paths inside manifests) before
 * it reaches a terminal, a table or a one-line error: a crafted name holding ESC, BEL, CR or LF could otherwise retitle
 * the terminal, clear the screen, or print a fake second {@code heft:} line.
 *
 * <p>Escaped, as {@code \xHH} below U+0100 and as a backslash, {@code u} and four hex digits above (an escape a
 * reader recognises and no terminal acts on; {@code \n}, {@code \r}, {@code \t} keep their usual short forms): the C0
 * controls and DEL, the C1 controls (U+0080-U+009F: some terminals act on a raw U+009B as CSI), the Unicode line and
 * paragraph separators, the bidirectional overrides, embeddings, isolates and marks (U+061C, U+200E-U+200F,
 * U+202A-U+202E, U+2066-U+2069: they reorder what is displayed, "Trojan Source"), and lone surrogates. Everything else
 * (other scripts, emoji) passes unchanged. Backslashes are not doubled: the point is a safe terminal, not a reversible encoding.
 */
public final class SafeText {
    /** The longest message {@link #message(String)} keeps. */
    public static final int MAX_MESSAGE_CHARS = 2000;

    private SafeText() {
    }

    /** {@code s} on one line with nothing a terminal acts on; the same instance when there is nothing to escape. */
    public static String escape(String s) {
        return escape(s, false);
    }

    /**
     * Like {@link #escape(String)} but keeps line feeds: for multi-line text heft composed itself (a report), where
     * every file-derived value was already escaped on its way in and this pass only guarantees that no other control
     * character reaches the terminal.
     */
    public static String escapeKeepingLines(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepLineFeeds) {
        if (s == null) {
            return null;
        }
        int first = firstUnsafe(s, keepLineFeeds);
        if (first < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i)); // a well-formed pair: a character outside the BMP
            } else if (!unsafe(c) || keepLineFeeds && c == '\n') {
                out.append(c);
            } else {
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> out.append(c < 0x100 ? String.format("\\x%02x", (int) c)
                            : String.format("\\u%04x", (int) c));
                }
            }
        }
        return out.toString();
    }

    /**
     * A one-line message of bounded length: {@code s} cut to {@value #MAX_MESSAGE_CHARS} characters (a message quoting
     * a 50 MiB tensor name stays a line), then escaped.
     */
    public static String message(String s) {
        if (s != null && s.length() > MAX_MESSAGE_CHARS) {
            int cut = MAX_MESSAGE_CHARS;
            if (Character.isHighSurrogate(s.charAt(cut - 1))) {
                cut--;
            }
            s = s.substring(0, cut) + "... (" + (s.length() - cut) + " more characters)";
        }
        return escape(s);
    }

    /** Whether {@code s} holds nothing {@link #escape(String)} would change. */
    public static boolean isSafe(String s) {
        return firstUnsafe(s, false) < 0;
    }

    private static int firstUnsafe(String s, boolean keepLineFeeds) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (unsafe(c) && !(keepLineFeeds && c == '\n')) {
                return i;
            }
        }
        return -1;
    }

    /** A character {@link #escape(String)} replaces (a surrogate is unsafe only when unpaired; callers check pairs). */
    public static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == 0x061c || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || Character.isSurrogate(c);
    }
}
