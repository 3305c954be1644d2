package dev.heft.core.hardware.local;

import java.util.List;
import java.util.Optional;

/**
 * Where detection reads this machine: command output and small system files. The real one
 * ({@link SystemProbe}) runs processes with a timeout; tests answer from recorded outputs.
 */
public interface Probe {
    /** The operating system as {@code os.name} reports it ("Linux", "Mac OS X", "Windows 11"). */
    String osName();

    /** Standard output of a command that exited 0 within the probe's timeout; empty if absent, failed or too slow. */
    Optional<String> run(List<String> command);

    /** A small text file's contents ({@code /proc/meminfo}); empty when it does not exist or cannot be read. */
    Optional<String> read(String path);
}
