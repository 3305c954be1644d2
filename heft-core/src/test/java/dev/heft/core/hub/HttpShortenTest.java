package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Http#shorten}: what a server sent, fit for a one-line message. */
class HttpShortenTest {
    /** The definition it replaced: the regex class {@code \p{Cntrl}} as '?', then a cut at 120 characters. */
    private static String byRegex(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 120 ? clean.substring(0, 120) + "..." : clean;
    }

    @Test
    void controlCharactersBecomeQuestionMarksAndLongTextIsCut() {
        assertThat(Http.shorten("abc\r\ndef\u007f\u0000\t")).isEqualTo("abc??def???");
        assertThat(Http.shorten("\u0080\u00ff\u2028é")).isEqualTo("\u0080\u00ff\u2028é");
        assertThat(Http.shorten("x".repeat(121))).isEqualTo("x".repeat(120) + "...");
        assertThat(Http.shorten("x".repeat(120))).isEqualTo("x".repeat(120));
    }

    @Test
    void itAgreesWithTheRegexOnRandomText() {
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            char[] chars = new char[random.nextInt(140)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) (random.nextBoolean() ? random.nextInt(0x90) : random.nextInt(0x10000));
            }
            String s = new String(chars);
            assertThat(Http.shorten(s)).as(s).isEqualTo(byRegex(s));
        }
    }
}
