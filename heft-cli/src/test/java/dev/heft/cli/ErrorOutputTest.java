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
        assertThat(r.err())
                .startsWith("heft: " + junk)
                .contains("not a model file")
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingModelIsAnInputErrorNotACrash() {
        CliTestSupport.Result r =
                CliTestSupport.run("inspect", tmp.resolve("absent.gguf").toString());
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

    /** A command whose work throws {@code error}, run through heft's error handling. */
    private static CliTestSupport.Result failingWith(Error error, String... extra) {
        @picocli.CommandLine.Command(name = "boom")
        class Boom implements java.util.concurrent.Callable<Integer> {
            @picocli.CommandLine.Option(names = "--debug")
            boolean debug;

            @Override
            public Integer call() {
                throw error;
            }
        }
        picocli.CommandLine cl = new picocli.CommandLine(new Boom());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setExecutionStrategy(ErrorHandler.guard(cl.getExecutionStrategy()));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        return new CliTestSupport.Result(cl.execute(extra), out.toString(), err.toString());
    }

    @Test
    void outOfMemoryAndStackOverflowAreOneLineNotATrace() {
        CliTestSupport.Result oom = failingWith(new OutOfMemoryError("Java heap space"));
        assertThat(oom.exitCode()).isEqualTo(ErrorHandler.INTERNAL_ERROR);
        assertThat(oom.err().strip().lines()).hasSize(1);
        assertThat(oom.err())
                .startsWith("heft: internal error: out of memory (Java heap space; the heap limit is ")
                .doesNotContain("\tat ");
        CliTestSupport.Result so = failingWith(new StackOverflowError());
        assertThat(so.exitCode()).isEqualTo(ErrorHandler.INTERNAL_ERROR);
        assertThat(so.err().strip().lines()).hasSize(1);
        assertThat(so.err()).contains("stack overflow").doesNotContain("\tat ");
        assertThat(failingWith(new StackOverflowError(), "--debug").err()).contains("\tat ");
    }

    @Test
    void errorMessagesAreOneEscapedLineWhateverTheFileHolds() throws Exception {
        // A TF.js manifest naming a shard whose name holds a newline and terminal controls: the error quotes it.
        Path dir = Files.createDirectories(tmp.resolve("tfjs"));
        Path json = Files.writeString(
                dir.resolve("model.json"),
                "{\"weightsManifest\": [{\"paths\": "
                        + "[\"a\\u001b]0;pwned\\u0007\\nheft: fake.bin\"], \"weights\": []}]}");
        CliTestSupport.Result r = CliTestSupport.run("inspect", json.toString());
        assertThat(r.exitCode()).isEqualTo(ErrorHandler.INPUT_ERROR);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("\\x1b]0;pwned\\x07\\nheft: fake.bin").doesNotContain("\u001b");
    }
}
