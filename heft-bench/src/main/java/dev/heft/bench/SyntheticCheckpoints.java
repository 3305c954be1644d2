package dev.heft.bench;

import dev.heft.core.json.JsonWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes large synthetic checkpoints for the inspect-speed benchmark: real header structure, SPARSE data. Each file
 * gets its true size through {@link RandomAccessFile#setLength}, so a 812 GB checkpoint costs a few MB of disk and a
 * reader that touches data (instead of only headers) shows up as page faults, not as a lucky cache.
 *
 * <pre>
 *   java -cp heft-bench/target/heft-bench.jar dev.heft.bench.SyntheticCheckpoints llama-405b OUT_DIR [SHARDS]
 *   java -cp heft-bench/target/heft-bench.jar dev.heft.bench.SyntheticCheckpoints gguf-150k OUT_FILE
 *   java -cp heft-bench/target/heft-bench.jar dev.heft.bench.SyntheticCheckpoints gguf-70b OUT_FILE
 *   java -cp heft-bench/target/heft-bench.jar dev.heft.bench.SyntheticCheckpoints deepseek-v3 OUT_DIR
 *   java -cp heft-bench/target/heft-bench.jar dev.heft.bench.SyntheticCheckpoints deepseek-v3-fp8 OUT_DIR
 * </pre>
 */
public final class SyntheticCheckpoints {
    private SyntheticCheckpoints() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: SyntheticCheckpoints llama-405b OUT_DIR [SHARDS] | deepseek-v3 OUT_DIR"
                    + " | deepseek-v3-fp8 OUT_DIR | gguf-150k|gguf-70b OUT_FILE");
            System.exit(2);
        }
        switch (args[0]) {
            case "llama-405b" -> llama405b(Path.of(args[1]), args.length == 3 ? Integer.parseInt(args[2]) : 191);
            case "gguf-70b" -> SyntheticGguf.write(Path.of(args[1]), SyntheticGguf.Layout.LLAMA31_70B);
            case "deepseek-v3" -> deepseekV3(Path.of(args[1]));
            case "deepseek-v3-fp8" -> DeepSeekV3Layout.write(Path.of(args[1]));
            case "gguf-150k" -> SyntheticGguf.write(Path.of(args[1]));
            default -> {
                System.err.println("unknown checkpoint " + args[0]);
                System.exit(2);
            }
        }
    }

    /** A tensor of the layout: name, safetensors dtype and its element size, shape (outermost first). */
    record Spec(String name, String dtype, int elementBytes, long... shape) {
        Spec(String name, long... shape) {
            this(name, "BF16", 2, shape);
        }

        long bytes() {
            long n = elementBytes;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /**
     * Llama 3.1 405B as meta-llama/Llama-3.1-405B's config.json describes it: 126 layers, hidden 16384, 128 heads of
     * 128, 8 KV heads, intermediate 53248, vocab 128256, untied head, bf16; 191 shards like the Hub checkpoint.
     */
    static void llama405b(Path dir, int shards) throws IOException {
        final int layers = 126;
        final long hidden = 16384;
        final long kv = 8 * 128;
        final long ffn = 53248;
        final long vocab = 128256;
        List<Spec> specs = new ArrayList<>();
        specs.add(new Spec("model.embed_tokens.weight", vocab, hidden));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            specs.add(new Spec(p + "input_layernorm.weight", hidden));
            specs.add(new Spec(p + "self_attn.q_proj.weight", hidden, hidden));
            specs.add(new Spec(p + "self_attn.k_proj.weight", kv, hidden));
            specs.add(new Spec(p + "self_attn.v_proj.weight", kv, hidden));
            specs.add(new Spec(p + "self_attn.o_proj.weight", hidden, hidden));
            specs.add(new Spec(p + "post_attention_layernorm.weight", hidden));
            specs.add(new Spec(p + "mlp.gate_proj.weight", ffn, hidden));
            specs.add(new Spec(p + "mlp.up_proj.weight", ffn, hidden));
            specs.add(new Spec(p + "mlp.down_proj.weight", hidden, ffn));
        }
        specs.add(new Spec("model.norm.weight", hidden));
        specs.add(new Spec("lm_head.weight", vocab, hidden));
        writeSharded(dir, specs, shards, "model-%05d-of-%05d.safetensors");
        Files.writeString(dir.resolve("config.json"), LLAMA_405B_CONFIG);
    }

    /**
     * DeepSeek-V3 as a bf16 checkpoint of deepseek-ai/DeepSeek-V3's config.json: 61 layers (the first 3 dense with
     * intermediate 18432, then 58 MoE layers of 256 routed experts of 2048 and one shared expert), hidden 7168, 128
     * heads, MLA (q_lora 1536, kv_lora 512, rope 64, nope 128, v 128), vocab 129280; no FP8 scales and no
     * multi-token-prediction layer (transformers builds none): 45,395 tensors in 163 shards.
     */
    static void deepseekV3(Path dir) throws IOException {
        List<Spec> specs = deepseekV3Specs();
        writeSharded(dir, specs, 163);
        Files.writeString(
                dir.resolve("config.json"),
                "{\"architectures\": [\"DeepseekV3ForCausalLM\"], " + "\"model_type\": \"deepseek_v3\"}\n");
    }

    /** The tensor list of {@link #deepseekV3}, also used in memory by the JMH benchmark. */
    static List<Spec> deepseekV3Specs() {
        final long hidden = 7168;
        final long heads = 128;
        List<Spec> specs = new ArrayList<>();
        specs.add(new Spec("model.embed_tokens.weight", 129280, hidden));
        for (int l = 0; l < 61; l++) {
            String p = "model.layers." + l + ".";
            specs.add(new Spec(p + "input_layernorm.weight", hidden));
            specs.add(new Spec(p + "self_attn.q_a_proj.weight", 1536, hidden));
            specs.add(new Spec(p + "self_attn.q_a_layernorm.weight", 1536));
            specs.add(new Spec(p + "self_attn.q_b_proj.weight", heads * 192, 1536));
            specs.add(new Spec(p + "self_attn.kv_a_proj_with_mqa.weight", 576, hidden));
            specs.add(new Spec(p + "self_attn.kv_a_layernorm.weight", 512));
            specs.add(new Spec(p + "self_attn.kv_b_proj.weight", heads * 256, 512));
            specs.add(new Spec(p + "self_attn.o_proj.weight", hidden, heads * 128));
            specs.add(new Spec(p + "post_attention_layernorm.weight", hidden));
            if (l < 3) {
                specs.add(new Spec(p + "mlp.gate_proj.weight", 18432, hidden));
                specs.add(new Spec(p + "mlp.up_proj.weight", 18432, hidden));
                specs.add(new Spec(p + "mlp.down_proj.weight", hidden, 18432));
                continue;
            }
            specs.add(new Spec(p + "mlp.gate.weight", 256, hidden));
            specs.add(new Spec(p + "mlp.gate.e_score_correction_bias", 256));
            for (int e = 0; e < 256; e++) {
                String x = p + "mlp.experts." + e + ".";
                specs.add(new Spec(x + "gate_proj.weight", 2048, hidden));
                specs.add(new Spec(x + "up_proj.weight", 2048, hidden));
                specs.add(new Spec(x + "down_proj.weight", hidden, 2048));
            }
            specs.add(new Spec(p + "mlp.shared_experts.gate_proj.weight", 2048, hidden));
            specs.add(new Spec(p + "mlp.shared_experts.up_proj.weight", 2048, hidden));
            specs.add(new Spec(p + "mlp.shared_experts.down_proj.weight", hidden, 2048));
        }
        specs.add(new Spec("model.norm.weight", hidden));
        specs.add(new Spec("lm_head.weight", 129280, hidden));
        return specs;
    }

    /** Splits in order into exactly {@code shards} files named as transformers names shards. */
    static void writeSharded(Path dir, List<Spec> specs, int shards) throws IOException {
        writeSharded(dir, specs, shards, "model-%05d-of-%05d.safetensors");
    }

    /**
     * Splits in order into exactly {@code shards} files of about equal size (each tensor whole, as transformers does),
     * named by {@code nameFormat} (part number, part count).
     */
    static void writeSharded(Path dir, List<Spec> specs, int shards, String nameFormat) throws IOException {
        Files.createDirectories(dir);
        long total = 0;
        for (Spec s : specs) {
            total = Math.addExact(total, s.bytes());
        }
        List<List<Spec>> groups = new ArrayList<>();
        long start = 0;
        for (Spec s : specs) {
            // The shard whose equal-width slice of the byte range this tensor starts in (start * 191 < 2^63).
            int k = (int) Math.min(shards - 1, Math.multiplyExact(start, (long) shards) / total);
            while (groups.size() <= k) {
                groups.add(new ArrayList<>());
            }
            groups.get(k).add(s);
            start += s.bytes();
        }
        groups.removeIf(List::isEmpty);
        if (groups.size() != shards) {
            throw new IllegalStateException("layout split into " + groups.size() + " shards, wanted " + shards);
        }
        Map<String, Object> weightMap = new TreeMap<>();
        for (int i = 0; i < groups.size(); i++) {
            String name = String.format(nameFormat, i + 1, groups.size());
            writeSparseSafetensors(dir.resolve(name), groups.get(i));
            for (Spec s : groups.get(i)) {
                weightMap.put(s.name(), name);
            }
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("metadata", Map.of("total_size", total));
        index.put("weight_map", weightMap);
        Files.writeString(dir.resolve("model.safetensors.index.json"), JsonWriter.write(index) + "\n");
    }

    /**
     * u64 N, the header (tensors in the reference serializer's data order: larger element types first, then by name,
     * as safetensors' {@code prepare} sorts them), space padding.
     */
    static void writeSparseSafetensors(Path file, List<Spec> specs) throws IOException {
        List<Spec> sorted = new ArrayList<>(specs);
        sorted.sort(
                java.util.Comparator.comparingInt(Spec::elementBytes).reversed().thenComparing(Spec::name));
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (Spec s : sorted) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", s.dtype());
            entry.put("shape", s.shape());
            entry.put("data_offsets", List.of(offset, offset + s.bytes()));
            header.put(s.name(), entry);
            offset += s.bytes();
        }
        byte[] json = JsonWriter.writeCompact(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0);
            byte[] prefix = new byte[8];
            for (int i = 0; i < 8; i++) {
                prefix[i] = (byte) ((long) padded >>> (8 * i)); // u64 little-endian
            }
            raf.write(prefix);
            raf.write(json);
            raf.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            raf.setLength(8L + padded + offset); // sparse: the data section is never written
        }
    }

    private static final String LLAMA_405B_CONFIG = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "hidden_act": "silu",
              "hidden_size": 16384,
              "initializer_range": 0.02,
              "intermediate_size": 53248,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 128,
              "num_hidden_layers": 126,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                               "original_max_position_embeddings": 8192, "rope_type": "llama3"},
              "rope_theta": 500000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "use_cache": true,
              "vocab_size": 128256
            }
            """;
}
