package dev.heft.bench;

import dev.heft.core.format.gguf.GgufFile;
import dev.heft.core.format.gguf.GgufReader;
import dev.heft.core.format.gguf.GgufValue;
import dev.heft.core.format.gguf.GgufValueType;
import dev.heft.core.format.gguf.GgufWriter;
import dev.heft.core.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Header-only read of a GGUF whose vocabulary has 150,000 tokens (a Qwen-sized tokenizer: tokens, scores, token
 * types and merges, as llama.cpp's converter writes them), plus a few tensors. The reader must walk and validate every
 * string without building a 150k-element list, so this should take milliseconds. Reported as reads per second, and
 * (the {@code headerBytes} counter) header bytes parsed per second.
 *
 * <p>Run: {@code ./build package -DskipTests && java -jar heft-bench/target/heft-bench.jar GgufReadBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GgufReadBenchmark {
    static final int VOCAB = 150_000;

    private Path file;
    private long headerBytes;

    /** Counts header bytes parsed, so JMH also reports a throughput in bytes per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long headerBytes;
    }

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        file = Files.createTempFile("heft-bench-vocab", ".gguf");
        Files.write(file, vocabularyModel(VOCAB).toBytes());
        headerBytes = GgufReader.readFile(file).dataOffset();
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public GgufFile readHeader(Bytes counter) throws IOException {
        GgufFile f = GgufReader.readFile(file);
        counter.headerBytes += headerBytes;
        return f;
    }

    /** A model with a {@code vocab}-token BPE vocabulary and a handful of tensors. */
    static GgufWriter vocabularyModel(int vocab) {
        List<String> tokens = new ArrayList<>(vocab);
        List<String> merges = new ArrayList<>(vocab);
        float[] scores = new float[vocab];
        long[] types = new long[vocab];
        for (int i = 0; i < vocab; i++) {
            // byte-level BPE tokens are mostly short ASCII with some multi-byte characters ("Ġ" is U+0120)
            tokens.add((i % 3 == 0 ? "\u0120" : "") + "tok" + Integer.toString(i, 36));
            merges.add("t" + Integer.toString(i, 36) + " " + Integer.toString(i % 977, 36));
            scores[i] = -i;
            types[i] = 1;
        }
        return new GgufWriter()
                .put("general.architecture", GgufValue.string("qwen2"))
                .put("qwen2.block_count", GgufValue.u32(1))
                .put("tokenizer.ggml.model", GgufValue.string("gpt2"))
                .put("tokenizer.ggml.tokens", GgufValue.strings(tokens))
                .put("tokenizer.ggml.scores", GgufValue.floats(scores))
                .put("tokenizer.ggml.token_type", GgufValue.ints(GgufValueType.INT32, types))
                .put("tokenizer.ggml.merges", GgufValue.strings(merges))
                .tensor("token_embd.weight", new long[] {64, 256}, DType.Q8_0)
                .tensor("output_norm.weight", new long[] {64}, DType.F32);
    }
}
