package dev.heft.core.hardware.local;

import java.util.Optional;

/**
 * Linux's {@code /proc/meminfo} and {@code /proc/cpuinfo} (proc(5)). meminfo lines read {@code MemTotal:
 * 24589412 kB} (the unit is always kB, meaning KiB); {@code MemAvailable} (kernel 3.14+) estimates what a new process
 * can allocate without swapping. cpuinfo has one block per logical CPU, each starting with {@code processor : N}; x86
 * kernels name the CPU in {@code model name}.
 */
public final class ProcInfo {
    /** Total and available RAM in bytes, as far as meminfo tells them. */
    public record Memory(Optional<Long> totalBytes, Optional<Long> availableBytes) {}

    /** The CPU's model name and the number of logical CPUs. */
    public record Cpu(Optional<String> model, int logicalCpus) {}

    private ProcInfo() {}

    public static Memory memory(String meminfo) {
        return new Memory(kib(meminfo, "MemTotal"), kib(meminfo, "MemAvailable"));
    }

    public static Cpu cpu(String cpuinfo) {
        Optional<String> model = Optional.empty();
        int cpus = 0;
        for (String line : cpuinfo.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("processor")) {
                cpus++;
            } else if (key.equals("model name") && model.isEmpty() && !value.isEmpty()) {
                model = Optional.of(value.replaceAll("\\s+", " "));
            }
        }
        return new Cpu(model, cpus);
    }

    private static Optional<Long> kib(String meminfo, String key) {
        for (String line : meminfo.lines().toList()) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).strip().split("\\s+");
                try {
                    long v = Long.parseLong(parts[0]);
                    if (v > 0 && v < 1L << 44 && (parts.length == 1 || parts[1].equals("kB"))) {
                        return Optional.of(v * 1024);
                    }
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
