package dev.heft.bench;

import dev.heft.core.quant.QuantErrorScanner;
import dev.heft.core.quant.QuantScheme;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread's quantize -> dequantize -> error throughput per scheme on 4 MiB of N(0, 0.02) F32 weights (rows of
 * 4096). The {@code bytes} counter reports F32 input bytes per second, so the result reads as GB/s directly.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar heft-bench/target/heft-bench.jar QuantBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class QuantBenchmark {
    @Param({"q8_0", "q4_0", "q4_k", "q6_k", "q2_k", "iq4_nl", "int8-channel", "int4-g128", "nf4", "fp8-e4m3"})
    public String scheme;

    private float[] x;
    private QuantScheme parsed;

    /** JMH reports this field's rate: F32 input bytes per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1234);
        x = new float[1 << 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 0.02f;
        }
        parsed = QuantScheme.parse(scheme);
    }

    @Benchmark
    public double roundTripError(Bytes counter) {
        double rmse = QuantErrorScanner.measure(parsed, x, 4096).rmse();
        counter.bytes += 4L * x.length;
        return rmse;
    }
}
