package dev.heft.bench;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.api.Operation;
import dev.heft.core.api.Operations;
import dev.heft.core.api.ParamValues;
import dev.heft.core.api.Progress;
import dev.heft.core.api.render.Format;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-tensor cost of everything {@code heft inspect} does in-process on the DeepSeek-V3 layout (45,395 tensors, 163
 * sparse bf16 shards and the index, written by {@code SyntheticCheckpoints deepseek-v3}): open the model (index, the
 * 163 headers, config.json), build the report (classifier, block summary, largest tensors) and render it as text, as
 * {@link InspectPhases} times phase by phase. The JVM start is not in it; {@link InspectReportBenchmark} times the
 * report alone. Single-shot in fresh forks with the launcher's one-shot flags (the cold path a command takes), and
 * steady state. Run from the repository root:
 *
 * <pre>
 *   java -jar heft-bench/target/heft-bench.jar InspectBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InspectBenchmark {
    /** The checkpoint; its tensor count must be {@link InspectReportBenchmark#TENSORS}. */
    @Param("bench-out/deepseek-v3")
    public String model;

    /** One cold pass in a fresh JVM with the {@code ./heft} launcher's flags for one-shot commands. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(
            value = 10,
            jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:Tier3BackEdgeThreshold=1000"})
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @OperationsPerInvocation(InspectReportBenchmark.TENSORS)
    public String coldPerTensor() {
        return inspect(model);
    }

    /** Warm, fully compiled (as {@code heft serve} runs it). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(1)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    @OperationsPerInvocation(InspectReportBenchmark.TENSORS)
    public String steadyPerTensor() {
        return inspect(model);
    }

    /** What the CLI's inspect runs for {@code path}: open, report, text. */
    static String inspect(String path) {
        Heft heft = Heft.create();
        Model m = heft.open(path);
        Operation.Result result = Operations.INSPECT.run(
                heft, List.of(m), ParamValues.of(Operations.INSPECT.params(), Map.of()), Progress.NONE);
        String text = result.render(Format.TEXT);
        if (!text.contains("45,395") && !text.contains("45395")) {
            throw new IllegalStateException(path + " is not the 45,395-tensor DeepSeek-V3 layout:\n" + text);
        }
        return text;
    }
}
