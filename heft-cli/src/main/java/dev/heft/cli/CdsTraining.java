package dev.heft.cli;

import dev.heft.core.format.gguf.GgufValue;
import dev.heft.core.format.gguf.GgufValueType;
import dev.heft.core.format.gguf.GgufWriter;
import dev.heft.core.tensor.DType;
import com.sun.net.httpserver.HttpServer;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run for the launcher's AOT cache (JDK 25 {@code -XX:AOTCacheOutput}, JEPs 483/514/515): the
 * {@code ./heft} launcher runs this once right after it builds the jar, so the archive exists before the first real command and even
 * that one starts from it. It inspects a tiny sharded safetensors checkpoint and a tiny GGUF that it writes to a
 * temporary folder (text and JSON output, thrown away), which loads and links the classes a real {@code inspect} needs;
 * and the same two files over HTTP from a loopback server it starts, which loads the HTTP client's classes that
 * {@code inspect hf://...} and {@code inspect https://...} need (about a third of their CPU time when not cached).
 * Classes a run needs beyond these still load normally.
 */
public final class CdsTraining {
    private CdsTraining() {
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
                for (String[] run : List.of(new String[] {"inspect", st.toString()},
                        new String[] {"inspect", "--json", st.toString()},
                        new String[] {"inspect", gguf.toString()},
                        new String[] {"inspect", "--json", gguf.toString()},
                        new String[] {"inspect", "--json", base + "safetensors/model-00001-of-00002.safetensors"},
                        new String[] {"inspect", base + "tiny.gguf"},
                        new String[] {"--help"})) {
                    run(run, sink);
                }
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

    /** Serves {@code dir}'s files on loopback, answering {@code Range: bytes=a-b} with 206 as a Hub CDN does. */
    private static HttpServer serve(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            try (ex) {
                Path file = dir.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
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

    /** Two bf16 shards of a two-layer llama-shaped model, its index and a config.json. */
    private static void writeShardedSafetensors(Path dir) throws IOException {
        int hidden = 8;
        List<List<String>> shards = List.of(
                List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
                        "model.layers.0.mlp.up_proj.weight", "model.layers.0.input_layernorm.weight"),
                List.of("model.layers.1.self_attn.q_proj.weight", "model.layers.1.mlp.up_proj.weight",
                        "model.layers.1.input_layernorm.weight", "model.norm.weight", "lm_head.weight"));
        StringBuilder weightMap = new StringBuilder();
        for (int s = 0; s < shards.size(); s++) {
            String file = "model-0000" + (s + 1) + "-of-0000" + shards.size() + ".safetensors";
            StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
            long offset = 0;
            for (String name : shards.get(s)) {
                long rows = name.contains("norm") ? 1 : (name.contains("embed") || name.contains("lm_head") ? 32 : hidden);
                String shape = rows == 1 ? "[" + hidden + "]" : "[" + rows + "," + hidden + "]";
                long bytes = rows * hidden * 2;
                header.append(",\"").append(name).append("\":{\"dtype\":\"BF16\",\"shape\":").append(shape)
                        .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
                offset += bytes;
                weightMap.append(weightMap.isEmpty() ? "" : ",").append('"').append(name).append("\":\"")
                        .append(file).append('"');
            }
            byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(json.length).put(json);
            Files.write(dir.resolve(file), out.array());
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\":{\"total_size\":1},\"weight_map\":{" + weightMap + "}}");
        Files.writeString(dir.resolve("config.json"), "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":"
                + "\"llama\",\"hidden_size\":8,\"num_hidden_layers\":2,\"num_attention_heads\":2,"
                + "\"num_key_value_heads\":1,\"intermediate_size\":8,\"vocab_size\":32,\"rms_norm_eps\":1e-05,"
                + "\"tie_word_embeddings\":false,\"torch_dtype\":\"bfloat16\"}");
    }

    /** A llama-shaped Q8_0 GGUF with a vocabulary long enough to be summarised. */
    private static void writeGguf(Path file) throws IOException {
        List<GgufValue> tokens = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tokens.add(new GgufValue.Str("tok" + i));
        }
        GgufWriter w = new GgufWriter()
                .put("general.architecture", new GgufValue.Str("llama"))
                .put("general.file_type", new GgufValue.Int(GgufValueType.UINT32, 7))
                .put("llama.block_count", new GgufValue.Int(GgufValueType.UINT32, 1))
                .put("llama.embedding_length", new GgufValue.Int(GgufValueType.UINT32, 32))
                .put("tokenizer.ggml.tokens", new GgufValue.Array(GgufValueType.STRING, tokens));
        for (String name : List.of("token_embd.weight", "blk.0.attn_q.weight", "blk.0.ffn_up.weight", "output.weight")) {
            w.tensor(name, new long[] {32, name.startsWith("token") || name.startsWith("output") ? 100 : 32},
                    DType.Q8_0);
        }
        w.tensor("blk.0.attn_norm.weight", new long[] {32}, DType.F32);
        w.write(file);
    }
}
