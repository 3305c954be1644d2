package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The AOT training run must exercise inspect successfully, or the cache would miss the classes inspect needs. */
class CdsTrainingTest {
    @Test
    void everyTrainingCommandSucceeds() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CdsTraining.main(new String[0]);
        } finally {
            System.setErr(saved);
        }
        // CdsTraining reports a command that exits non-zero on stderr ("... exited N").
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("exited");
    }
}
