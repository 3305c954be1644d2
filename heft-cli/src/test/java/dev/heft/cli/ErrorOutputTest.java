package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorOutputTest {
    @TempDir
    Path tmp;

    @Test
    void unrecognisedFileGivesOneLineNamingTheFileAndNoStackTrace() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.bin"), "root:x:0:0:root:/root:/bin/bash\n");
        CliTestSupport.Result r = CliTestSupport.run("inspect", junk.toString());
        assertThat(r.exitCode()).isEqualTo(ErrorHandler.INPUT_ERROR);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("heft: " + junk).contains("not a model file").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingModelIsAnInputErrorNotACrash() {
        CliTestSupport.Result r = CliTestSupport.run("inspect", tmp.resolve("absent.gguf").toString());
        assertThat(r.exitCode()).isEqualTo(ErrorHandler.INPUT_ERROR);
        assertThat(r.err()).startsWith("heft: ").doesNotContain("Exception");
    }

    @Test
    void debugFlagAddsTheStackTrace() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.bin"), "not a model");
        CliTestSupport.Result r = CliTestSupport.run("inspect", "--debug", junk.toString());
        assertThat(r.exitCode()).isEqualTo(ErrorHandler.INPUT_ERROR);
        assertThat(r.err()).contains("\tat ");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliTestSupport.Result r = CliTestSupport.run("inspect", "--no-such-flag", "x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--no-such-flag");
    }
}
