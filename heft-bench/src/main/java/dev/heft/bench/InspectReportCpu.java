package dev.heft.bench;

import dev.heft.core.report.InspectReport;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cold-path cost per tensor of {@code heft inspect}'s report on the DeepSeek-V3 layout (45,395 tensors in memory),
 * as the thread's CPU time of the first {@link InspectReport#of} call in a fresh JVM: wall time on a shared 2-core
 * machine mostly measures the wait for a CPU, thread CPU time does not. Run it with the launcher's flags
 * ({@code -XX:TieredStopAtLevel=1 -XX:Tier3BackEdgeThreshold=1000 -XX:+UseSerialGC}); the JMH twin is
 * {@link InspectReportBenchmark}.
 * Prints {@code cold_ns_per_tensor=...} and, after 20 more calls, {@code warm_ns_per_tensor=...}.
 */
public final class InspectReportCpu {
    private InspectReportCpu() {}

    public static void main(String[] args) {
        List<Tensor> tensors = new ArrayList<>();
        long offset = 0;
        for (SyntheticCheckpoints.Spec s : SyntheticCheckpoints.deepseekV3Specs()) {
            tensors.add(Tensor.weight(s.name(), s.shape(), DType.BF16, offset, s.bytes(), null));
            offset += s.bytes();
        }
        TensorInventory inv = new TensorInventory(ModelFormat.SAFETENSORS, List.of(), tensors, Map.of());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        InspectReport r = InspectReport.of(inv);
        long cold = mx.getCurrentThreadCpuTime() - t0;
        for (int i = 0; i < 20; i++) {
            r = InspectReport.of(inv);
        }
        long t1 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < 5; i++) {
            r = InspectReport.of(inv);
        }
        long warm = (mx.getCurrentThreadCpuTime() - t1) / 5;
        System.out.printf(
                "tensors=%d blocks=%d cold_ns_per_tensor=%.0f warm_ns_per_tensor=%.0f%n",
                tensors.size(), r.blocks().size(), (double) cold / tensors.size(), (double) warm / tensors.size());
    }
}
