package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The progress line shows only work worth watching (issue 13: "a progress line on a terminal for repos with many
 * files"): a remote read of many files at once, anything else only once it has run a second; a clock the test moves
 * stands in for time.
 */
class ProgressLineTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);

    private String drawn() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void files(int done, int total, long afterMillis) {
        now.addAndGet(afterMillis * 1_000_000L);
        line.update(done, total, "files", "heft: headers");
    }

    @Test
    void aFewFilesReadQuicklyDrawNothingAndLeaveNothingToClear() {
        for (int i = 1; i <= 3; i++) {
            files(i, 3, 60);
        }
        line.finish();
        assertThat(drawn()).isEmpty();
    }

    @Test
    void aRepoOfManyFilesGetsTheLineAtOnce() {
        files(1, 191, 10);
        assertThat(drawn()).contains("heft: headers  1/191 files");
        line.finish();
        assertThat(drawn()).endsWith("\r\033[K");
    }

    @Test
    void aFewFilesThatTakeLongerThanASecondGetTheLineFromThen() {
        files(1, 3, 400);
        files(2, 3, 400);
        assertThat(drawn()).isEmpty();
        files(3, 4, 300);
        assertThat(drawn()).contains("3/4 files");
    }

    @Test
    void theThresholdsAreWhatTheLineSays() {
        assertThat(ProgressLine.worthDrawing(ProgressLine.MANY_FILES - 1, "files", 999_000_000L))
                .isFalse();
        assertThat(ProgressLine.worthDrawing(ProgressLine.MANY_FILES, "files", 0))
                .isTrue();
        // bytes of a scan are never "many files": only time decides
        assertThat(ProgressLine.worthDrawing(1L << 40, "bytes", 999_000_000L)).isFalse();
        assertThat(ProgressLine.worthDrawing(1, "bytes", ProgressLine.QUIET_NANOS))
                .isTrue();
    }
}
