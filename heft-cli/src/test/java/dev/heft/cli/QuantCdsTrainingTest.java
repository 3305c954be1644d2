package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quant-error AOT training run must scan its file successfully, or the cache would miss the scan's classes. */
class QuantCdsTrainingTest {
    @Test
    void everyTrainingCommandSucceeds() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            QuantCdsTraining.main(new String[0]);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("exited");
    }

    @Test
    void trainingFileIsAValidF32CheckpointThatQuantErrorScansWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.safetensors");
        QuantCdsTraining.writeF32Safetensors(file);
        assertThat(Files.size(file)).isGreaterThan(4L * 256 * 4096 * 4);
        StringWriter out = new StringWriter();
        var cl = HeftCli.newCommandLine(new String[0]);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("quant-error", "--scheme", "q8_0", file.toString()))
                .isZero();
        assertThat(out.toString()).containsPattern("q8_0 +4 +4,194,304 "); // 4 tensors x 256 x 4096, all scanned
    }
}
