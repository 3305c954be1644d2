package dev.heft.cli;

import dev.heft.core.api.render.Format;
import dev.heft.core.api.render.Printable;
import dev.heft.core.error.HeftException;
import dev.heft.core.json.JsonWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Turns any failure into one line on stderr and an exit code, never a stack trace (unless {@code --debug}):
 * 1 for a problem with the model or input (corrupt, unsupported, not found, unreadable), 2 for usage (an unknown
 * option, a bad value), 70 for a bug in heft. With {@code --json} (or {@code --format json}) the line is a JSON object
 * {@code {"error": ..., "exit_code": ...}}, so a script reading JSON never has to parse prose. JVM errors
 * ({@link OutOfMemoryError}, {@link StackOverflowError}) never reach picocli's exception handler (it handles Exceptions
 * only), so {@link #guard} wraps the execution strategy to give them the same one line and {@link #INTERNAL_ERROR}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int INPUT_ERROR = 1;
    static final int USAGE_ERROR = 2;
    static final int INTERNAL_ERROR = 70;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        String message;
        int code;
        switch (ex) {
            case HeftException h -> {
                message = h.getMessage();
                code = INPUT_ERROR;
            }
            case NoSuchFileException n -> {
                message = "no such file: " + n.getFile();
                code = INPUT_ERROR;
            }
            case AccessDeniedException a -> {
                message = "permission denied: " + a.getFile();
                code = INPUT_ERROR;
            }
            case IOException io -> {
                message = "cannot read: " + io.getMessage();
                code = INPUT_ERROR;
            }
            case UncheckedIOException io -> {
                message = "cannot read: " + io.getMessage();
                code = INPUT_ERROR;
            }
            default -> {
                message = "internal error: " + ex + " (please report it; rerun with --debug for details)";
                code = INTERNAL_ERROR;
            }
        }
        return report(cl, parseResult, message, code, ex);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String help = "; run 'heft " + (cl.getCommandName().equals("heft") ? "" : cl.getCommandName() + " ")
                + "--help' for usage";
        // The parse stopped at the bad argument, so read the output format from the arguments themselves.
        return report(
                cl.getErr(),
                wantsJson(args),
                List.of(args).contains(Options.DEBUG),
                ex.getMessage() + help,
                USAGE_ERROR,
                ex);
    }

    /** {@code strategy} with JVM errors turned into one line and {@link #INTERNAL_ERROR}, as exceptions are. */
    static CommandLine.IExecutionStrategy guard(CommandLine.IExecutionStrategy strategy) {
        return parseResult -> {
            try {
                return strategy.execute(parseResult);
            } catch (Error e) {
                return report(
                        parseResult.commandSpec().commandLine(),
                        parseResult,
                        "internal error: " + describe(e) + " (please report it; rerun with --debug for details)",
                        INTERNAL_ERROR,
                        e);
            }
        };
    }

    private static String describe(Error e) {
        return switch (e) {
            case OutOfMemoryError oom ->
                "out of memory (" + oom.getMessage() + "; the heap limit is "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)";
            case StackOverflowError so -> "stack overflow (input nested too deeply for heft's limits)";
            default -> e.toString();
        };
    }

    static int report(CommandLine cl, CommandLine.ParseResult pr, String message, int code, Throwable ex) {
        return report(cl.getErr(), pr != null && wantsJson(pr), pr != null && isDebug(pr), message, code, ex);
    }

    /** Prints one line (or one JSON object) and, with {@code --debug}, the trace. */
    static int report(PrintWriter err, boolean json, boolean debug, String message, int code, Throwable ex) {
        String line = oneLine(message);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", line);
            m.put("exit_code", code);
            err.println(JsonWriter.writeCompact(m));
        } else {
            err.println("heft: " + line);
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Messages quote names from files: escape what a terminal would act on, and keep it to one line. */
    static String oneLine(String message) {
        return Printable.of(message == null ? "" : message);
    }

    /** {@code --json}, {@code --format json} or {@code --format=json} among raw arguments. */
    static boolean wantsJson(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(Options.JSON)
                    || args[i].equals(Options.FORMAT + "=json")
                    || args[i].equals(Options.FORMAT) && i + 1 < args.length && args[i + 1].equals("json")) {
                return true;
            }
        }
        return false;
    }

    private static boolean wantsJson(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(Options.JSON)
                    || p.hasMatchedOption(Options.FORMAT) && OperationCommand.outputFormat(p) == Format.JSON) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDebug(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(Options.DEBUG)) {
                return true;
            }
        }
        return false;
    }
}
