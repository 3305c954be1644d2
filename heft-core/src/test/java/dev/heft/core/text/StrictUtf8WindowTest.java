package dev.heft.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The in-place validator against the JDK's strict UTF-8 decoder (the naive twin): same verdict on every input. */
class StrictUtf8WindowTest {

    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean ours(byte[] b) {
        // validate a window inside a larger segment, so reads past the window would be caught as wrong answers
        byte[] padded = new byte[b.length + 16];
        java.util.Arrays.fill(padded, (byte) 0x80);
        System.arraycopy(b, 0, padded, 8, b.length);
        return StrictUtf8.isValid(ByteBuffer.wrap(padded), 8, b.length);
    }

    @Test
    void edgeCases() {
        int[][] cases = {
            {},
            {0x41},
            {0x7F},
            {0x80},
            {0xC0, 0x80},
            {0xC1, 0xBF},
            {0xC2, 0x80},
            {0xDF, 0xBF},
            {0xE0, 0x9F, 0xBF},
            {0xE0, 0xA0, 0x80},
            {0xED, 0x9F, 0xBF},
            {0xED, 0xA0, 0x80},
            {0xEF, 0xBF, 0xBF},
            {0xF0, 0x8F, 0xBF, 0xBF},
            {0xF0, 0x90, 0x80, 0x80},
            {0xF4, 0x8F, 0xBF, 0xBF},
            {0xF4, 0x90, 0x80, 0x80},
            {0xF5, 0x80, 0x80, 0x80},
            {0xFF},
            {0xE2, 0x82},
            {0xE2, 0x82, 0xAC},
            {0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0xC3},
            {0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0xC3, 0xA9}
        };
        for (int[] c : cases) {
            byte[] b = new byte[c.length];
            for (int i = 0; i < c.length; i++) {
                b[i] = (byte) c[i];
            }
            assertThat(ours(b)).as(java.util.Arrays.toString(c)).isEqualTo(jdkValid(b));
        }
    }

    @Property(tries = 3000)
    void agreesWithTheJdkDecoder(@ForAll long seed) {
        Random rnd = new Random(seed);
        // mostly valid text with a few random bytes mixed in, so both verdicts are common
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(40); i > 0; i--) {
            sb.appendCodePoint(rnd.nextInt(4) == 0 ? rnd.nextInt(0x11_0000 - 0x800) + 0x800 : rnd.nextInt(0x80));
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        for (int k = rnd.nextInt(3); k > 0 && b.length > 0; k--) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        assertThat(ours(b)).isEqualTo(jdkValid(b));
    }
}
