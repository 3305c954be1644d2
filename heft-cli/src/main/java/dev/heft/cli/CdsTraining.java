package dev.heft.cli;

import com.sun.net.httpserver.HttpServer;
import dev.heft.core.api.Heft;
import dev.heft.core.api.report.ReportJson;
import dev.heft.core.compress.LlamaFileType;
import dev.heft.core.compress.LlamaQuantPlanner;
import dev.heft.core.compress.ModelFacts;
import dev.heft.core.compress.QuantPlan;
import dev.heft.core.compress.TensorSpec;
import dev.heft.core.format.gguf.GgufValue;
import dev.heft.core.format.gguf.GgufValueType;
import dev.heft.core.format.gguf.GgufWriter;
import dev.heft.core.tensor.DType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run for the launcher's AOT cache (JDK 25 {@code -XX:AOTCacheOutput}, JEPs 483/514/515): the
 * {@code ./heft} launcher runs this once right after it builds the jar ({@code java -Dheft.aot.training=true -jar
 * heft.jar}: started the way every command is, see {@link #PROPERTY}), so the archive exists before the first real
 * command and even that one starts from it. The cache holds the classes a training command loaded and linked and the
 * lambda and string-concatenation call sites it resolved; whatever a real run reaches beyond them is loaded, linked
 * and spun from scratch (1-5 ms each, interpreted). So the training inputs are written to look like real checkpoints,
 * not minimal ones: a sharded mixture-of-experts safetensors checkpoint with its index and config.json (dense and MoE
 * blocks, norms, router, tied and untied heads, several dtypes), a K-quant GGUF with a BPE vocabulary and merges, and
 * the commands people run most (inspect as text, JSON and with {@code --tensors}; help; version; estimate, memory and
 * fit of a catalog model), all written to a temporary folder and thrown away; and inspect of the same files over HTTP
 * from a loopback server it starts, which loads the HTTP client's classes that {@code inspect hf://...} and
 * {@code inspect https://...} need (about a third of their CPU time when not cached). The server also plays the Hub
 * for the sharded checkpoint (tree listing, resolve answered with a 302 to a CDN path, then 206 range reads), so the
 * whole {@code hf://} path is trained: the listing, the index and config fetched together, the shard headers fetched
 * concurrently over kept-alive connections, the redirects.
 */
public final class CdsTraining {
    /** The system property that makes {@code java -jar heft.jar} run this training instead of a command. */
    static final String PROPERTY = "heft.aot.training";

    /** Shards of the training checkpoint. */
    private static final int SHARDS = 4;

    /** The repo the loopback server plays the Hub for: the sharded checkpoint. */
    static final String HUB_REPO = "train/moe";

    private CdsTraining() {}

    /** The runs, in order; each must exit 0 (CdsTrainingTest). */
    static List<String[]> runs(Path st, Path gguf, String base) {
        String s = st.toString();
        String g = gguf.toString();
        String firstShard = String.format("safetensors/model-%05d-of-%05d.safetensors", 1, SHARDS);
        return List.of(
                new String[] {"inspect", s},
                new String[] {"inspect", "--json", s},
                new String[] {"inspect", "--tensors", s},
                new String[] {"inspect", g},
                new String[] {"inspect", "--json", g},
                new String[] {"inspect", "--format", "md", s},
                new String[] {"inspect", "--json", base + firstShard},
                new String[] {"inspect", base + "tiny.gguf"},
                new String[] {"--help"},
                new String[] {"inspect", "--help"},
                new String[] {"--version"},
                new String[] {"estimate", "llama-3-8b"},
                new String[] {"memory", "llama-3-8b"},
                new String[] {"fit", "llama-3-8b"});
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("heft-cds-training");
        try {
            Path st = dir.resolve("safetensors");
            Files.createDirectories(st);
            writeShardedSafetensors(st);
            Path gguf = dir.resolve("tiny.gguf");
            writeGguf(gguf);
            PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
            HttpServer server = serve(dir);
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            try {
                for (String[] run : runs(st, gguf, base)) {
                    run(run, sink);
                }
                inspectFromHub(base, dir);
            } finally {
                server.stop(0);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void run(String[] run, PrintWriter sink) {
        var cl = HeftCli.newCommandLine(run);
        cl.setOut(sink);
        cl.setErr(sink);
        int code = cl.execute(run);
        if (code != 0) {
            // The archive would still work, only with fewer classes; say so rather than fail the build.
            System.err.println("heft: CDS training run '" + String.join(" ", run) + "' exited " + code);
        }
    }

    /**
     * {@code inspect --json hf://train/moe} through the library (the CLI reads HF_ENDPOINT from the process environment,
     * which a running JVM cannot change); the command-line classes around it are trained by the runs above.
     */
    private static void inspectFromHub(String base, Path dir) {
        String endpoint = base.substring(0, base.length() - 1);
        Map<String, String> env = Map.of(
                "HF_ENDPOINT", endpoint,
                "HF_HOME", dir.resolve("hf-home").toString(),
                "HEFT_CACHE_DIR", dir.resolve("heft-cache").toString());
        try {
            Heft heft = Heft.builder().environment(env, dir).build();
            ReportJson.write(heft.open("hf://" + HUB_REPO).inspect());
        } catch (RuntimeException e) {
            System.err.println(
                    "heft: CDS training run 'inspect hf://" + HUB_REPO + "' exited 1 (" + e.getMessage() + ")");
        }
    }

    /**
     * Serves {@code dir}'s files on loopback, answering {@code Range: bytes=a-b} with 206 as a Hub CDN does, and plays
     * the Hub for {@link #HUB_REPO} (the sharded checkpoint): {@code /api/models/train/moe/tree/main} lists it,
     * {@code /train/moe/resolve/main/FILE} answers small files whole and redirects weight files (302) to their path.
     */
    private static HttpServer serve(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        Path repo = dir.resolve("safetensors");
        server.createContext("/api/models/" + HUB_REPO + "/tree/main", ex -> {
            try (ex) {
                byte[] listing = treeListing(repo).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, listing.length);
                ex.getResponseBody().write(listing);
            }
        });
        server.createContext("/" + HUB_REPO + "/resolve/main/", ex -> {
            try (ex) {
                String name = ex.getRequestURI().getPath().substring(("/" + HUB_REPO + "/resolve/main/").length());
                Path file = repo.resolve(name).normalize();
                ex.getResponseHeaders().add("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567");
                if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
                    ex.sendResponseHeaders(404, -1);
                } else if (name.endsWith(".safetensors")) {
                    ex.getResponseHeaders().add("Location", "/safetensors/" + name);
                    ex.sendResponseHeaders(302, -1);
                } else {
                    byte[] bytes = Files.readAllBytes(file);
                    ex.sendResponseHeaders(200, bytes.length);
                    ex.getResponseBody().write(bytes);
                }
            }
        });
        server.createContext("/", ex -> {
            try (ex) {
                Path file =
                        dir.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
                Matcher m = RANGE.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
                if (!file.startsWith(dir) || !Files.isRegularFile(file) || !m.matches()) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] bytes = Files.readAllBytes(file);
                int from = Integer.parseInt(m.group(1));
                int to = Math.min(bytes.length - 1, Integer.parseInt(m.group(2)));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + bytes.length);
                ex.sendResponseHeaders(206, to - from + 1);
                ex.getResponseBody().write(bytes, from, to - from + 1);
            }
        });
        server.start();
        return server;
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    /** The tree API's answer for a folder ({@code hf_api.list_repo_tree}): weight files with their LFS size and oid. */
    private static String treeListing(Path repo) throws IOException {
        StringBuilder sb = new StringBuilder("[");
        try (Stream<Path> files = Files.list(repo)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                long size = Files.size(f);
                String oid = String.format("%040x", name.hashCode() & 0xffffffffL);
                sb.append(sb.length() > 1 ? "," : "")
                        .append("{\"type\":\"file\",\"oid\":\"")
                        .append(oid)
                        .append("\",\"size\":")
                        .append(size)
                        .append(",\"path\":\"")
                        .append(name)
                        .append('"');
                if (name.endsWith(".safetensors")) {
                    sb.append(",\"lfs\":{\"oid\":\"")
                            .append(String.format("%064x", name.hashCode() & 0xffffffffL))
                            .append("\",\"size\":")
                            .append(size)
                            .append('}');
                }
                sb.append('}');
            }
        }
        return sb.append(']').toString();
    }

    /**
     * A Mixtral-shaped checkpoint in {@value #SHARDS} bf16 shards (F32 norms) with its index and config.json: 6
     * blocks, the first two dense, the rest with 8 experts and a router; hidden size 8, so the files stay small.
     */
    private static void writeShardedSafetensors(Path dir) throws IOException {
        int hidden = 8;
        int layers = 6;
        List<String[]> tensors = new ArrayList<>(); // name, dtype, rows (0: a vector)
        tensors.add(new String[] {"model.embed_tokens.weight", "BF16", "64"});
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            tensors.add(new String[] {p + "input_layernorm.weight", "F32", "0"});
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
                tensors.add(new String[] {p + "self_attn." + proj + ".weight", "BF16", "8"});
            }
            tensors.add(new String[] {p + "post_attention_layernorm.weight", "F32", "0"});
            if (l < 2) {
                for (String proj : List.of("gate_proj", "up_proj", "down_proj")) {
                    tensors.add(new String[] {p + "mlp." + proj + ".weight", "BF16", "16"});
                }
                continue;
            }
            tensors.add(new String[] {p + "block_sparse_moe.gate.weight", "BF16", "8"});
            for (int e = 0; e < 8; e++) {
                for (String w : List.of("w1", "w2", "w3")) {
                    tensors.add(new String[] {p + "block_sparse_moe.experts." + e + "." + w + ".weight", "BF16", "16"});
                }
            }
        }
        tensors.add(new String[] {"model.norm.weight", "F32", "0"});
        tensors.add(new String[] {"lm_head.weight", "BF16", "64"});
        StringBuilder weightMap = new StringBuilder();
        long total = 0;
        int perShard = (tensors.size() + SHARDS - 1) / SHARDS;
        for (int s = 0; s < SHARDS; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, SHARDS);
            List<String[]> shard = tensors.subList(s * perShard, Math.min(tensors.size(), (s + 1) * perShard));
            StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
            long offset = 0;
            for (String[] t : shard) {
                long rows = Long.parseLong(t[2]);
                String shape = rows == 0 ? "[" + hidden + "]" : "[" + rows + "," + hidden + "]";
                long bytes = Math.max(1, rows) * hidden * (t[1].equals("F32") ? 4 : 2);
                header.append(",\"")
                        .append(t[0])
                        .append("\":{\"dtype\":\"")
                        .append(t[1])
                        .append("\",\"shape\":")
                        .append(shape)
                        .append(",\"data_offsets\":[")
                        .append(offset)
                        .append(',')
                        .append(offset + bytes)
                        .append("]}");
                offset += bytes;
                weightMap
                        .append(weightMap.isEmpty() ? "" : ",\n    ")
                        .append('"')
                        .append(t[0])
                        .append("\": \"")
                        .append(file)
                        .append('"');
            }
            total += offset;
            byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + json.length + offset))
                    .order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(json.length).put(json);
            Files.write(dir.resolve(file), out.array());
        }
        Files.writeString(
                dir.resolve("model.safetensors.index.json"),
                "{\n  \"metadata\": {\n    \"total_size\": " + total + "\n  },\n  \"weight_map\": {\n    " + weightMap
                        + "\n  }\n}\n");
        Files.writeString(
                dir.resolve("config.json"),
                "{\"architectures\":[\"MixtralForCausalLM\"],\"model_type\":"
                        + "\"mixtral\",\"hidden_size\":8,\"num_hidden_layers\":6,\"num_attention_heads\":2,"
                        + "\"num_key_value_heads\":1,\"intermediate_size\":16,\"vocab_size\":64,\"rms_norm_eps\":1e-05,"
                        + "\"num_local_experts\":8,\"num_experts_per_tok\":2,\"tie_word_embeddings\":false,"
                        + "\"torch_dtype\":\"bfloat16\"}");
    }

    /**
     * A llama-shaped Q4_K_M GGUF with a BPE vocabulary and merges, each tensor of the type llama-quantize's rules give
     * it (heft's own replay of them, {@link LlamaQuantPlanner}): so inspect takes the path of a real Q4_K_M file,
     * whose types all match the rules, and not the "other types than the rules" note that a hand-picked mix gets.
     */
    private static void writeGguf(Path file) throws IOException {
        int layers = 4;
        int hidden = 256;
        int vocab = 2000;
        List<GgufValue> tokens = new ArrayList<>();
        List<GgufValue> merges = new ArrayList<>();
        for (int i = 0; i < vocab; i++) {
            tokens.add(new GgufValue.Str("tok" + i));
            merges.add(new GgufValue.Str("t" + i + " ok" + i));
        }
        LinkedHashMap<String, long[]> tensors = new LinkedHashMap<>(); // name -> ggml dims (innermost first)
        tensors.put("token_embd.weight", new long[] {hidden, vocab});
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            tensors.put(p + "attn_norm.weight", new long[] {hidden});
            for (String t : List.of("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")) {
                tensors.put(p + t + ".weight", new long[] {hidden, hidden});
            }
            tensors.put(p + "ffn_norm.weight", new long[] {hidden});
        }
        tensors.put("output_norm.weight", new long[] {hidden});
        tensors.put("output.weight", new long[] {hidden, vocab});
        List<TensorSpec> specs = new ArrayList<>();
        tensors.forEach((name, dims) -> specs.add(new TensorSpec(name, outermostFirst(dims), DType.F32)));
        QuantPlan plan = LlamaQuantPlanner.plan(specs, ModelFacts.of("llama", layers, 2, 1, 0), LlamaFileType.Q4_K_M);
        GgufWriter w = new GgufWriter()
                .put("general.architecture", new GgufValue.Str("llama"))
                .put("general.name", new GgufValue.Str("training"))
                .put("general.file_type", new GgufValue.Int(GgufValueType.UINT32, LlamaFileType.Q4_K_M.id()))
                .put("llama.block_count", new GgufValue.Int(GgufValueType.UINT32, layers))
                .put("llama.context_length", new GgufValue.Int(GgufValueType.UINT32, 4096))
                .put("llama.embedding_length", new GgufValue.Int(GgufValueType.UINT32, hidden))
                .put("llama.feed_forward_length", new GgufValue.Int(GgufValueType.UINT32, hidden))
                .put("llama.attention.head_count", new GgufValue.Int(GgufValueType.UINT32, 2))
                .put("llama.attention.head_count_kv", new GgufValue.Int(GgufValueType.UINT32, 1))
                .put("tokenizer.ggml.model", new GgufValue.Str("gpt2"))
                .put("tokenizer.ggml.tokens", new GgufValue.Array(GgufValueType.STRING, tokens))
                .put("tokenizer.ggml.merges", new GgufValue.Array(GgufValueType.STRING, merges));
        for (var t : tensors.entrySet()) {
            String encoding = plan.tensor(t.getKey()).orElseThrow().encoding();
            DType type = Stream.of(DType.values())
                    .filter(d -> d.displayName().equals(encoding))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no GGUF type " + encoding));
            w.tensor(t.getKey(), t.getValue(), type);
        }
        w.write(file);
    }

    private static long[] outermostFirst(long[] ggmlDims) {
        long[] shape = new long[ggmlDims.length];
        for (int i = 0; i < ggmlDims.length; i++) {
            shape[i] = ggmlDims[ggmlDims.length - 1 - i];
        }
        return shape;
    }
}
