package dev.heft.core.text;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one strict UTF-8 rule of every reader (JSON, safetensors headers, GGUF strings, ONNX and TFLite strings, pickle
 * text, zip entry names): well-formed byte sequences as RFC 3629 and Unicode Table 3-7 define them, so no overlong
 * forms, no surrogates (U+D800..DFFF), nothing above U+10FFFF, no truncated sequence. Malformed text is refused by the
 * caller with its own file, offset and key, never replaced with U+FFFD: a name that decodes differently in two tools is
 * two names.
 *
 * <p>Checked in place (a mapped GGUF vocabulary of 150k tokens is validated without one object per token), eight bytes
 * at a time while they are ASCII. Well-formed input then decodes with {@link String#String(byte[],
 * java.nio.charset.Charset)}, which is exact for it, so no CharsetDecoder and no CharBuffer as large as the input.
 */
public final class StrictUtf8 {
    private StrictUtf8() {}

    /** The text of {@code utf8}, or empty when it is not well-formed UTF-8. */
    public static Optional<String> decode(byte[] utf8) {
        long bad = firstMalformed(utf8);
        if (bad >= 0) {
            return Optional.empty();
        }
        return Optional.of(new String(utf8, StandardCharsets.UTF_8));
    }

    /** Whether {@code length} bytes of {@code buf} from index {@code from} are well-formed UTF-8. */
    public static boolean isValid(ByteBuffer buf, int from, int length) {
        return firstMalformed(buf, from, length) < 0;
    }

    /** Offset (relative to {@code utf8}'s start) of the first byte of the first malformed sequence; -1 when none. */
    public static long firstMalformed(byte[] utf8) {
        return firstMalformed(ByteBuffer.wrap(utf8), 0, utf8.length);
    }

    /**
     * Offset, relative to {@code from}, of the first byte of the first malformed sequence in {@code length} bytes of
     * {@code buf} from index {@code from} (absolute reads: the buffer's position and limit are not used); -1 when they
     * are well-formed. A {@link ByteBuffer}, not a {@code MemorySegment}: FFM accessors make the JDK generate method
     * handle classes on first use that the AOT cache cannot hold (see {@link dev.heft.core.format.io.SegmentReader}).
     */
    public static int firstMalformed(ByteBuffer buf, int from, int length) {
        int i = from;
        int end = from + length;
        while (i < end) {
            // ASCII fast path, 8 bytes at a time: most names and token text are ASCII (the test is byte-order free).
            if (end - i >= 8 && (buf.getLong(i) & 0x8080_8080_8080_8080L) == 0) {
                i += 8;
                continue;
            }
            int b0 = buf.get(i) & 0xFF;
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
                return i - from; // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
            }
            if (end - i <= need) {
                return i - from; // truncated sequence
            }
            int b1 = buf.get(i + 1) & 0xFF;
            if (b1 < lo || b1 > hi) {
                return i - from;
            }
            for (int k = 2; k <= need; k++) {
                int b = buf.get(i + k) & 0xFF;
                if (b < 0x80 || b > 0xBF) {
                    return i - from;
                }
            }
            i += need + 1;
        }
        return -1;
    }

    /**
     * Bytes that the first {@code chars} UTF-16 chars of {@code text} take in UTF-8, without encoding them: a surrogate
     * pair is 4 bytes, a lone surrogate 3 (as its code point would be).
     */
    public static long encodedLength(CharSequence text, int chars) {
        long n = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
