package dev.heft.core.json;

import dev.heft.core.api.render.Printable;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonBoolean;
import dev.heft.core.json.JsonValue.JsonNull;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import dev.heft.core.text.StrictUtf8;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser with hard limits: nesting depth, and (by the caller's choice of input size) total
 * size. Duplicate object keys are an error, as in the safetensors reference implementation (serde rejects them).
 */
public final class Json {
    /** Deep enough for any real config or header; shallow enough that a hostile file cannot overflow the stack. */
    public static final int MAX_DEPTH = 256;
    /** Up to 18 characters ('-' included) any integer fits a long: 10^18 - 1 < 2^63. */
    private static final int MAX_LONG_DIGITS = 18;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    public static JsonValue parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        JsonValue v = p.readValue();
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return v;
    }

    /** Parses strict UTF-8 bytes; invalid UTF-8 is an error, never replaced silently. */
    public static JsonValue parse(byte[] utf8) {
        return parse(decodeUtf8(utf8));
    }

    public static String decodeUtf8(byte[] utf8) {
        if (isAscii(utf8)) {
            return asciiString(utf8);
        }
        return StrictUtf8.decode(utf8)
                .orElseThrow(() ->
                        new JsonException("invalid UTF-8 in JSON text at byte " + StrictUtf8.firstMalformed(utf8)));
    }

    /**
     * True when every byte is below 0x80. ASCII is valid UTF-8 that decodes byte for byte, which is what nearly every
     * safetensors header and config.json is; checking that first skips the CharsetDecoder (a CharBuffer as large as
     * the input, then a copy into the String).
     */
    public static boolean isAscii(byte[] bytes) {
        int bits = 0;
        for (byte b : bytes) {
            bits |= b;
        }
        return bits >= 0;
    }

    /** The String of ASCII bytes; Latin-1 maps them to the same chars and lets the JDK copy them as they are. */
    public static String asciiString(byte[] ascii) {
        return new String(ascii, StandardCharsets.ISO_8859_1);
    }

    /**
     * The message quotes the text it met (a character, a key): escaped here, because a server's JSON (a Hub listing
     * full of NULs) reaches library callers' logs through this message, not only heft's own printers.
     */
    private JsonException error(String what) {
        return new JsonException(Printable.of(what) + " at character " + pos, pos);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                break;
            }
        }
    }

    private JsonValue readValue() {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> readObject();
            case '[' -> readArray();
            case '"' -> new JsonString(readString());
            case 't' -> literal("true", new JsonBoolean(true));
            case 'f' -> literal("false", new JsonBoolean(false));
            case 'n' -> literal("null", JsonNull.INSTANCE);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield readNumber();
                }
                // Python's json.dump writes these for non-finite floats; configs in the wild contain them.
                if (text.startsWith("NaN", pos)) {
                    pos += 3;
                    yield new JsonString("NaN");
                }
                if (text.startsWith("Infinity", pos)) {
                    pos += 8;
                    yield new JsonString("Infinity");
                }
                throw error("expected a JSON value, found '" + c + "'");
            }
        };
    }

    private JsonValue literal(String word, JsonValue value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected '" + word + "'");
        }
        pos += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private JsonObject readObject() {
        enter();
        pos++; // '{'
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new JsonObject(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            JsonValue v = readValue();
            if (members.putIfAbsent(key, v) != null) {
                pos = keyAt;
                throw error("duplicate key '" + key + "'");
            }
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
        depth--;
        return new JsonObject(members);
    }

    private JsonArray readArray() {
        enter();
        pos++; // '['
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new JsonArray(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(readValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
        depth--;
        return new JsonArray(elements);
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON");
        }
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private String readString() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null
                        ? text.substring(start, pos)
                        : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, start, pos);
                pos++;
                char e = peek();
                pos++;
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(text.charAt(pos + i), 16);
                            if (d < 0) {
                                throw error("bad \\u escape");
                            }
                            cp = cp * 16 + d;
                        }
                        pos += 4;
                        sb.append((char) cp);
                    }
                    default -> {
                        pos--;
                        throw error("bad escape '\\" + e + "'");
                    }
                }
                start = pos;
            } else {
                pos++;
            }
        }
    }

    private JsonNumber readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (pos < text.length() && text.startsWith("Infinity", pos)) {
            pos += 8;
            throw error("-Infinity is not a number heft can use");
        }
        int digits = 0;
        while (pos < text.length() && isNumberChar(text.charAt(pos))) {
            pos++;
            digits++;
        }
        if (digits == 0) {
            throw error("malformed number");
        }
        if (pos - start > 400) {
            throw error("number longer than 400 characters");
        }
        if (integerLength(start) == pos - start && pos - start <= MAX_LONG_DIGITS) {
            // A plain integer (tensor offsets, shapes, sizes: most numbers heft reads) fits a long exactly; valueOf
            // gives the same value and scale 0 that parsing the text as a BigDecimal gives, without the parse.
            return new JsonNumber(BigDecimal.valueOf(Long.parseLong(text, start, pos, 10)));
        }
        try {
            return new JsonNumber(new BigDecimal(text.substring(start, pos)));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("malformed number");
        }
    }

    /** Characters from {@code start} that form an optional '-' and then decimal digits only. */
    private int integerLength(int start) {
        int i = start;
        if (i < pos && text.charAt(i) == '-') {
            i++;
        }
        while (i < pos && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - start;
    }

    private static boolean isNumberChar(char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }
}
