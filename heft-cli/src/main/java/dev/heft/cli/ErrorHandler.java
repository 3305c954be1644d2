package dev.heft.cli;

import dev.heft.core.error.HeftException;
import dev.heft.core.error.SafeText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns any failure into one line on stderr and an exit code, never a stack trace (unless {@code --debug}):
 * 1 for a problem with the model or input (corrupt, unsupported, not found), 2 for usage (picocli's own),
 * 70 for a bug in heft. Errors ({@link OutOfMemoryError}, {@link StackOverflowError}) never reach picocli's exception
 * handler (it handles Exceptions only), so {@link #guard} wraps the execution strategy to give them the same one line.
 * Every line is escaped ({@link SafeText}): messages quote file names and file contents.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int INPUT_ERROR = 1;
    static final int INTERNAL_ERROR = 70;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        var err = cl.getErr();
        int code;
        switch (ex) {
            case HeftException h -> {
                err.println("heft: " + SafeText.escape(h.getMessage()));
                code = INPUT_ERROR;
            }
            case NoSuchFileException n -> {
                err.println("heft: no such file: " + SafeText.escape(n.getFile()));
                code = INPUT_ERROR;
            }
            case AccessDeniedException a -> {
                err.println("heft: permission denied: " + SafeText.escape(a.getFile()));
                code = INPUT_ERROR;
            }
            case IOException io -> {
                err.println("heft: cannot read: " + SafeText.escape(io.getMessage()));
                code = INPUT_ERROR;
            }
            case UncheckedIOException io -> {
                err.println("heft: cannot read: " + SafeText.escape(io.getMessage()));
                code = INPUT_ERROR;
            }
            default -> {
                err.println("heft: internal error: " + SafeText.escape(ex.toString())
                        + " (please report it; rerun with --debug for details)");
                code = INTERNAL_ERROR;
            }
        }
        finish(ex, err, parseResult);
        return code;
    }

    /** {@code strategy} with JVM errors turned into one line and {@link #INTERNAL_ERROR}, as exceptions are. */
    static CommandLine.IExecutionStrategy guard(CommandLine.IExecutionStrategy strategy) {
        return parseResult -> {
            try {
                return strategy.execute(parseResult);
            } catch (Error e) {
                var err = parseResult.commandSpec().commandLine().getErr();
                err.println("heft: internal error: " + describe(e)
                        + " (please report it; rerun with --debug for details)");
                finish(e, err, parseResult);
                return INTERNAL_ERROR;
            }
        };
    }

    private static String describe(Error e) {
        return switch (e) {
            case OutOfMemoryError oom -> "out of memory (" + SafeText.escape(oom.getMessage()) + "; the heap limit is "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)";
            case StackOverflowError so -> "stack overflow (input nested too deeply for heft's limits)";
            default -> SafeText.escape(e.toString());
        };
    }

    private static void finish(Throwable ex, java.io.PrintWriter err, CommandLine.ParseResult parseResult) {
        if (parseResult.hasMatchedOption("--debug") || isDebugInSubcommand(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    private static boolean isDebugInSubcommand(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult sub = pr.subcommand(); sub != null; sub = sub.subcommand()) {
            if (sub.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
