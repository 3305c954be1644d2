package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line of remote reads: shown for many files only, rewritten in place, cleared at the end. */
class TerminalProgressTest {

    @Test
    void aFewFilesShowNothingManyShowOneLineRewrittenAndCleared() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Models.TerminalProgress p = new Models.TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        p.files(1, 3, 100);
        p.finished();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
        for (int i = 1; i <= 169; i++) {
            p.files(i, 169, i * 1024L);
        }
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertThat(line).startsWith("\rheft: headers ").contains("heft: headers 169/169 (169.00 KiB)")
                .doesNotContain("\n");
        p.finished();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("\r\u001b[K");
    }
}
