package dev.heft.core.format.safetensors;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.text.StrictUtf8;
import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * JSON that sits inside a file at a known byte offset (a safetensors header, an index, a config.json): decodes strict
 * UTF-8 and parses, turning every failure into a {@link CorruptModelException} that names the file and the byte
 * offset of the fault, not a character index into a decoded string.
 */
public final class JsonText {
    private JsonText() {}

    /**
     * Decodes and parses {@code bytes}, which start at byte {@code base} of {@code file}.
     *
     * @param what what the JSON is, for messages ("header", "index")
     */
    public static JsonValue parse(Path file, long base, byte[] bytes, String what) {
        String text = decodeUtf8(file, base, bytes, what);
        try {
            return Json.parse(text);
        } catch (JsonException e) {
            long at = e.offset() < 0
                    ? base
                    : base + StrictUtf8.encodedLength(text, (int) Math.min(e.offset(), text.length()));
            String detail = e.getMessage().replaceFirst(" at character \\d+$", "");
            throw new CorruptModelException(file, at, what + " is not valid JSON: " + detail);
        }
    }

    /** Strict UTF-8 (RFC 3629): a malformed or truncated sequence is corruption at its exact byte. */
    static String decodeUtf8(Path file, long base, byte[] bytes, String what) {
        if (Json.isAscii(bytes)) {
            return Json.asciiString(bytes); // valid UTF-8 by definition, and the common case
        }
        return StrictUtf8.decode(bytes)
                .orElseThrow(() -> new CorruptModelException(
                        file,
                        base + StrictUtf8.firstMalformed(bytes),
                        what + " is not valid UTF-8 (a malformed or truncated byte " + "sequence)"));
    }

    /**
     * A JSON number as a non-negative {@code long}, or -1 when it is not one (negative, fractional, or too large).
     * Uses {@link BigDecimal#longValueExact()}, which rejects {@code 1e999999999} by its digit count instead of
     * expanding it to a billion-digit integer first.
     */
    static long nonNegativeLong(JsonValue value) {
        if (!(value instanceof JsonNumber n)) {
            return -1;
        }
        try {
            long v = n.value().longValueExact();
            return v < 0 ? -1 : v;
        } catch (ArithmeticException e) {
            return -1;
        }
    }
}
