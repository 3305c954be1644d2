package dev.heft.cli;

import dev.heft.core.hub.Progress;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.model.ResolverSettings;
import java.io.IOException;
import java.io.PrintStream;

/** Resolves MODEL arguments for every command: one resolver, one place, settings read from the environment once. */
final class Models {
    private Models() {
    }

    static ResolvedModel resolve(String argument) throws IOException {
        return new ModelResolver(settings()).resolve(argument);
    }

    /** The environment's settings, with a progress line on stderr when heft runs on a terminal. */
    static ResolverSettings settings() {
        ResolverSettings s = ResolverSettings.fromEnvironment();
        java.io.Console console = System.console();
        return console != null && console.isTerminal() ? s.withProgress(new TerminalProgress(System.err)) : s;
    }

    /**
     * "heft: headers 45/169 (1.2 MiB)" rewritten in place on stderr, at most ten times a second, only for models of
     * eight files or more (a single file is done before a line would help); cleared when the fetch ends.
     */
    static final class TerminalProgress implements Progress {
        private static final int MIN_FILES = 8;
        private final PrintStream err;
        private long lastNanos;
        private boolean shown;

        TerminalProgress(PrintStream err) {
            this.err = err;
        }

        @Override
        public synchronized void files(int done, int total, long bytes) {
            long now = System.nanoTime();
            if (total < MIN_FILES || (now - lastNanos < 100_000_000L && done < total)) {
                return;
            }
            lastNanos = now;
            err.print("\rheft: headers " + done + "/" + total + " ("
                    + dev.heft.core.report.Units.bytes(bytes) + ")\u001b[K");
            err.flush();
            shown = true;
        }

        @Override
        public synchronized void finished() {
            if (shown) {
                err.print("\r\u001b[K");
                err.flush();
                shown = false;
            }
        }
    }
}
