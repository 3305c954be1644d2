package dev.heft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the heft command line in-process with captured output, as picocli's testing chapter recommends. */
final class CliTestSupport {
    record Result(int exitCode, String out, String err) {}

    static Result run(String... args) {
        CommandLine cl = HeftCli.newCommandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path shared() {
        String prop = System.getProperty("heft.shared");
        Path p = prop == null ? Path.of("..", "..", "shared") : Path.of(prop);
        if (!Files.isDirectory(p.resolve("fixtures"))) {
            throw new IllegalStateException("shared fixtures not found at " + p.toAbsolutePath());
        }
        return p.toAbsolutePath().normalize();
    }

    static Path fixture(String relative) {
        return shared().resolve("fixtures").resolve(relative);
    }
}
