package dev.heft.core.api.render;

/**
 * Strings from model files (tensor names, metadata, errors quoting them) made safe to print: a crafted name must not
 * retitle the terminal, clear the screen or start a fake second line. Control characters (C0, DEL, C1) and the
 * Unicode controls that reorder text (bidirectional overrides and isolates) are shown as escapes ({@code \x1b},
 * {@code \n}, {@code \u202e}); everything else passes unchanged.
 */
public final class Printable {
    private Printable() {
    }

    public static String of(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && !isUnsafe(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 8).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!isUnsafe(c)) {
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

    static boolean isUnsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u200e' || c == '\u200f' || c == '\u061c'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
