package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.RemoteModelException;
import java.net.URI;
import java.util.Optional;
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
}
