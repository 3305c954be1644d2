package dev.heft.bench;

import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfArchitectures;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.memory.KvCache;
import dev.heft.core.tensor.DType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The analytic path is arithmetic: how many (model, context) configurations heft estimates per second in-process.
 * One operation = count a catalog config from its JSON (every family's rules, by kind and by class), then FLOPs per
 * token and the KV cache at one context. Sweep: the first {@value #MODELS} LLM catalog entries x 20 contexts (a fixed
 * number, because JMH's operations per invocation is a compile-time constant: it was once written as the catalog's
 * size of the day, 83, and silently understated the rate once the catalog grew). Target (issue 4): over one million
 * configurations per second. Results: heft-bench/results/EstimateBenchmark.txt.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EstimateBenchmark {
    static final long[] CONTEXTS = {
        128, 256, 512, 1024, 2048, 3072, 4096, 6144, 8192, 12288, 16384, 24576, 32768, 49152, 65536, 98304, 131072,
        196608, 262144, 1048576
    };
    /** Catalog models in one invocation; the set-up fails if the catalog holds fewer. */
    static final int MODELS = 80;

    static final int CONFIGURATIONS = MODELS * 20;

    List<JsonObject> configs;
    List<HfArchitecture> counted;

    @Setup
    public void setUp() {
        List<CatalogEntry> all = LlmCatalog.all();
        if (all.size() < MODELS || CONTEXTS.length * MODELS != CONFIGURATIONS) {
            throw new IllegalStateException("the sweep needs " + MODELS + " catalog models and 20 contexts, has "
                    + all.size() + " and " + CONTEXTS.length);
        }
        configs = all.subList(0, MODELS).stream().map(CatalogEntry::config).toList();
        counted = configs.stream().map(HfArchitectures::count).toList();
    }

    /** Counting from JSON for every configuration (no caching of the architecture between contexts). */
    @Benchmark
    @OperationsPerInvocation(CONFIGURATIONS)
    public void countAndFlopsFromConfig(Blackhole bh) {
        for (JsonObject c : configs) {
            for (long ctx : CONTEXTS) {
                HfArchitecture a = HfArchitectures.count(c);
                bh.consume(a.counts().parameters());
                bh.consume(a.shape().flopsPerToken(ctx).total());
            }
        }
    }

    /** Context sweep over already-counted architectures: FLOPs per token and the KV cache at each context. */
    @Benchmark
    @OperationsPerInvocation(CONFIGURATIONS)
    public void contextSweep(Blackhole bh) {
        for (HfArchitecture a : counted) {
            for (long ctx : CONTEXTS) {
                bh.consume(a.shape().flopsPerToken(ctx).total());
                bh.consume(KvCache.of(a.shape(), 1, ctx, DType.BF16, ctx).bytes());
            }
        }
    }
}
