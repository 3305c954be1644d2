package dev.heft.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The one strict UTF-8 rule against the JDK's own decoder in REPORT mode (the rule each reader spelled out before):
 * the same verdict, the same text, the same offset of the first malformed sequence.
 */
class StrictUtf8Test {

    /** The length without encoding equals the JDK encoder's, for whole strings and any prefix that ends on a code point. */
    @Property(tries = 2000)
    void encodedLengthIsTheJdkEncodersLength(@ForAll String text) {
        assertThat(StrictUtf8.encodedLength(text, text.length()))
                .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        for (int end = 0; end <= text.length(); end = text.offsetByCodePoints(end, 1)) {
            String prefix = text.substring(0, end);
            if (prefix.codePoints().noneMatch(c -> Character.isSurrogate((char) c) && c < 0x10000)) {
                assertThat(StrictUtf8.encodedLength(text, end))
                        .as("first %d chars", end)
                        .isEqualTo(prefix.getBytes(StandardCharsets.UTF_8).length);
            }
            if (end == text.length()) {
                break;
            }
        }
    }

    @Test
    void encodedLengthCountsEachWidthOfCodePoint() {
        // 1, 2, 3 and 4 bytes (a, e acute, CJK, an emoji as a surrogate pair): an independent closed form.
        assertThat(StrictUtf8.encodedLength("a\u00e9\u4e2d\ud83d\ude00", 5)).isEqualTo(1 + 2 + 3 + 4);
        assertThat(StrictUtf8.encodedLength("a\u00e9\u4e2d\ud83d\ude00", 3)).isEqualTo(1 + 2 + 3);
    }

    @Property(tries = 3000)
    void agreesWithTheJdkDecoder(@ForAll("bytes") byte[] raw) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer out = CharBuffer.allocate(raw.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isUnderflow()) {
            r = decoder.flush(out);
        }
        Optional<String> mine = StrictUtf8.decode(raw);
        if (r.isError()) {
            assertThat(mine).isEmpty();
            assertThat(StrictUtf8.firstMalformed(raw)).isEqualTo(in.position());
        } else {
            assertThat(mine).contains(out.flip().toString());
            assertThat(StrictUtf8.firstMalformed(raw)).isEqualTo(-1);
        }
    }

    /** Mostly the bytes where the rules live (leads, continuations, the edges of Table 3-7), some ASCII runs. */
    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<Byte> edges = Arbitraries.of(
                        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF,
                        0xF0, 0xF4, 0xF5, 0xFF)
                .map(Integer::byteValue);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, edges), net.jqwik.api.Tuple.of(1, any))
                .array(byte[].class)
                .ofMaxSize(24);
    }

    @Test
    void wellFormedTextOfEveryLengthDecodes() {
        String text = "aé€😀 weights_manifest.json ñ";
        assertThat(StrictUtf8.decode(text.getBytes(StandardCharsets.UTF_8))).contains(text);
        assertThat(StrictUtf8.decode(new byte[0])).contains("");
    }

    @Test
    void namesTheByteWhereTheFirstBadSequenceStarts() {
        // "ab" + an encoded surrogate (ED A0 80): malformed at byte 2; a truncated 4-byte lead at the end likewise.
        assertThat(StrictUtf8.firstMalformed(new byte[] {'a', 'b', (byte) 0xED, (byte) 0xA0, (byte) 0x80}))
                .isEqualTo(2);
        assertThat(StrictUtf8.firstMalformed(
                        new byte[] {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', (byte) 0xF0, (byte) 0x9F}))
                .isEqualTo(9);
        assertThat(StrictUtf8.decode(new byte[] {(byte) 0xC0, (byte) 0xAF})).isEmpty(); // overlong '/'
    }
}
