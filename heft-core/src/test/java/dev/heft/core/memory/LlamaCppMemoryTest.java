package dev.heft.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.DType;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * heft's llama.cpp memory model against llama.cpp's own accounting: llama-cpp-memory.json was written by
 * scripts/llamacpp-memory/run_grid.py, which creates contexts with llama.cpp v0.4.0 (commit 80fb11ac) on the CPU
 * backend and records {@code llama_get_memory_breakdown} bytes and llama.cpp's log lines, for real models' shapes and
 * the GGUF fixture, over context sizes, micro-batches, flash attention on/off, K/V cache types and parallel sequences.
 * KV cache and output buffer: exact. Compute buffer: within 4%.
 */
class LlamaCppMemoryTest {
    private static final Pattern ARG = Pattern.compile("--([a-z-]+) (\\S+)");
    private static final Pattern OUTPUT_LINE = Pattern.compile("output buffer size =\\s+([0-9.]+) MiB");

    static JsonObject groundTruth() throws IOException {
        try (InputStream in = LlamaCppMemoryTest.class.getResourceAsStream("/dev/heft/llamacpp/llamacpp-memory.json")) {
            Path tmp = Files.createTempFile("llamacpp", ".json");
            Files.write(tmp, in.readAllBytes());
            try {
                return SharedFixtures.json(tmp);
            } finally {
                Files.delete(tmp);
            }
        }
    }

    /** The model shape from make_shape_gguf.py's arguments (ggml names), as llama.cpp's loader reads them. */
    static TransformerShape shape(String args) {
        Map<String, String> a = new HashMap<>();
        if (args.endsWith(".gguf")) {
            // ../shared/fixtures/gguf/README.md: tiny-llama
            args = "--vocab 512 --embd 256 --layers 3 --heads 8 --kv-heads 4 --ff 512 --ctx 512";
        }
        Matcher m = ARG.matcher(args);
        while (m.find()) {
            a.put(m.group(1), m.group(2));
        }
        long embd = Long.parseLong(a.get("embd"));
        long heads = Long.parseLong(a.get("heads"));
        long headDim = a.containsKey("head-dim") ? Long.parseLong(a.get("head-dim")) : embd / heads;
        int layers = Integer.parseInt(a.get("layers"));
        long ff = Long.parseLong(a.get("ff"));
        List<AttentionLayer> attention = new ArrayList<>();
        for (int il = 0; il < layers; il++) {
            // gemma2: llama_hparams::set_swa_pattern(2) makes the even layers sliding-window
            attention.add(
                    a.containsKey("swa") && il % 2 == 0
                            ? AttentionLayer.sliding(Long.parseLong(a.get("swa")))
                            : AttentionLayer.FULL);
        }
        Optional<TransformerShape.Moe> moe = a.containsKey("experts")
                ? Optional.of(new TransformerShape.Moe(
                        Long.parseLong(a.get("experts")),
                        Long.parseLong(a.get("experts-used")),
                        0,
                        ff,
                        IntStream.range(0, layers).boxed().toList()))
                : Optional.empty();
        return new TransformerShape(
                layers,
                embd,
                heads,
                Long.parseLong(a.get("kv-heads")),
                headDim,
                headDim,
                Long.parseLong(a.get("vocab")),
                ff,
                Long.parseLong(a.getOrDefault("ctx", "512")),
                attention,
                moe,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0);
    }

    static LlamaCppSettings settings(JsonObject c) {
        return new LlamaCppSettings(
                c.getLong("n_batch", -1),
                c.getLong("n_ubatch", -1),
                c.getBoolean("flash_attn", false),
                LlamaCppSettings.parseCacheType(c.getString("type_k", "")),
                LlamaCppSettings.parseCacheType(c.getString("type_v", "")),
                true,
                c.getLong("n_seq_max", -1));
    }

    static long cpu(JsonObject c, String field) {
        for (JsonValue b : c.getObject("breakdown")
                .orElseThrow()
                .getArray("buffers")
                .orElseThrow()
                .elements()) {
            JsonObject o = b.asObject("buffer");
            if (o.getString("buffer_type", "").equals("CPU")) {
                return o.getLong(field, -1);
            }
        }
        throw new AssertionError("no CPU buffer");
    }

    @Test
    void kvCacheAndOutputBufferExactComputeBufferWithinFourPercent() throws IOException {
        JsonObject gt = groundTruth();
        assertThat(gt.getString("llama_cpp_commit", "")).startsWith("80fb11ac");
        int checked = 0;
        double worst = 0;
        for (JsonValue v : gt.getArray("cases").orElseThrow().elements()) {
            JsonObject c = v.asObject("case");
            if (c.getObject("breakdown").isEmpty()) {
                continue;
            }
            TransformerShape s = shape(c.getString("shape", ""));
            LlamaCppSettings st = settings(c);
            long nCtx = c.getLong("n_ctx", -1);
            String label = c.getString("model", "") + " " + c;
            LlamaCppMemory.Kv kv = LlamaCppMemory.kv(s, nCtx, st);
            assertThat(kv.bytes()).as("KV %s", label).isEqualTo(cpu(c, "context"));
            long cells = LlamaCppMemory.cellsPerSequence(nCtx, st.nSeqMax()) * st.nSeqMax();
            assertThat(cells)
                    .as("n_ctx %s", label)
                    .isEqualTo(c.getObject("breakdown").orElseThrow().getLong("n_ctx", -1));
            long measured = cpu(c, "compute");
            long modelled = LlamaCppMemory.compute(s, nCtx, st).bytes();
            assertThat((double) modelled).as("compute %s", label).isCloseTo(measured, within(0.04 * measured));
            worst = Math.max(worst, Math.abs(modelled - measured) / (double) measured);
            for (JsonValue line : c.getArray("log").orElseThrow().elements()) {
                Matcher m = OUTPUT_LINE.matcher(((JsonValue.JsonString) line).value());
                if (m.find()) {
                    double mib = LlamaCppMemory.outputBuffer(s, st) / 1048576.0;
                    assertThat(mib)
                            .as("output buffer %s", label)
                            .isCloseTo(Double.parseDouble(m.group(1)), within(0.006));
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(80);
        assertThat(worst).isLessThan(0.04);
    }

    @Test
    void issueFourteenLlama31At128kNeedsWeightsPlusSixteenGibKvPlusUnderOneGibCompute() {
        // Llama-3.1-8B: 32 layers, 8 KV heads x 128, f16 cache: 131072 cells x 32 x 2 x 1024 x 2 B = 16 GiB.
        TransformerShape s = shape("--vocab 128256 --embd 4096 --layers 32 --heads 32 --kv-heads 8 --ff 14336");
        RuntimeMemory r =
                LlamaCppMemory.estimate(s, 4_920_000_000L, "q4_k_m", 131072, LlamaCppSettings.defaults(), true);
        assertThat(r.estimate().bytes(MemoryPart.Component.KV_CACHE)).isEqualTo(16L << 30);
        assertThat(r.estimate().bytes(MemoryPart.Component.ACTIVATIONS)).isLessThan(1L << 30);
        assertThat(r.hostBytes()).isEqualTo(128256L * 4); // one sequence's logits in host memory
        assertThat(r.estimate().assumptions()).anyMatch(a -> a.contains("llama-kv-cache.cpp"));
    }

    @Test
    void cellsArePaddedTo256AndSharedBetweenSequences() {
        assertThat(LlamaCppMemory.cellsPerSequence(5000, 1)).isEqualTo(5120);
        assertThat(LlamaCppMemory.cellsPerSequence(8192, 4)).isEqualTo(2048);
        assertThat(LlamaCppMemory.cellsPerSequence(1000, 3)).isEqualTo(512); // pad(1024 / 3 = 341, 256)
        assertThat(LlamaCppMemory.slidingCells(8192, 4096, 512)).isEqualTo(4608);
        assertThat(LlamaCppMemory.slidingCells(4096, 4096, 512)).isEqualTo(4096);
    }

    @Test
    void quantizedVCacheWithoutFlashAttentionIsRefusedAsLlamaCppDoes() {
        assertThatThrownBy(() -> new LlamaCppSettings(2048, 512, false, DType.F16, DType.Q8_0, true, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("flash attention");
        assertThatThrownBy(() -> LlamaCppSettings.parseCacheType("q2_k")).isInstanceOf(InvalidInputException.class);
        assertThat(LlamaCppSettings.parseCacheType("IQ4_NL")).isEqualTo(DType.IQ4_NL);
    }

    @Test
    void noKvOffloadMovesTheCacheToHostMemory() {
        TransformerShape s = shape("--vocab 32000 --embd 4096 --layers 32 --heads 32 --kv-heads 8 --ff 11008");
        LlamaCppSettings on = LlamaCppSettings.defaults();
        LlamaCppSettings off = new LlamaCppSettings(2048, 512, true, DType.F16, DType.F16, false, 1);
        RuntimeMemory a = LlamaCppMemory.estimate(s, 1L << 32, "w", 8192, on, true);
        RuntimeMemory b = LlamaCppMemory.estimate(s, 1L << 32, "w", 8192, off, true);
        long kv = a.estimate().bytes(MemoryPart.Component.KV_CACHE);
        assertThat(kv).isEqualTo(32L * 8192 * 2 * 1024 * 2);
        assertThat(a.deviceBytes() - b.deviceBytes()).isEqualTo(kv);
        assertThat(b.hostBytes() - a.hostBytes()).isEqualTo(kv);
    }
}
