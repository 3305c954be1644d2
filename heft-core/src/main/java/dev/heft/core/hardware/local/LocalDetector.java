package dev.heft.core.hardware.local;

import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.DeviceCategory;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.hardware.LocalDevice;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Detects this machine as a device, in order: NVIDIA GPUs (nvidia-smi), Apple silicon (sysctl), else the CPU and its
 * RAM (/proc/meminfo and /proc/cpuinfo on Linux, the JVM's view of physical memory elsewhere). Memory is what was
 * detected; bandwidth and throughput come from the catalog entry the hardware matches, and are unknown otherwise.
 * Every fact is reported as detected or assumed.
 */
public final class LocalDetector {
    /**
     * nvidia-smi names that do not reduce to a catalog id by dropping the vendor words (the datacenter parts add form
     * factor and memory to the name). Memory comes from nvidia-smi either way.
     */
    private static final Map<Pattern, String> NVIDIA_ALIASES = Map.of(
            Pattern.compile("h100 (80gb )?hbm3|h100 sxm.*"), "h100-sxm",
            Pattern.compile("h100 pcie"), "h100-pcie",
            Pattern.compile("h200( nvl)?"), "h200",
            Pattern.compile("a100-sxm4-80gb|a100 80gb pcie"), "a100-80gb",
            Pattern.compile("a100-sxm4-40gb|a100-pcie-40gb"), "a100-40gb",
            Pattern.compile("v100-sxm2-(16|32)gb|v100-pcie-(16|32)gb"), "v100",
            Pattern.compile("rtx 6000 ada generation"), "rtx-6000-ada");

    private final Probe probe;
    private final List<Device> catalog;

    public LocalDetector(Probe probe, List<Device> catalog) {
        this.probe = probe;
        this.catalog = List.copyOf(catalog);
    }

    /** This machine, read through the real system probe and matched against the built-in catalog. */
    public static LocalDevice detectSystem() {
        return new LocalDetector(new SystemProbe(), DeviceCatalog.builtIn()).detect();
    }

    public LocalDevice detect() {
        List<String> detected = new ArrayList<>();
        List<String> assumed = new ArrayList<>();
        Optional<LocalDevice> gpu = probe.run(NvidiaSmi.COMMAND)
                .map(NvidiaSmi::parse)
                .filter(g -> !g.isEmpty())
                .map(g -> nvidia(g, detected, assumed));
        if (gpu.isPresent()) {
            return gpu.get();
        }
        if (probe.osName().contains("mac")) {
            Optional<Sysctl.Facts> facts = probe.run(Sysctl.COMMAND).map(Sysctl::parse);
            if (facts.isPresent()
                    && facts.get().appleSilicon()
                    && facts.get().memoryBytes().isPresent()) {
                return apple(facts.get(), detected, assumed);
            }
        }
        return cpu(detected, assumed);
    }

    private LocalDevice nvidia(List<NvidiaSmi.Gpu> gpus, List<String> detected, List<String> assumed) {
        for (NvidiaSmi.Gpu g : gpus) {
            detected.add(g.name() + ", " + Units.exact(g.memoryMiB()) + " MiB"
                    + g.freeMiB().map(f -> " (" + Units.exact(f) + " MiB free)").orElse("") + " (nvidia-smi"
                    + (g.driver().isEmpty() ? "" : ", driver " + g.driver()) + ")");
        }
        NvidiaSmi.Gpu first = gpus.getFirst();
        long same = gpus.stream()
                .filter(g -> g.name().equals(first.name()) && g.memoryMiB() == first.memoryMiB())
                .count();
        int n = same == gpus.size() ? gpus.size() : 1;
        if (n == 1 && gpus.size() > 1) {
            assumed.add("the GPUs differ: 'local' is the first one, " + first.name() + "; name the others with "
                    + "--devices");
        } else if (n > 1) {
            assumed.add("'local' is the " + n + " GPUs together, as a tensor-parallel split (like " + n + "x"
                    + matchNvidia(first).map(Device::id).orElse("gpu") + "): memory, bandwidth and throughput "
                    + "added up");
        }
        Optional<Device> match = matchNvidia(first);
        long memory = Math.multiplyExact(first.memoryBytes(), (long) n);
        String name = (n > 1 ? n + " x " : "") + first.name() + " (this machine)";
        Map<String, Double> flops = Map.of();
        double bandwidth = 0;
        if (match.isPresent()) {
            Device m = match.get();
            bandwidth = m.bandwidth() * n;
            flops = scaled(m.peakFlops(), n);
            assumed.add(
                    "bandwidth and peak throughput of catalog entry " + m.id() + " (" + m.name() + "): " + m.source());
            if (!m.notes().isEmpty()) {
                assumed.add(m.notes());
            }
        } else {
            assumed.add("'" + first.name() + "' is not in the catalog: memory bandwidth and throughput unknown, so "
                    + "speeds cannot be estimated (describe it with custom:mem=..,bw=..,bf16=..)");
        }
        DeviceCategory category = match.map(Device::category).orElse(DeviceCategory.CONSUMER_GPU);
        Device d = new Device(
                DeviceRegistry.LOCAL_ID,
                name,
                category,
                memory,
                memory,
                bandwidth,
                flops,
                Optional.empty(),
                summary(detected, assumed),
                "detected on this machine");
        return new LocalDevice(d, detected, assumed);
    }

    Optional<Device> matchNvidia(NvidiaSmi.Gpu g) {
        String n = g.name()
                .toLowerCase(Locale.ROOT)
                .replaceFirst("^(nvidia |tesla )", "")
                .replaceFirst("^geforce ", "")
                .strip();
        for (Map.Entry<Pattern, String> a : NVIDIA_ALIASES.entrySet()) {
            if (a.getKey().matcher(n).matches()) {
                return byId(a.getValue());
            }
        }
        String id = n.replaceAll("\\s+", "-");
        long gib = Math.round(g.memoryMiB() / 1024.0);
        return byId(id + "-" + gib + "gb").or(() -> byId(id));
    }

    private LocalDevice apple(Sysctl.Facts f, List<String> detected, List<String> assumed) {
        String chip = f.chip().orElseThrow();
        long memory = f.memoryBytes().orElseThrow();
        detected.add(chip + ", " + Units.bytes(memory) + " unified memory"
                + f.cpus().map(c -> ", " + c + " CPUs").orElse("") + " (sysctl)");
        String id = chip.toLowerCase(Locale.ROOT)
                .replaceFirst("^apple ", "")
                .strip()
                .replaceAll("\\s+", "-");
        long gib = Math.round(memory / (double) (1L << 30));
        Optional<Device> match = byId(id + "-" + gib + "gb").or(() -> byId(id));
        // macOS lets the GPU wire about 2/3 of RAM up to 36 GB and 3/4 above (the catalog's convention)
        double fraction = gib <= 36 ? 0.6667 : 0.75;
        long usable = (long) Math.floor(memory * fraction);
        assumed.add("GPU working set " + (gib <= 36 ? "2/3" : "3/4") + " of unified memory (macOS's default "
                + "limit; iogpu.wired_limit_mb changes it): " + Units.bytes(usable));
        double bandwidth = 0;
        Map<String, Double> flops = Map.of();
        if (match.isPresent()) {
            bandwidth = match.get().bandwidth();
            flops = match.get().peakFlops();
            assumed.add("bandwidth and GPU throughput of catalog entry "
                    + match.get().id() + " (" + match.get().name() + "; the GPU core count is not in sysctl): "
                    + match.get().source());
        } else {
            assumed.add("'" + chip + "' is not in the catalog: memory bandwidth and throughput unknown");
        }
        Device d = new Device(
                DeviceRegistry.LOCAL_ID,
                chip + " " + Units.bytes(memory) + " (this machine)",
                DeviceCategory.APPLE_SILICON,
                memory,
                usable,
                bandwidth,
                flops,
                Optional.empty(),
                summary(detected, assumed),
                "detected on this machine");
        return new LocalDevice(d, detected, assumed);
    }

    private LocalDevice cpu(List<String> detected, List<String> assumed) {
        ProcInfo.Memory mem = probe.read("/proc/meminfo")
                .map(ProcInfo::memory)
                .orElse(new ProcInfo.Memory(Optional.empty(), Optional.empty()));
        ProcInfo.Cpu cpu = probe.read("/proc/cpuinfo").map(ProcInfo::cpu).orElse(new ProcInfo.Cpu(Optional.empty(), 0));
        long total;
        long available;
        if (mem.totalBytes().isPresent()) {
            total = mem.totalBytes().get();
            available = Math.min(total, mem.availableBytes().orElse(total));
            detected.add("RAM " + Units.bytes(total) + " total, "
                    + mem.availableBytes()
                            .map(Units::bytes)
                            .map(a -> a + " available")
                            .orElse("available not reported") + " (/proc/meminfo)");
        } else {
            java.lang.management.OperatingSystemMXBean os =
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getTotalMemorySize() > 0) {
                total = sun.getTotalMemorySize();
                available = Math.max(1, Math.min(total, sun.getFreeMemorySize()));
                detected.add("RAM " + Units.bytes(total) + " total, " + Units.bytes(available)
                        + " free (the JVM's view of physical memory)");
            } else {
                total = Runtime.getRuntime().maxMemory();
                available = total;
                assumed.add("physical memory not readable: the JVM's heap limit stands in");
            }
        }
        if (mem.availableBytes().isPresent()) {
            assumed.add("usable = available RAM now (MemAvailable), not the total: other programs keep the rest");
        }
        String model = cpu.model().orElse("CPU");
        detected.add(cpu.model().orElse("CPU model not reported")
                + (cpu.logicalCpus() > 0 ? ", " + cpu.logicalCpus() + " logical CPUs" : "") + " (/proc/cpuinfo)");
        Optional<Device> match = matchCpu(model);
        double bandwidth = 0;
        Map<String, Double> flops = Map.of();
        if (match.isPresent()) {
            bandwidth = match.get().bandwidth();
            flops = match.get().peakFlops();
            assumed.add("bandwidth and peak throughput of catalog entry "
                    + match.get().id() + " (" + match.get().name() + "): "
                    + match.get().source());
        } else {
            assumed.add("no GPU found (nvidia-smi absent or silent) and the CPU is not in the catalog: memory "
                    + "bandwidth and throughput unknown, so speeds cannot be estimated");
        }
        Device d = new Device(
                DeviceRegistry.LOCAL_ID,
                model + " (this machine)",
                DeviceCategory.CPU,
                total,
                Math.max(1, available),
                bandwidth,
                flops,
                Optional.empty(),
                summary(detected, assumed),
                "detected on this machine");
        return new LocalDevice(d, detected, assumed);
    }

    /** A catalog CPU whose model (its name up to the first parenthesis or comma) appears in the detected name. */
    Optional<Device> matchCpu(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return catalog.stream()
                .filter(d -> d.category() == DeviceCategory.CPU)
                .filter(d -> {
                    String key = d.name().split("[(,]")[0].strip().toLowerCase(Locale.ROOT);
                    return key.chars().anyMatch(Character::isDigit) && m.contains(key);
                })
                .findFirst();
    }

    private Optional<Device> byId(String id) {
        return catalog.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    private static Map<String, Double> scaled(Map<String, Double> flops, int n) {
        Map<String, Double> out = new java.util.HashMap<>();
        flops.forEach((k, v) -> out.put(k, v * n));
        return out;
    }

    private static String summary(List<String> detected, List<String> assumed) {
        return "detected: " + String.join("; ", detected)
                + (assumed.isEmpty() ? "" : ". assumed: " + String.join("; ", assumed));
    }
}
