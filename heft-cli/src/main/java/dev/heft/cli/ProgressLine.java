package dev.heft.cli;

import dev.heft.core.api.Progress;
import dev.heft.core.api.render.Format;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr, redrawn in place at most ten times a second: what is done, the rate and the time left.
 * Only when stderr is a terminal, so scripts and pipes never see it.
 */
final class ProgressLine implements Progress {
    private final PrintStream err;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private ProgressLine(PrintStream err) {
        this.err = err;
    }

    /** A progress line when stderr is a terminal, else {@code null}. */
    static ProgressLine forTerminal(Format format) {
        var console = System.console();
        return console != null && console.isTerminal() ? new ProgressLine(System.err) : null;
    }

    @Override
    public synchronized void update(long done, long total, String unit, String detail) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        double s = (now - start) / 1e9;
        double rate = s > 0 ? done / s : 0;
        double eta = rate > 0 ? (total - done) / rate : 0;
        if (unit.equals("bytes")) {
            err.printf(
                    Locale.ROOT,
                    "\r%s  %.2f/%.2f GB  %.2f GB/s  ETA %.0f s   ",
                    detail,
                    done / 1e9,
                    total / 1e9,
                    rate / 1e9,
                    eta);
        } else {
            err.printf(Locale.ROOT, "\r%s  %d/%d %s  ETA %.0f s   ", detail, done, total, unit, eta);
        }
        err.flush();
    }

    /** Clears the line so the report starts on a clean one. */
    synchronized void finish() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
