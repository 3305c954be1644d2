package dev.heft.bench;

import dev.heft.core.report.InspectReport;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-tensor cost of {@code heft inspect}'s report over a DeepSeek-V3 layout (45,395 tensors, the tensor list of
 * {@link SyntheticCheckpoints#deepseekV3}, held in memory so only classification and the report are timed): the
 * classifier, the block summary and the largest-tensor list. Two modes, because the CLI runs each once per process:
 * single-shot on a fresh fork with the launcher's one-shot flags (C1 only, OSR after 1,000 loop iterations), and steady
 * state.
 * Results are per tensor ({@link OperationsPerInvocation}).
 *
 * <pre>
 *   java -jar heft-bench/target/heft-bench.jar InspectReportBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InspectReportBenchmark {
    static final int TENSORS = 45_395;

    private TensorInventory inventory;

    @Setup(Level.Trial)
    public void setUp() {
        List<Tensor> tensors = new ArrayList<>(TENSORS);
        long offset = 0;
        for (SyntheticCheckpoints.Spec s : SyntheticCheckpoints.deepseekV3Specs()) {
            tensors.add(Tensor.weight(s.name(), s.shape(), DType.BF16, offset, s.bytes(), null));
            offset += s.bytes();
        }
        if (tensors.size() != TENSORS) {
            throw new IllegalStateException("DeepSeek-V3 layout has " + tensors.size() + " tensors");
        }
        inventory = new TensorInventory(ModelFormat.SAFETENSORS, List.of(), tensors, java.util.Map.of());
    }

    /** One cold pass in a fresh JVM with C1 only, as {@code ./heft inspect} runs it. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(
            value = 10,
            jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:Tier3BackEdgeThreshold=1000"})
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @OperationsPerInvocation(TENSORS)
    public InspectReport coldPerTensor() {
        return InspectReport.of(inventory);
    }

    /** Warm, fully compiled (as {@code heft serve} runs it). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(1)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    @OperationsPerInvocation(TENSORS)
    public InspectReport steadyPerTensor() {
        return InspectReport.of(inventory);
    }
}
