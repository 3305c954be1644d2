package dev.heft.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A minimal GGUF v3 writer for the benchmark (the real reader lives in heft-core's gguf package; this only writes).
 * Layout per ggml/docs/gguf.md: {@code u32 magic "GGUF", u32 version = 3, u64 tensor_count, u64 metadata_kv_count},
 * the key/value pairs ({@code gguf_string key, u32 type, value}), the tensor infos ({@code gguf_string name,
 * u32 n_dims, u64 ne[n_dims]} innermost first, {@code u32 ggml_type, u64 offset}), padding to
 * {@code general.alignment}, then data, which is left sparse.
 *
 * <p>Two layouts: {@link Layout#QWEN25_7B}, shaped like Qwen2.5-7B in Q4_K (28 layers, hidden 3584, 28 heads, 4 KV
 * heads, ffn 18944) with a byte-level BPE vocabulary of 152,064 tokens and 151,387 merges, so metadata parsing
 * dominates the read; and {@link Layout#LLAMA31_70B}, Llama-3.1-70B as llama-quantize's Q4_K_M writes it (80 layers,
 * hidden 8192, 64 heads, 8 KV heads, ffn 28672, 128,256 tokens, 280,147 merges, 723 tensors).
 */
final class SyntheticGguf {
    // gguf_metadata_value_type
    private static final int UINT32 = 4;
    private static final int FLOAT32 = 6;
    private static final int STRING = 8;
    private static final int ARRAY = 9;
    private static final int INT32 = 5;
    // ggml_type ids
    private static final int F32 = 0;
    private static final int Q4_K = 12;
    private static final int Q5_K = 13;
    private static final int Q6_K = 14;
    private static final int ALIGNMENT = 32;

    /**
     * A model layout: llama.cpp architecture name, blocks, widths, vocabulary, and whether q/k/v carry biases (Qwen2
     * does, Llama does not).
     */
    record Layout(
            String arch,
            String name,
            int layers,
            long hidden,
            int heads,
            int kvHeads,
            long ffn,
            int vocab,
            int normalTokens,
            int merges,
            boolean qkvBias,
            String pre,
            float ropeBase,
            float rmsEps,
            int context) {
        static final Layout QWEN25_7B = new Layout(
                "qwen2",
                "synthetic-qwen2.5-7b-q4_k",
                28,
                3584,
                28,
                4,
                18944,
                152_064,
                151_643,
                151_387,
                true,
                "qwen2",
                1_000_000f,
                1e-6f,
                32768);
        static final Layout LLAMA31_70B = new Layout(
                "llama",
                "synthetic-llama-3.1-70b-q4_k_m",
                80,
                8192,
                64,
                8,
                28672,
                128_256,
                128_000,
                280_147,
                false,
                "llama-bpe",
                500_000f,
                1e-5f,
                131072);

        long kvWidth() {
            return hidden / heads * kvHeads;
        }
    }

    private SyntheticGguf() {}

    record TensorSpec(String name, int type, long... ne) {
        long bytes() {
            long n = 1;
            for (long d : ne) {
                n = Math.multiplyExact(n, d);
            }
            return switch (type) {
                case F32 -> n * 4;
                case Q4_K -> n / 256 * 144;
                case Q5_K -> n / 256 * 176;
                case Q6_K -> n / 256 * 210;
                default -> throw new IllegalArgumentException("type " + type);
            };
        }
    }

    static void write(Path file) throws IOException {
        write(file, Layout.QWEN25_7B);
    }

    static void write(Path file, Layout m) throws IOException {
        final long hidden = m.hidden();
        final long kv = m.kvWidth();
        final long ffn = m.ffn();
        List<TensorSpec> tensors = new ArrayList<>();
        tensors.add(new TensorSpec("token_embd.weight", Q4_K, hidden, m.vocab()));
        for (int l = 0; l < m.layers(); l++) {
            String p = "blk." + l + ".";
            // Q4_K_M gives attn_v and ffn_down Q6_K in the first and last eighth of the blocks and every third block
            // between (llama.cpp src/llama-quant.cpp, use_more_bits), and a 70B's other attn_v Q5_K (its 8 heads
            // share them); the 7B layout keeps its original mix.
            boolean seven = m == Layout.QWEN25_7B;
            int more = !seven && useMoreBits(l, m.layers()) ? Q6_K : Q4_K;
            int attnV = seven ? Q4_K : more == Q6_K ? Q6_K : Q5_K;
            tensors.add(new TensorSpec(p + "attn_norm.weight", F32, hidden));
            tensors.add(new TensorSpec(p + "attn_q.weight", Q4_K, hidden, hidden));
            if (m.qkvBias()) {
                tensors.add(new TensorSpec(p + "attn_q.bias", F32, hidden));
            }
            tensors.add(new TensorSpec(p + "attn_k.weight", Q4_K, hidden, kv));
            if (m.qkvBias()) {
                tensors.add(new TensorSpec(p + "attn_k.bias", F32, kv));
            }
            tensors.add(new TensorSpec(p + "attn_v.weight", attnV, hidden, kv));
            if (m.qkvBias()) {
                tensors.add(new TensorSpec(p + "attn_v.bias", F32, kv));
            }
            tensors.add(new TensorSpec(p + "attn_output.weight", Q4_K, hidden, hidden));
            tensors.add(new TensorSpec(p + "ffn_norm.weight", F32, hidden));
            tensors.add(new TensorSpec(p + "ffn_gate.weight", Q4_K, hidden, ffn));
            tensors.add(new TensorSpec(p + "ffn_up.weight", Q4_K, hidden, ffn));
            tensors.add(new TensorSpec(p + "ffn_down.weight", seven ? Q6_K : more, ffn, hidden));
        }
        tensors.add(new TensorSpec("output_norm.weight", F32, hidden));
        tensors.add(new TensorSpec("output.weight", Q6_K, hidden, m.vocab()));

        Files.createDirectories(file.toAbsolutePath().getParent());
        long written;
        long dataBytes = 0;
        try (CountingLe out = new CountingLe(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
            out.u32(3);
            out.u64(tensors.size());
            out.u64(17);
            String a = m.arch();
            out.kvString("general.architecture", a);
            out.kvString("general.name", m.name());
            out.kvU32("general.alignment", ALIGNMENT);
            out.kvU32("general.file_type", 15); // LLAMA_FTYPE_MOSTLY_Q4_K_M
            out.kvU32(a + ".block_count", m.layers());
            out.kvU32(a + ".context_length", m.context());
            out.kvU32(a + ".embedding_length", (int) hidden);
            out.kvU32(a + ".feed_forward_length", (int) ffn);
            out.kvU32(a + ".attention.head_count", m.heads());
            out.kvU32(a + ".attention.head_count_kv", m.kvHeads());
            out.kvF32(a + ".rope.freq_base", m.ropeBase());
            out.kvF32(a + ".attention.layer_norm_rms_epsilon", m.rmsEps());
            out.kvString("tokenizer.ggml.model", "gpt2");
            out.kvString("tokenizer.ggml.pre", m.pre());
            Random random = new Random(42);
            out.string("tokenizer.ggml.tokens");
            out.u32(ARRAY);
            out.u32(STRING);
            out.u64(m.vocab());
            for (int i = 0; i < m.vocab(); i++) {
                out.string(token(random, i));
            }
            out.string("tokenizer.ggml.token_type");
            out.u32(ARRAY);
            out.u32(INT32);
            out.u64(m.vocab());
            for (int i = 0; i < m.vocab(); i++) {
                out.u32(i < m.normalTokens() ? 1 : 3); // NORMAL, then CONTROL for the added tokens
            }
            out.string("tokenizer.ggml.merges");
            out.u32(ARRAY);
            out.u32(STRING);
            out.u64(m.merges());
            for (int i = 0; i < m.merges(); i++) {
                out.string(token(random, i) + " " + token(random, i + 1));
            }
            for (TensorSpec t : tensors) {
                out.string(t.name());
                out.u32(t.ne().length);
                for (long d : t.ne()) {
                    out.u64(d);
                }
                out.u32(t.type());
                out.u64(dataBytes);
                dataBytes = align(dataBytes + t.bytes());
            }
            while (out.count % ALIGNMENT != 0) {
                out.bytes(new byte[] {0});
            }
            written = out.count;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(written + dataBytes); // sparse data section
        }
    }

    /** llama.cpp's {@code use_more_bits(i_layer, n_layers)} (src/llama-quant.cpp). */
    private static boolean useMoreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Byte-level-BPE-looking tokens ("Ġ" marks a leading space), deterministic and mostly distinct. */
    private static String token(Random random, int i) {
        int len = 1 + random.nextInt(8);
        StringBuilder sb = new StringBuilder(random.nextBoolean() ? "\u0120" : "");
        for (int k = 0; k < len; k++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.append(i % 97 == 0 ? Integer.toString(i) : "").toString();
    }

    /** Little-endian writer that counts bytes (GGUF is little-endian unless a big-endian build wrote it). */
    private static final class CountingLe implements AutoCloseable {
        private final OutputStream out;
        long count;

        CountingLe(OutputStream out) {
            this.out = out;
        }

        void bytes(byte[] b) throws IOException {
            out.write(b);
            count += b.length;
        }

        void u32(int v) throws IOException {
            for (int i = 0; i < 4; i++) {
                out.write(v >>> (8 * i));
            }
            count += 4;
        }

        void u64(long v) throws IOException {
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            count += 8;
        }

        /** gguf_string: u64 length, then UTF-8 bytes without a terminator. */
        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void kvString(String key, String value) throws IOException {
            string(key);
            u32(STRING);
            string(value);
        }

        void kvU32(String key, int value) throws IOException {
            string(key);
            u32(UINT32);
            u32(value);
        }

        void kvF32(String key, float value) throws IOException {
            string(key);
            u32(FLOAT32);
            u32(Float.floatToIntBits(value));
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
