package dev.heft.core.format.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Validates UTF-8 in place in a mapped segment, without copying to the heap: a 150k-token vocabulary is checked
 * string by string without allocating one object per token. Follows RFC 3629 / Unicode Table 3-7 (well-formed byte
 * sequences): no overlong forms, no surrogates (U+D800..DFFF), nothing above U+10FFFF.
 */
final class Utf8 {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private Utf8() {
    }

    static boolean isValid(MemorySegment seg, long from, long length) {
        long i = from;
        long end = from + length;
        while (i < end) {
            // ASCII fast path, 8 bytes at a time: most token text is ASCII.
            if (end - i >= 8 && (seg.get(LONG, i) & 0x8080_8080_8080_8080L) == 0) {
                i += 8;
                continue;
            }
            int b0 = seg.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                if (b0 == 0xE0) {
                    lo = 0xA0; // overlong below U+0800
                } else if (b0 == 0xED) {
                    hi = 0x9F; // surrogates
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                if (b0 == 0xF0) {
                    lo = 0x90; // overlong below U+10000
                } else if (b0 == 0xF4) {
                    hi = 0x8F; // above U+10FFFF
                }
            } else {
                return false; // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
            }
            if (end - i <= need) {
                return false;
            }
            int b1 = seg.get(ValueLayout.JAVA_BYTE, i + 1) & 0xFF;
            if (b1 < lo || b1 > hi) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                int b = seg.get(ValueLayout.JAVA_BYTE, i + k) & 0xFF;
                if (b < 0x80 || b > 0xBF) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }
}
