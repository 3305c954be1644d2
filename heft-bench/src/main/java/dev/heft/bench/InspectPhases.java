package dev.heft.bench;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.api.Operation;
import dev.heft.core.api.Operations;
import dev.heft.core.api.ParamValues;
import dev.heft.core.api.Progress;
import dev.heft.core.api.render.Format;
import dev.heft.core.format.Formats;
import dev.heft.core.format.safetensors.SafetensorsReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where one {@code heft inspect} spends its time inside the JVM, phase by phase: the read alone (the reader the CLI
 * uses, no report), then what the CLI does (open the model, build the report and its view, render text, render JSON),
 * repeated so the first (cold: interpreted code, class initialisation) and later (warm) rounds can be compared.
 * Prints the calling thread's CPU time per phase (the work itself) and the process's (JIT compiler threads and GC
 * included), so the numbers mean something on a loaded machine.
 *
 * <pre>
 *   java [launcher flags] -cp heft-bench/target/heft-bench.jar dev.heft.bench.InspectPhases MODEL [ROUNDS]
 * </pre>
 */
public final class InspectPhases {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private InspectPhases() {}

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int r = 0; r < rounds; r++) {
            StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
            long[] mark = mark();
            int tensors = (Files.isDirectory(path)
                            ? SafetensorsReader.readDirectory(path)
                            : Formats.require(path).read(path))
                    .tensors()
                    .size();
            line.append(phase("read", mark));
            mark = mark();
            Model model = Heft.create().open(path.toString());
            line.append(phase("open", mark));
            mark = mark();
            Operation.Result result = Operations.INSPECT.run(
                    Heft.create(),
                    List.of(model),
                    ParamValues.of(Operations.INSPECT.params(), Map.of()),
                    Progress.NONE);
            line.append(phase("report", mark));
            mark = mark();
            int text = result.render(Format.TEXT).length();
            line.append(phase("text", mark));
            mark = mark();
            int json = result.render(Format.JSON).length();
            line.append(phase("json", mark));
            System.out.println(line + "  (" + tensors + " tensors, " + text + " + " + json + " chars)");
        }
    }

    private static long[] mark() {
        return new long[] {System.nanoTime(), THREADS.getCurrentThreadCpuTime(), OS.getProcessCpuTime()};
    }

    /** " name wall/thread-CPU/process-CPU ms" since {@code start}. */
    private static String phase(String name, long[] start) {
        long[] now = mark();
        return String.format(
                " %s %.1f/%.1f/%.1f",
                name, (now[0] - start[0]) / 1e6, (now[1] - start[1]) / 1e6, (now[2] - start[2]) / 1e6);
    }
}
