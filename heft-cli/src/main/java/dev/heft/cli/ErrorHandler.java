package dev.heft.cli;

import dev.heft.core.error.HeftException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns any failure into one line on stderr and an exit code, never a stack trace (unless {@code --debug}):
 * 1 for a problem with the model or input (corrupt, unsupported, not found), 2 for usage (picocli's own),
 * 70 for a bug in heft.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int INPUT_ERROR = 1;
    static final int INTERNAL_ERROR = 70;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        boolean debug = parseResult.hasMatchedOption("--debug") || isDebugInSubcommand(parseResult);
        var err = cl.getErr();
        int code;
        switch (ex) {
            case HeftException h -> {
                err.println("heft: " + h.getMessage());
                code = INPUT_ERROR;
            }
            case NoSuchFileException n -> {
                err.println("heft: no such file: " + n.getFile());
                code = INPUT_ERROR;
            }
            case AccessDeniedException a -> {
                err.println("heft: permission denied: " + a.getFile());
                code = INPUT_ERROR;
            }
            case IOException io -> {
                err.println("heft: cannot read: " + io.getMessage());
                code = INPUT_ERROR;
            }
            default -> {
                err.println("heft: internal error: " + ex + " (please report it; rerun with --debug for details)");
                code = INTERNAL_ERROR;
            }
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
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
