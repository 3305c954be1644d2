package dev.heft.core.classify;

import dev.heft.core.names.BlockLocator;
import dev.heft.core.names.TensorName;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps a stored tensor's name (and, as a fallback, its shape) to a {@link Classification}.
 *
 * <p>Knows the naming of Hugging Face families (llama/mistral/qwen/gemma/phi/gpt2/gpt-neox/falcon/bloom/opt/mixtral/
 * deepseek/bert/t5/bart/whisper/vit/mamba), llama.cpp's GGUF names ({@code token_embd}, {@code blk.N.attn_q},
 * {@code ffn_gate_exps}, ...), ONNX exporters' initializer names, torchvision and Keras. Rules are checked from the most
 * specific to the most general; the order of the checks below is the contract (e.g. "shared expert" before "expert",
 * "norm" before "embedding" so {@code embeddings.LayerNorm} is a norm).
 *
 * <p>Answers are cached by the name's skeleton (numeric segments collapsed, so {@code model.layers.7.mlp.up_proj.weight}
 * and {@code model.layers.8.mlp.up_proj.weight} share one entry) and the tensor's rank, the only parts of a tensor the
 * rules look at besides its block number. A 45,000-tensor DeepSeek-V3 checkpoint has about 40 distinct skeletons. An
 * instance is therefore not thread-safe; use one per thread (they are cheap).
 */
public final class TensorClassifier {

    /** Skeleton + rank -> classification with block -1; the block is filled in per name. */
    private final SkeletonCache cache = new SkeletonCache();
    /** Block numbers of names in checkpoint order, most found from the previous name's (issue 12). */
    private final BlockLocator blocks = new BlockLocator();

    /**
     * Classifies a whole inventory, using each tensor's siblings where its own name is not enough: a bias takes its
     * module's weight's kind ({@code f.0.bias} beside a conv kernel {@code f.0.weight} is a conv bias), and a 1-D
     * weight beside {@code running_mean} is a BatchNorm scale.
     */
    public List<Classification> classifyAll(List<Tensor> tensors) {
        return classifyAll(tensors, Map.of());
    }

    /** As {@link #classifyAll(List)}, classifying a tensor by its alias where the inventory gives one. */
    public List<Classification> classifyAll(TensorInventory inventory) {
        Map<String, String> aliases = new HashMap<>();
        if (inventory.metadata().get(TensorInventory.ALIASES_KEY) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> aliases.put(String.valueOf(k), String.valueOf(v)));
        }
        return classifyAll(inventory.tensors(), aliases);
    }

    private List<Classification> classifyAll(List<Tensor> tensors, Map<String, String> aliases) {
        // Work on the effective names (the alias where there is one), so siblings are found under the same names.
        List<String> names = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            names.add(aliases.isEmpty() ? t.name() : aliases.getOrDefault(t.name(), t.name()));
        }
        FirstPass pass = new FirstPass(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            pass.add(names.get(i), tensors.get(i));
        }
        List<Classification> out = pass.out;
        Set<String> modulesWithRunningStats = pass.modulesWithRunningStats;
        boolean hasConvolutions = pass.hasConvolutions;
        boolean unnamedMatrices = pass.unnamedMatrices;
        boolean unplacedBiases = pass.unplacedBiases;
        // The passes below look at siblings; most checkpoints need neither, so they cost nothing there.
        if (unnamedMatrices) {
            for (int i = 0; i < out.size(); i++) {
                Classification c = out.get(i);
                if (c.kind() == LayerKind.OTHER && !c.bias() && tensors.get(i).rank() == 2) {
                    // An unnamed matrix is a dense (Linear) layer; after convolutions, dense layers are the classifier.
                    out.set(
                            i,
                            hasConvolutions
                                    ? new Classification(LayerKind.HEAD, "classifier", false, c.block())
                                    : new Classification(LayerKind.MLP, "dense", false, c.block()));
                }
            }
        }
        if (modulesWithRunningStats.isEmpty() && !unplacedBiases) {
            return out;
        }
        Map<String, Classification> byName = new HashMap<>();
        for (int i = 0; i < out.size(); i++) {
            byName.put(names.get(i), out.get(i));
        }
        for (int i = 0; i < out.size(); i++) {
            Classification c = out.get(i);
            String module = module(names.get(i));
            if (modulesWithRunningStats.contains(module) && c.kind() != LayerKind.NORM) {
                out.set(i, new Classification(LayerKind.NORM, "", c.bias(), c.block()));
            } else if (c.kind() == LayerKind.OTHER && c.bias()) {
                for (String sibling : new String[] {module + ".weight", module + "/kernel:0", module + "/kernel"}) {
                    Classification w = byName.get(sibling);
                    if (w != null && w.kind() != LayerKind.OTHER) {
                        out.set(i, new Classification(w.kind(), w.part(), true, c.block()));
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Each tensor's own classification and what the sibling passes need to know. A method called per tensor rather than
     * a loop body: C1 compiles a method after a few hundred calls, but a loop inside one call only after
     * Tier3BackEdgeThreshold back edges (60,000 unless the launcher lowers it), so on a 45k-tensor checkpoint the loop
     * ran interpreted (issue 12).
     */
    private final class FirstPass {
        final List<Classification> out;
        final Set<String> modulesWithRunningStats = new HashSet<>();
        boolean hasConvolutions;
        boolean unnamedMatrices;
        boolean unplacedBiases;

        FirstPass(int tensors) {
            out = new ArrayList<>(tensors);
        }

        void add(String n, Tensor t) {
            Classification c = classify(n, t);
            out.add(c);
            // Only weights say a network is convolutional (a rank-3 recurrent initial state is not a Conv1d).
            hasConvolutions |= c.kind() == LayerKind.CONV && t.role() == TensorRole.WEIGHT;
            unnamedMatrices |= c.kind() == LayerKind.OTHER && !c.bias() && t.rank() == 2;
            unplacedBiases |= c.kind() == LayerKind.OTHER && c.bias();
            if (n.endsWith("running_mean") || n.endsWith("moving_mean")) {
                modulesWithRunningStats.add(module(n));
            }
        }
    }

    /** The module path of a parameter name: everything before the last '.' (or '/'). */
    private static String module(String name) {
        int i = Math.max(name.lastIndexOf('.'), name.lastIndexOf('/'));
        return i < 0 ? "" : name.substring(0, i);
    }

    public Classification classify(String name, long[] shape) {
        int block = blocks.blockOrFirstIndex(name);
        Classification c = cache.get(name, shape.length);
        if (c == null) {
            c = classifyUncached(name, shape, block);
            cache.put(name, shape.length, new Classification(c.kind(), c.part(), c.bias(), -1));
        }
        return c.block() == block ? c : new Classification(c.kind(), c.part(), c.bias(), block);
    }

    /** {@link #classify(String, long[])} of {@code t} under {@code name}, copying its shape only on a cache miss. */
    private Classification classify(String name, Tensor t) {
        int block = blocks.blockOrFirstIndex(name);
        Classification c = cache.get(name, t.rank());
        if (c == null) {
            return classify(name, t.shape());
        }
        return c.block() == block ? c : new Classification(c.kind(), c.part(), c.bias(), block);
    }

    /**
     * The cache key: the name with every all-digit segment (block, expert and sequence numbers) replaced by '#', and
     * the rank. Digits inside a segment stay ({@code fc1} and {@code fc2} are different parts). Segments of more than
     * nine digits are not indices ({@link TensorName}) and stay too. The rank is kept beside it in the cache.
     */
    static String skeleton(String name) {
        StringBuilder sb = null;
        int segStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.' || name.charAt(i) == '/') {
                int len = i - segStart;
                if (len > 0 && len <= 9 && allDigits(name, segStart, i)) {
                    if (sb == null) {
                        sb = new StringBuilder(name.length() + 4).append(name, 0, segStart);
                    }
                    sb.append('#');
                } else if (sb != null) {
                    sb.append(name, segStart, i);
                }
                if (sb != null && i < name.length()) {
                    sb.append(name.charAt(i));
                }
                segStart = i + 1;
            }
        }
        return sb == null ? name : sb.toString();
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private Classification classifyUncached(String name, long[] shape, int block) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean bias = isBias(n);
        LayerKind kind;
        String part;

        if (isSharedExpert(n)) {
            kind = LayerKind.MLP;
            part = "shared_expert";
            if (n.contains("shared_expert_gate")) {
                kind = LayerKind.ROUTER;
                part = "shared_expert_gate";
            }
        } else if (isRouter(n)) {
            kind = LayerKind.ROUTER;
            part = "router";
        } else if (isExpert(n)) {
            kind = LayerKind.EXPERTS;
            part = mlpPart(n);
        } else if (isRecurrent(n)) {
            // Before the head and norm rules: silero-vad's decoder.rnn.weight_ih is an LSTM cell, not a head.
            kind = LayerKind.RECURRENT;
            part = n.contains("hh") || n.contains("recurrent") ? "hidden" : "input";
        } else if (isSsm(n)) {
            kind = LayerKind.SSM;
            part = ssmPart(n);
        } else if (isNorm(n)) {
            kind = LayerKind.NORM;
            part = "";
        } else if (embeddingPart(n) != null) {
            kind = LayerKind.EMBEDDING;
            part = embeddingPart(n);
        } else if (isHead(n, block)) {
            kind = LayerKind.HEAD;
            part = headPart(n);
        } else if (isMlp(n)) {
            kind = LayerKind.MLP;
            part = mlpPart(n);
        } else if (isAttention(n)) {
            kind = LayerKind.ATTENTION;
            part = attentionPart(n);
        } else if (isConv(n, shape)) {
            kind = LayerKind.CONV;
            part = "";
        } else if (shape.length == 1
                && block >= 0
                && (n.endsWith(".weight") || n.endsWith("gamma") || n.endsWith("beta"))) {
            // A 1-D scale inside a block that matched nothing else is, in every family we know, a norm.
            kind = LayerKind.NORM;
            part = "";
        } else {
            kind = LayerKind.OTHER;
            part = "";
        }
        return new Classification(kind, part, bias, block);
    }

    /** The named block ({@code layers.N}, {@code h.N}, {@code blk.N}, ...), else the first numbered segment. */
    static int blockIndex(String name) {
        return TensorName.blockOrFirstIndex(name);
    }

    private static boolean isBias(String n) {
        return (n.endsWith(".bias")
                        || n.endsWith("_bias")
                        || n.endsWith("/bias")
                        || n.endsWith("/bias:0")
                        || n.endsWith(".b"))
                && !n.contains("relative_attention_bias")
                && !n.contains("e_score_correction_bias")
                // GPT-2's causal-mask buffers (h.N.attn.bias, attn.masked_bias), not the fused c_attn.bias.
                && !n.endsWith(".attn.bias")
                && !n.equals("attn.bias")
                && !n.endsWith("masked_bias");
    }

    private static boolean has(String n, String... needles) {
        for (String s : needles) {
            if (n.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** A dot- (or slash-) delimited segment equal to {@code seg}. */
    private static boolean segment(String n, String seg) {
        int i = n.indexOf(seg);
        while (i >= 0) {
            boolean startOk = i == 0 || n.charAt(i - 1) == '.' || n.charAt(i - 1) == '/';
            int end = i + seg.length();
            boolean endOk = end == n.length() || n.charAt(end) == '.' || n.charAt(end) == '/' || n.charAt(end) == ':';
            if (startOk && endOk) {
                return true;
            }
            i = n.indexOf(seg, i + 1);
        }
        return false;
    }

    private static boolean isSharedExpert(String n) {
        return has(n, "shared_expert", "shared_experts", "_shexp");
    }

    private static boolean isRouter(String n) {
        return has(n, "ffn_gate_inp", "router", "e_score_correction_bias", "exp_probs_b")
                || n.contains("block_sparse_moe.gate.")
                || (segment(n, "gate") && (has(n, "mlp.gate.", "moe.gate.", "feed_forward.gate.")));
    }

    private static boolean isExpert(String n) {
        return has(n, "experts", "_exps", ".expert.");
    }

    private static boolean isSsm(String n) {
        return has(
                        n,
                        "mixer.in_proj",
                        "mixer.x_proj",
                        "mixer.dt_proj",
                        "mixer.out_proj",
                        "mixer.conv1d",
                        "a_log",
                        "ssm_in",
                        "ssm_conv1d",
                        "ssm_x",
                        "ssm_dt",
                        "ssm_a",
                        "ssm_d",
                        "ssm_out")
                || n.endsWith("mixer.d")
                || segment(n, "d") && n.contains("mixer");
    }

    private static String ssmPart(String n) {
        if (has(n, "in_proj", "ssm_in")) {
            return "in_proj";
        }
        if (has(n, "x_proj", "ssm_x")) {
            return "x_proj";
        }
        if (has(n, "dt_proj", "ssm_dt")) {
            return "dt_proj";
        }
        if (has(n, "out_proj", "ssm_out")) {
            return "out_proj";
        }
        if (has(n, "conv1d")) {
            return "conv1d";
        }
        if (has(n, "a_log", "ssm_a")) {
            return "A";
        }
        return "D";
    }

    private static boolean isNorm(String n) {
        return has(
                        n,
                        "norm",
                        "ln_",
                        ".ln.",
                        "running_mean",
                        "running_var",
                        "num_batches_tracked",
                        "/bn",
                        ".bn",
                        "batch_normalization",
                        "moving_mean",
                        "moving_variance")
                || segment(n, "ln")
                || hasBatchNormSegment(n);
    }

    /**
     * A path segment {@code bn}, {@code bn1}, {@code bn23}... (torchvision's ResNet blocks): what the regex
     * {@code (^|[./])bn\d*[./]} finds, written out because {@code String.matches} compiled that pattern again for
     * every tensor (a measurable part of {@code heft inspect} on a 1,137-tensor checkpoint).
     */
    static boolean hasBatchNormSegment(String n) {
        for (int i = n.indexOf("bn"); i >= 0; i = n.indexOf("bn", i + 1)) {
            if (i > 0 && n.charAt(i - 1) != '.' && n.charAt(i - 1) != '/') {
                continue;
            }
            int j = i + 2;
            while (j < n.length() && n.charAt(j) >= '0' && n.charAt(j) <= '9') {
                j++;
            }
            if (j < n.length() && (n.charAt(j) == '.' || n.charAt(j) == '/')) {
                return true;
            }
        }
        return false;
    }

    private static String embeddingPart(String n) {
        if (has(n, "token_type_embeddings", "token_types")) {
            return "type";
        }
        if (has(
                n,
                "position_embeddings",
                "embed_positions",
                "wpe.",
                "position_embd",
                "pos_embed",
                "pos_embedding",
                "positional_embedding")) {
            return "position";
        }
        if (has(
                        n,
                        "embed_tokens",
                        "word_embeddings",
                        "token_embd",
                        "embed_in.",
                        "tok_embeddings",
                        "wte.",
                        "shared.weight",
                        "embeddings.weight",
                        "embedding.weight",
                        "tok_embed",
                        "word_embedding")
                || n.equals("shared.weight")
                || n.endsWith("embed_tokens.weight")) {
            return "token";
        }
        if (has(n, "cls_token", "class_token", "mask_token", "dist_token", "register_tokens")) {
            return "special_token";
        }
        return null;
    }

    /**
     * torch nn.LSTM/GRU/RNN ({@code weight_ih_l0}, {@code weight_hh_l0_reverse}, {@code bias_ih_l0}) and the *Cell
     * modules ({@code weight_ih}, {@code bias_hh}); the ONNX reader aliases LSTM/GRU/RNN op inputs to those names;
     * Keras cells ({@code lstm_cell}, {@code gru_cell}, {@code simple_rnn_cell}, {@code recurrent_kernel}) and
     * TFLite's unidirectional sequence LSTM.
     */
    private static boolean isRecurrent(String n) {
        return isTorchRecurrentParameter(n)
                || has(
                        n,
                        "lstm_cell",
                        "gru_cell",
                        "simple_rnn_cell",
                        "recurrent_kernel",
                        "unidirectional_sequence_lstm",
                        "unidirectionalsequencelstm",
                        "bidirectional_sequence_lstm");
    }

    /** The last name segment is {@code (weight|bias)_(ih|hh)}, optionally {@code _lN} and {@code _reverse}. */
    static boolean isTorchRecurrentParameter(String n) {
        int start = Math.max(n.lastIndexOf('.'), n.lastIndexOf('/')) + 1;
        String last = n.substring(start);
        String rest;
        if (last.startsWith("weight_ih") || last.startsWith("weight_hh")) {
            rest = last.substring(9);
        } else if (last.startsWith("bias_ih") || last.startsWith("bias_hh")) {
            rest = last.substring(7);
        } else {
            return false;
        }
        if (rest.isEmpty()) {
            return true;
        }
        if (!rest.startsWith("_l") || rest.length() == 2) {
            return false;
        }
        int i = 2;
        while (i < rest.length() && Character.isDigit(rest.charAt(i))) {
            i++;
        }
        return i > 2 && (i == rest.length() || rest.substring(i).equals("_reverse"));
    }

    private static boolean isHead(String n, int block) {
        if (has(
                n,
                "lm_head",
                "classifier",
                "qa_outputs",
                "cls.predictions",
                "cls.seq_relationship",
                "pooler",
                "proj_out",
                "score.",
                "embed_out",
                "output_layer")) {
            return true;
        }
        // llama.cpp's output projection; torchvision's top-level fc / heads.
        return n.equals("output.weight")
                || n.equals("output.bias")
                || (block < 0 && (n.startsWith("fc.") || n.startsWith("head.") || n.startsWith("heads.")));
    }

    private static String headPart(String n) {
        if (n.contains("pooler")) {
            return "pooler";
        }
        if (has(n, "classifier", "score.", "qa_outputs", "seq_relationship")
                || n.startsWith("fc.")
                || n.startsWith("head")) {
            return "classifier";
        }
        return "lm_head";
    }

    private static boolean isMlp(String n) {
        return has(
                        n,
                        "mlp",
                        "ffn",
                        "feed_forward",
                        "feedforward",
                        "fc1",
                        "fc2",
                        "c_fc",
                        "gate_proj",
                        "up_proj",
                        "down_proj",
                        "dense_h_to_4h",
                        "dense_4h_to_h",
                        "intermediate.dense",
                        "densereludense",
                        "gate_up_proj",
                        "linear1",
                        "linear2",
                        "w1.",
                        "w2.",
                        "w3.")
                || (has(n, ".output.dense") && !n.contains("attention"));
    }

    private static String mlpPart(String n) {
        if (has(n, "gate_up")) {
            return "gate_up";
        }
        if (has(n, "gate", "w1.", "wi_0")) {
            return "gate";
        }
        if (has(n, "up", "w3.", "wi_1", "fc1", "c_fc", "dense_h_to_4h", "intermediate", "wi.", "linear1")) {
            return "up";
        }
        if (has(n, "down", "w2.", "fc2", "c_proj", "dense_4h_to_h", "wo.", "output.dense", "linear2")) {
            return "down";
        }
        return "";
    }

    private static boolean isAttention(String n) {
        return has(
                n,
                "attn",
                "attention",
                "q_proj",
                "k_proj",
                "v_proj",
                "o_proj",
                "qkv",
                "query",
                "key.",
                "value.",
                "wq.",
                "wk.",
                "wv.",
                "wo.",
                "kv_a_proj",
                "kv_b_proj",
                "q_a_proj",
                "q_b_proj",
                "encdecattention",
                "selfattention",
                "relative_attention_bias",
                "in_proj",
                "sinks");
    }

    private static String attentionPart(String n) {
        if (has(n, "relative_attention_bias")) {
            return "relative_bias";
        }
        if (has(n, "qkv", "c_attn", "query_key_value", "in_proj_weight", "in_proj_bias", "w_pack")) {
            return "qkv";
        }
        if (has(n, "kv_a_proj", "attn_kv_a")) {
            return "kv_down";
        }
        if (has(n, "kv_b_proj", "attn_kv_b", "attn_k_b", "attn_v_b")) {
            return "kv_up";
        }
        if (has(n, "q_a_proj", "attn_q_a")) {
            return "q_down";
        }
        if (has(n, "q_b_proj", "attn_q_b")) {
            return "q_up";
        }
        if (has(
                n,
                "o_proj",
                "out_proj",
                "attn_output",
                "wo.",
                ".o.",
                "c_proj",
                "attention.output.dense",
                "dense.",
                "attn_out")) {
            return "o";
        }
        if (has(n, "q_proj", "attn_q", "query", "wq.", ".q.")) {
            return "q";
        }
        if (has(n, "k_proj", "attn_k", "key", "wk.", ".k.")) {
            return "k";
        }
        if (has(n, "v_proj", "attn_v", "value", "wv.", ".v.")) {
            return "v";
        }
        if (has(n, "sinks")) {
            return "sinks";
        }
        return "";
    }

    private static boolean isConv(String n, long[] shape) {
        if (has(n, "conv", "patch_embed", "patch_embedding", "downsample", "stem")) {
            return true;
        }
        // Unnamed rank 3-5 weights are convolution kernels in every family we know (stacked experts matched earlier).
        return shape.length >= 3 && shape.length <= 5 && !n.contains("embed");
    }
}
