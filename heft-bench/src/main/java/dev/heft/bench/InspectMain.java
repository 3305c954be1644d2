package dev.heft.bench;

import dev.heft.core.format.Formats;
import dev.heft.core.format.safetensors.SafetensorsReader;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for {@code heft inspect} until the CLI lands: reads a file or folder the way the CLI's resolver will
 * (folder: the safetensors layout; file: detection by magic bytes) and prints one summary line, so the benchmark
 * times the whole process (JVM start, class loading, reading) and nothing else.
 */
public final class InspectMain {
    private InspectMain() {}

    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        boolean timing = Boolean.getBoolean("heft.bench.timing");
        // Process CPU (all threads: the reader's pool, the JIT, GC): on a loaded machine wall time mostly measures the
        // wait for a CPU. The MXBean is fetched before the clock starts so its own class loading is not counted.
        var os = timing
                ? (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                : null;
        long cpuStart = timing ? os.getProcessCpuTime() : 0;
        long start = System.nanoTime();
        TensorInventory inv = Files.isDirectory(path)
                ? SafetensorsReader.readDirectory(path)
                : Formats.require(path).read(path);
        System.out.println(inv.format() + " files=" + inv.files().size() + " tensors="
                + inv.tensors().size()
                + " parameters=" + inv.parameters() + " bytes=" + inv.tensorBytes()
                + " metadata=" + inv.metadata().size());
        if (timing) {
            // In-process read time, to split whole-process time into JVM start-up and reading.
            System.err.printf("read_ms=%.1f%n", (System.nanoTime() - start) / 1e6);
            System.err.printf("read_cpu_ms=%.1f%n", (os.getProcessCpuTime() - cpuStart) / 1e6);
        }
    }
}
