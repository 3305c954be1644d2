package dev.heft.core.hardware.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * nvidia-smi's CSV query output. heft runs {@link #COMMAND}; with {@code --format=csv} nvidia-smi prints a header
 * naming each field with its unit in brackets ({@code memory.total [MiB]}), then one line per GPU with values and
 * units ({@code 24564 MiB}); fields a GPU lacks read {@code [N/A]} or {@code [Not Supported]}. (nvidia-smi
 * {@code --help-query-gpu} documents the fields; the values are comma-separated, and GPU names contain no comma.)
 */
public final class NvidiaSmi {
    public static final List<String> COMMAND =
            List.of("nvidia-smi", "--query-gpu=name,memory.total,memory.free,driver_version", "--format=csv");

    /** One GPU as nvidia-smi names it, with its memory in MiB (free memory when reported). */
    public record Gpu(String name, long memoryMiB, Optional<Long> freeMiB, String driver) {
        public long memoryBytes() {
            return memoryMiB << 20;
        }
    }

    private NvidiaSmi() {}

    /** The GPUs in {@code csv}; lines that do not parse (a warning nvidia-smi printed) are skipped. */
    public static List<Gpu> parse(String csv) {
        List<String> lines =
                csv.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<Gpu> gpus = new ArrayList<>();
        if (lines.isEmpty()) {
            return gpus;
        }
        List<String> header = split(lines.getFirst()).stream()
                .map(h -> h.replaceAll("\\s*\\[.*]$", "").toLowerCase(Locale.ROOT))
                .toList();
        int name = header.indexOf("name");
        int total = header.indexOf("memory.total");
        int free = header.indexOf("memory.free");
        int driver = header.indexOf("driver_version");
        if (name < 0 || total < 0) {
            return gpus;
        }
        for (String line : lines.subList(1, lines.size())) {
            List<String> v = split(line);
            if (v.size() != header.size()) {
                continue;
            }
            Optional<Long> mib = mebibytes(v.get(total));
            if (mib.isEmpty() || mib.get() <= 0) {
                continue;
            }
            gpus.add(new Gpu(
                    v.get(name),
                    mib.get(),
                    free < 0 ? Optional.empty() : mebibytes(v.get(free)),
                    driver < 0 ? "" : v.get(driver)));
        }
        return gpus;
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        for (String part : line.split(",")) {
            out.add(part.strip());
        }
        return out;
    }

    /** "24564 MiB" (or a bare number, as with nounits) in MiB; empty for [N/A] and anything else. */
    private static Optional<Long> mebibytes(String v) {
        String t = v.endsWith("MiB") ? v.substring(0, v.length() - 3).strip() : v;
        try {
            long n = Long.parseLong(t);
            return n >= 0 && n < 1L << 40 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
