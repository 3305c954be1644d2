package dev.heft.core.format.safetensors;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The calling thread's scheduler times from Linux's {@code /proc/thread-self/schedstat} (Documentation/scheduler/
 * sched-stats.rst: "time spent on the cpu", "time spent waiting on a runqueue", "# of timeslices run on this cpu",
 * in nanoseconds), so a caller can tell time spent blocked (on storage) from time spent running or waiting for a CPU.
 */
final class ThreadSchedule {
    private static final String FILE = "/proc/thread-self/schedstat";
    /** Set once the file turned out to be unreadable (not Linux, no /proc, schedstats off), so it is not retried. */
    private static volatile boolean unavailable;

    private ThreadSchedule() {}

    /** {@code {ns on a CPU, ns runnable waiting for one}} for the calling thread, or {@code null} where unknown. */
    static long[] current() {
        if (unavailable) {
            return null;
        }
        try (FileInputStream in = new FileInputStream(FILE)) {
            byte[] buffer = new byte[128];
            int n = in.readNBytes(buffer, 0, buffer.length);
            long[] out = parse(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            if (out == null) {
                unavailable = true;
            }
            return out;
        } catch (IOException | SecurityException e) {
            unavailable = true;
            return null;
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
