package dev.heft.core.hardware.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * macOS {@code sysctl NAME...} output: one {@code name: value} line per name (sysctl(8)). heft asks for the chip
 * ({@code machdep.cpu.brand_string}, "Apple M3 Max" on Apple silicon), the unified memory in bytes
 * ({@code hw.memsize}) and the logical CPU count ({@code hw.ncpu}).
 */
public final class Sysctl {
    public static final List<String> COMMAND = List.of("sysctl", "machdep.cpu.brand_string", "hw.memsize", "hw.ncpu");

    /** What sysctl told: the chip name, memory in bytes, logical CPUs (when each was present and well formed). */
    public record Facts(Optional<String> chip, Optional<Long> memoryBytes, Optional<Integer> cpus) {
        public boolean appleSilicon() {
            return chip.map(c -> c.startsWith("Apple ")).orElse(false);
        }
    }

    private Sysctl() {}

    public static Facts parse(String output) {
        Map<String, String> kv = new LinkedHashMap<>();
        output.lines().forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                kv.put(
                        line.substring(0, colon).strip(),
                        line.substring(colon + 1).strip());
            }
        });
        return new Facts(
                Optional.ofNullable(kv.get("machdep.cpu.brand_string")).filter(s -> !s.isEmpty()),
                positive(kv.get("hw.memsize")),
                positive(kv.get("hw.ncpu")).map(Long::intValue));
    }

    private static Optional<Long> positive(String v) {
        try {
            long n = v == null ? 0 : Long.parseLong(v);
            return n > 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
