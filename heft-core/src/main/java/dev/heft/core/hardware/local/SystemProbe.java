package dev.heft.core.hardware.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads this machine: runs a tool (nvidia-smi, sysctl) with a timeout, keeping at most {@link #MAX_BYTES} of its
 * output, and reads small files. Anything absent, failing or slow yields empty, quietly: a machine without nvidia-smi
 * is simply a machine without NVIDIA GPUs.
 */
public final class SystemProbe implements Probe {
    /** nvidia-smi answers in well under a second; a hung driver must not hang heft. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    static final int MAX_BYTES = 1 << 16;

    private final Duration timeout;

    public SystemProbe(Duration timeout) {
        this.timeout = timeout;
    }

    public SystemProbe() {
        this(DEFAULT_TIMEOUT);
    }

    @Override
    public String osName() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<String> run(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(nullDevice())))
                    .start();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty(); // the tool is not installed
        }
        try {
            // Read on a virtual thread so that a tool that never closes its output cannot outlive the timeout.
            var out = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> copyCapped(p.getInputStream(), out));
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                return Optional.empty();
            }
            reader.join(timeout.toMillis());
            synchronized (out) {
                return p.exitValue() == 0 ? Optional.of(out.toString(StandardCharsets.UTF_8)) : Optional.empty();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private static String nullDevice() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null";
    }

    private static void copyCapped(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    if (out.size() < MAX_BYTES) {
                        out.write(buf, 0, Math.min(n, MAX_BYTES - out.size()));
                    }
                }
            }
        } catch (IOException e) {
            // the process went away: what was read so far stands
        }
    }

    @Override
    public Optional<String> read(String path) {
        try {
            Path p = Path.of(path);
            if (!Files.isRegularFile(p) && !path.startsWith("/proc/")) {
                return Optional.empty();
            }
            try (InputStream in = Files.newInputStream(p)) {
                return Optional.of(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
