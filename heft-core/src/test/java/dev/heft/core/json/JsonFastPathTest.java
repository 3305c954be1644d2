package dev.heft.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNumber;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/**
 * The fast paths (ASCII text without the CharsetDecoder, integers without BigDecimal's parser) give exactly what the
 * general paths give: the JDK's strict decoder and {@code new BigDecimal(text)} are the oracles.
 */
class JsonFastPathTest {
    @Property(tries = 2000)
    void integersParseAsBigDecimalParsesThem(
            @ForAll @Chars({'-', '.', 'e', '+'}) @CharRange(from = '0', to = '9') @StringLength(min = 1, max = 24)
                    String token) {
        BigDecimal expected;
        try {
            expected = new BigDecimal(token);
        } catch (NumberFormatException e) {
            expected = null;
        }
        if (expected == null || !(token.charAt(0) == '-' || Character.isDigit(token.charAt(0)))) {
            assertThatThrownBy(() -> Json.parse("[" + token + "]")).isInstanceOf(JsonException.class);
            return;
        }
        JsonValue v = Json.parse("[" + token + "]");
        BigDecimal got = ((JsonNumber) ((JsonArray) v).get(0)).value();
        assertThat(got).isEqualTo(expected); // equals: same value and same scale
    }

    @Example
    void longBoundaries() {
        for (String s : new String[] {
            "999999999999999999",
            "-99999999999999999",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "123456789012345678901234567890",
            "0",
            "-0",
            "007"
        }) {
            BigDecimal got = ((JsonNumber) Json.parse(s)).value();
            assertThat(got).as(s).isEqualTo(new BigDecimal(s));
        }
    }

    @Property(tries = 2000)
    void decodingAgreesWithTheStrictDecoder(@ForAll byte[] bytes) {
        String expected;
        try {
            expected = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            expected = null;
        }
        if (expected == null) {
            assertThatThrownBy(() -> Json.decodeUtf8(bytes)).isInstanceOf(JsonException.class);
        } else {
            assertThat(Json.decodeUtf8(bytes)).isEqualTo(expected);
        }
    }

    @Example
    void asciiDetection() {
        assertThat(Json.isAscii("{\"a\":[1,2]}".getBytes(StandardCharsets.US_ASCII)))
                .isTrue();
        assertThat(Json.isAscii(new byte[] {'a', (byte) 0x80})).isFalse();
        assertThat(Json.isAscii(new byte[] {(byte) 0xFF, 'a'})).isFalse();
        assertThat(Json.isAscii(new byte[0])).isTrue();
    }
}
