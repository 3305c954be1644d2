package dev.heft.cli;

import dev.heft.core.api.Progress;
import dev.heft.core.api.render.Format;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr, redrawn in place at most ten times a second: what is done, the rate and the time left.
 * Only when stderr is a terminal, so scripts and pipes never see it, and only for work worth watching: a remote read
 * of many files, or anything still going after {@link #QUIET_NANOS} (a repo of three shards read in 200 ms flashes
 * no line).
 */
final class ProgressLine implements Progress {
    /** Work that has run this long gets a line, however little of it there is. */
    static final long QUIET_NANOS = 1_000_000_000L;
    /** A read of at least this many files gets a line at once (a 405B repo's 191 shards, not a 7B's 3). */
    static final long MANY_FILES = 16;

    private final PrintStream err;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw;
    private boolean drawn;

    /** @param clock nanoseconds on a monotonic clock ({@link System#nanoTime} but in tests) */
    ProgressLine(PrintStream err, LongSupplier clock) {
        this.err = err;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** A progress line when stderr is a terminal, else {@code null}. */
    static ProgressLine forTerminal(Format format) {
        var console = System.console();
        return console != null && console.isTerminal() ? new ProgressLine(System.err, System::nanoTime) : null;
    }

    /** Whether work of {@code total} {@code unit}s, going for {@code elapsedNanos}, is worth a line. */
    static boolean worthDrawing(long total, String unit, long elapsedNanos) {
        return elapsedNanos >= QUIET_NANOS || (unit.equals("files") && total >= MANY_FILES);
    }

    @Override
    public synchronized void update(long done, long total, String unit, String detail) {
        long now = clock.getAsLong();
        if (!drawn && !worthDrawing(total, unit, now - start)) {
            return;
        }
        if (drawn && now - lastDraw < 100_000_000L && done < total) {
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
