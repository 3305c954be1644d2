package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.RemoteModelException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link RemoteHeaders#contentRange} on raw header values (RFC 9110 sections 8.6 and 14.4). */
class ContentRangeTest {
    private static final RemoteFile FILE = HubClient.url(URI.create("https://example.org/model.safetensors"));

    private static long[] range(String contentRange, String contentLength, long from, long to) {
        return RemoteHeaders.contentRange(
                Optional.ofNullable(contentRange), Optional.ofNullable(contentLength), FILE, from, to);
    }

    @Test
    void aRangeThatAnswersTheAskGivesItsBoundsAndTheFileSize() {
        assertThat(range("bytes 0-32767/2200119864", "32768", 0, 32767)).containsExactly(0, 32767, 2200119864L);
        assertThat(range("bytes 0-8191/8192", null, 0, 32767)).containsExactly(0, 8191, 8192);
        assertThat(range("bytes 32768-40959/*", "8192", 32768, 40959)).containsExactly(32768, 40959, -1);
    }

    @Test
    void aContentLengthThatIsNotTheRangesLengthIsATypedRefusal() {
        for (String length : new String[] {"32767", "abc", "-32768", "+32768", "99999999999999999999", ""}) {
            assertThatThrownBy(() -> range("bytes 0-32767/100000", length, 0, 32767))
                    .as(length)
                    .isInstanceOfSatisfying(
                            RemoteModelException.class,
                            e -> assertThat(e.reason()).isEqualTo(RemoteModelException.Reason.BAD_ANSWER))
                    .hasMessageContaining("Content-Length");
        }
    }

    @Test
    void aMissingOrUnreadableOrUnaskedRangeIsATypedRefusal() {
        assertThatThrownBy(() -> range(null, "10", 0, 9)).hasMessageContaining("no Content-Range");
        assertThatThrownBy(() -> range("bytes 0-99999999999999999999/1", null, 0, 9))
                .hasMessageContaining("unreadable Content-Range");
        assertThatThrownBy(() -> range("bytes 1-9/100", null, 0, 9)).hasMessageContaining("asked for bytes 0-9");
        assertThatThrownBy(() -> range("bytes 0-9/5", null, 0, 9)).hasMessageContaining("asked for bytes 0-9");
    }

    /** The grammar as a regex, as RemoteHeaders read it before its hand-written parser: the oracle for the test below. */
    private static final Pattern GRAMMAR = Pattern.compile("bytes (\\d{1,19})-(\\d{1,19})/(\\d{1,19}|\\*)");

    /** {a, b, total} by the regex, or null where it does not match or a number does not fit a long. */
    private static long[] byRegex(String header) {
        Matcher m = GRAMMAR.matcher(header.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            return new long[] {
                Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)),
                m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3))
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Test
    void theHandWrittenParserReadsExactlyWhatTheGrammarsRegexReads() {
        List<String> cases = new ArrayList<>(List.of(
                "bytes 0-9/10",
                " bytes 0-9/10 ",
                "bytes 0-9/*",
                "bytes 0-9/**",
                "bytes 0-9/",
                "bytes 0-/10",
                "bytes -9/10",
                "bytes 0-9-10/11",
                "bytes 0-9/10/11",
                "bytes  0-9/10",
                "Bytes 0-9/10",
                "bytes=0-9/10",
                "bytes 0 -9/10",
                "bytes 0-9 /10",
                "bytes 9223372036854775807-9223372036854775807/9223372036854775807",
                "bytes 9223372036854775808-1/2",
                "bytes 0-9223372036854775808/2",
                "bytes 0-1/9223372036854775808",
                "bytes 00000000000000000001-2/3",
                "bytes 0000000000000000001-2/3",
                "bytes \u0660-9/10",
                "bytes 0-9/1\u0000",
                "bytes +1-9/10",
                "",
                "bytes ",
                "bytes -/",
                "bytes 1-2/*x"));
        Random random = new Random(13);
        String alphabet = "0123456789-/* bytesx+\t";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "bytes " : "");
            for (int n = random.nextInt(16); n > 0; n--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            cases.add(sb.toString());
        }
        for (String c : cases) {
            long[] expected = byRegex(c);
            if (expected == null) {
                assertThatThrownBy(() -> range(c, null, 0, 0)).as(c).hasMessageContaining("unreadable Content-Range");
            } else if (expected[1] >= expected[0] && (expected[2] < 0 || expected[1] < expected[2])) {
                // Asked for exactly the range the value names: it is read and accepted as the regex reads it.
                assertThat(range(c, null, expected[0], expected[1])).as(c).containsExactly(expected);
            } else {
                // Read alike, and refused by the checks that follow the reading (an end before the start or past the
                // file's end).
                assertThatThrownBy(() -> range(c, null, expected[0], expected[1]))
                        .as(c)
                        .hasMessageContaining("asked for bytes");
            }
        }
    }
}
