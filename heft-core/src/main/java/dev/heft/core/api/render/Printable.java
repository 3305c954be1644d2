package dev.heft.core.api.render;

/**
 * Strings from model files (tensor names, metadata, errors quoting them) made safe to print: a crafted name must not
 * retitle the terminal, clear the screen or start a fake second line. Control characters (C0, DEL, C1), the Unicode
 * line and paragraph separators, the controls that reorder text (bidirectional overrides and isolates) and lone
 * surrogates are shown as escapes ({@code \x1b}, {@code \n}, {@code \u202e}); everything else passes unchanged. The one
 * escaping rule: the renderers, the CLI's error line and the JSON writer all use it.
 */
public final class Printable {
    private Printable() {}

    public static String of(String s) {
        int i = firstUnsafe(s);
        int n = s.length();
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 8).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (isPair(s, i)) {
                sb.append(c).append(s.charAt(++i));
            } else if (!isUnsafe(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x100) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    /** Whether {@code s} prints as it is ({@link #of} would return it unchanged). */
    public static boolean isSafe(String s) {
        return firstUnsafe(s) == s.length();
    }

    private static int firstUnsafe(String s) {
        int i = 0;
        while (i < s.length()) {
            if (isPair(s, i)) {
                i += 2;
            } else if (isUnsafe(s.charAt(i))) {
                return i;
            } else {
                i++;
            }
        }
        return i;
    }

    /** A well-formed surrogate pair (a character outside the BMP, an emoji) starts at {@code i}. */
    private static boolean isPair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i))
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
    }

    /** A character {@link #of} escapes; a surrogate counts as unsafe here and is kept when it is half of a pair. */
    public static boolean isUnsafe(char c) {
        return c < 0x20
                || (c >= 0x7f && c <= 0x9f)
                || c == '\u200e'
                || c == '\u200f'
                || c == '\u061c'
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069')
                || Character.isSurrogate(c);
    }
}
