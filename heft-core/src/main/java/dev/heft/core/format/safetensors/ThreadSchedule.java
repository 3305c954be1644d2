package dev.heft.core.format.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The calling thread's scheduler times from Linux's {@code /proc/thread-self/schedstat} (Documentation/scheduler/
 * sched-stats.rst: "time spent on the cpu", "time spent waiting on a runqueue", "# of timeslices run on this cpu",
 * in nanoseconds), so a caller can tell time spent blocked (on storage) from time spent running or waiting for a CPU.
 *
 * <p>The file stays open and is read again from offset 0 for each sample (procfs builds its text anew on a read at
 * offset 0): one {@code pread} a sample instead of an open, two reads and a close. {@code thread-self} names the
 * thread that opened the file, so an instance is used only by the thread that {@link #open()}ed it.
 */
final class ThreadSchedule implements AutoCloseable {
    private static final Path FILE = Path.of("/proc/thread-self/schedstat");
    /** Set once the file turned out to be unreadable (not Linux, no /proc, schedstats off), so it is not retried. */
    private static volatile boolean unavailable;

    /** Null where the file is unreadable. */
    private FileChannel channel;

    private final ByteBuffer buffer = ByteBuffer.allocate(128);

    private ThreadSchedule(FileChannel channel) {
        this.channel = channel;
    }

    /** The calling thread's schedule; its {@link #current()} answers {@code null} where the file is unreadable. */
    static ThreadSchedule open() {
        if (unavailable) {
            return new ThreadSchedule(null);
        }
        try {
            return new ThreadSchedule(FileChannel.open(FILE));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            unavailable = true;
            return new ThreadSchedule(null);
        }
    }

    /** {@code {ns on a CPU, ns runnable waiting for one}} for the opening thread, or {@code null} where unknown. */
    long[] current() {
        if (channel == null) {
            return null;
        }
        long[] out;
        try {
            buffer.clear();
            int n = channel.read(buffer, 0);
            out = parse(new String(buffer.array(), 0, Math.max(n, 0), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            out = null;
        }
        if (out == null) {
            unavailable = true;
            close();
        }
        return out;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // A read-only /proc file: nothing was written that a failed close could lose.
            }
            channel = null;
        }
    }

    /** The first two numbers of a schedstat line, or {@code null} when it does not start with two. */
    static long[] parse(String line) {
        String[] fields = line.trim().split(" ");
        if (fields.length < 2) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
