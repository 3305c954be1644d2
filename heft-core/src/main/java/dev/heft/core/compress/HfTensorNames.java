package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps Hugging Face tensor names to the names llama.cpp's converter gives them, so a safetensors model or an
 * architecture description can be planned with llama.cpp's rules. Follows gguf-py's tensor_mapping.py
 * ({@code TensorNameMap}) and convert_hf_to_gguf.py for the families heft meets most: Llama/Mistral/Qwen/Gemma-style
 * ({@code model.layers.N.self_attn.q_proj}), GPT-2 ({@code transformer.h.N.attn.c_attn}), GPT-NeoX, Falcon/BLOOM
 * ({@code query_key_value}), Phi-3 fused {@code qkv_proj}/{@code gate_up_proj}, Mixtral/Qwen-MoE/DeepSeek experts.
 *
 * <p>What the converter also does and this mirrors, because it changes the plan:
 * <ul>
 *   <li>per-expert 2-D weights ({@code block_sparse_moe.experts.E.w1}) are merged into one 3-D
 *       {@code blk.N.ffn_gate_exps.weight} [n_expert, out, in];</li>
 *   <li>GPT-2's Conv1D weights are stored [in, out] and transposed to [out, in];</li>
 *   <li>1-D tensors, norms, MoE routers and position embeddings are written as F32 (the converter's
 *       {@code data_qtype = F32} cases); other tensors keep the type given.</li>
 * </ul>
 * Names it does not know are kept unchanged and listed in {@link Result#unmapped()}.
 */
public final class HfTensorNames {

    /** The mapped tensors (llama.cpp names, experts merged) and the HF names that had no mapping. */
    public record Result(List<TensorSpec> tensors, List<String> unmapped) {
        public Result {
            tensors = List.copyOf(tensors);
            unmapped = List.copyOf(unmapped);
        }
    }

    private static final Pattern BLOCK = Pattern.compile(
            "^(?:model\\.language_model\\.|language_model\\.model\\.|model\\.|transformer\\.|gpt_neox\\.|backbone\\.)?"
                    + "(?:layers|h|blocks)\\.(\\d+)\\.(.+)\\.(weight|bias)$");
    /**
     * Experts stored fused as 3-D parameters without ".weight" (transformers 5 Mixtral/Qwen-MoE
     * {@code mlp.experts.gate_up_proj} [E, 2*ff, hidden] and {@code down_proj} [E, hidden, ff]; gpt-oss has them
     * transposed, [E, hidden, 2*ff], with {@code _bias} companions).
     */
    private static final Pattern FUSED_EXPERTS = Pattern.compile(
            "^(?:model\\.language_model\\.|language_model\\.model\\.|model\\.)?(?:layers|h|blocks)\\.(\\d+)\\."
                    + "(?:mlp|block_sparse_moe)\\.experts\\.(gate_up_proj|gate_proj|up_proj|down_proj)(_bias)?$");
    private static final Pattern EXPERT = Pattern.compile(
            "^(?:block_sparse_moe|mlp)\\.experts\\.(\\d+)\\.(w1|w2|w3|gate_proj|up_proj|down_proj)$");

    private static final Map<String, String> GLOBAL = new LinkedHashMap<>();
    private static final Map<String, String> IN_BLOCK = new LinkedHashMap<>();
    /** GPT-2 Conv1D modules: stored [in, out], transposed by the converter. */
    private static final List<String> CONV1D = List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");

    static {
        for (String p : List.of("model.embed_tokens", "transformer.wte", "gpt_neox.embed_in",
                "transformer.word_embeddings", "model.language_model.embed_tokens", "language_model.model.embed_tokens",
                "backbone.embeddings", "embed_tokens")) {
            GLOBAL.put(p, "token_embd");
        }
        GLOBAL.put("transformer.wpe", "position_embd");
        GLOBAL.put("transformer.word_embeddings_layernorm", "token_embd_norm");
        for (String p : List.of("model.norm", "transformer.ln_f", "gpt_neox.final_layer_norm", "transformer.norm_f",
                "model.language_model.norm", "language_model.model.norm", "backbone.norm_f", "norm")) {
            GLOBAL.put(p, "output_norm");
        }
        for (String p : List.of("lm_head", "embed_out", "language_model.lm_head")) {
            GLOBAL.put(p, "output");
        }

        IN_BLOCK.put("self_attn.q_proj", "attn_q");
        IN_BLOCK.put("self_attn.k_proj", "attn_k");
        IN_BLOCK.put("self_attn.v_proj", "attn_v");
        IN_BLOCK.put("self_attn.o_proj", "attn_output");
        IN_BLOCK.put("self_attn.qkv_proj", "attn_qkv");
        IN_BLOCK.put("self_attn.dense", "attn_output");
        IN_BLOCK.put("self_attn.q_norm", "attn_q_norm");
        IN_BLOCK.put("self_attn.k_norm", "attn_k_norm");
        // DeepSeek-V2/V3 multi-head latent attention (tensor_mapping.py ATTN_Q_A, ATTN_KV_A_MQA, ATTN_KV_B, ...).
        IN_BLOCK.put("self_attn.q_a_proj", "attn_q_a");
        IN_BLOCK.put("self_attn.q_b_proj", "attn_q_b");
        IN_BLOCK.put("self_attn.q_a_layernorm", "attn_q_a_norm");
        IN_BLOCK.put("self_attn.kv_a_proj_with_mqa", "attn_kv_a_mqa");
        IN_BLOCK.put("self_attn.kv_a_layernorm", "attn_kv_a_norm");
        IN_BLOCK.put("self_attn.kv_b_proj", "attn_kv_b");
        IN_BLOCK.put("attn.q_proj", "attn_q");
        IN_BLOCK.put("attn.k_proj", "attn_k");
        IN_BLOCK.put("attn.v_proj", "attn_v");
        IN_BLOCK.put("attn.out_proj", "attn_output");
        IN_BLOCK.put("attn.c_attn", "attn_qkv");
        IN_BLOCK.put("attn.c_proj", "attn_output");
        IN_BLOCK.put("self_attention.query_key_value", "attn_qkv");
        IN_BLOCK.put("self_attention.dense", "attn_output");
        IN_BLOCK.put("attention.query_key_value", "attn_qkv");
        IN_BLOCK.put("attention.dense", "attn_output");
        IN_BLOCK.put("input_layernorm", "attn_norm");
        IN_BLOCK.put("ln_1", "attn_norm");
        IN_BLOCK.put("ln_attn", "attn_norm_2");
        IN_BLOCK.put("post_attention_layernorm", "ffn_norm");
        IN_BLOCK.put("ln_2", "ffn_norm");
        IN_BLOCK.put("ln_mlp", "ffn_norm");
        IN_BLOCK.put("pre_feedforward_layernorm", "ffn_norm");
        IN_BLOCK.put("post_feedforward_layernorm", "post_ffw_norm");
        IN_BLOCK.put("mlp.gate_proj", "ffn_gate");
        IN_BLOCK.put("mlp.up_proj", "ffn_up");
        IN_BLOCK.put("mlp.down_proj", "ffn_down");
        IN_BLOCK.put("mlp.gate_up_proj", "ffn_up");
        IN_BLOCK.put("mlp.c_fc", "ffn_up");
        IN_BLOCK.put("mlp.c_proj", "ffn_down");
        IN_BLOCK.put("mlp.dense_h_to_4h", "ffn_up");
        IN_BLOCK.put("mlp.dense_4h_to_h", "ffn_down");
        IN_BLOCK.put("mlp.fc1", "ffn_up");
        IN_BLOCK.put("mlp.fc2", "ffn_down");
        IN_BLOCK.put("block_sparse_moe.gate", "ffn_gate_inp");
        IN_BLOCK.put("mlp.gate", "ffn_gate_inp");
        IN_BLOCK.put("mlp.router", "ffn_gate_inp");
        for (String shared : List.of("mlp.shared_expert", "mlp.shared_experts")) {
            IN_BLOCK.put(shared + ".gate_proj", "ffn_gate_shexp");
            IN_BLOCK.put(shared + ".up_proj", "ffn_up_shexp");
            IN_BLOCK.put(shared + ".down_proj", "ffn_down_shexp");
        }
        IN_BLOCK.put("mlp.shared_expert_gate", "ffn_gate_inp_shexp");
    }

    private HfTensorNames() {
    }

    public static Result map(List<TensorSpec> hf) {
        // Gemma 2/3 put a norm after attention *and* before the MLP; there post_attention_layernorm is
        // post_attention_norm and pre_feedforward_layernorm is ffn_norm (tensor_mapping.py ATTN_POST_NORM).
        boolean gemmaNorms = hf.stream().anyMatch(t -> t.name().contains(".pre_feedforward_layernorm."));
        // GPT-2's Conv1D stores c_attn as [in, 3*in]; GPTBigCode's Linear stores it [out, in] with out <= 3*in.
        boolean conv1d = hf.stream().anyMatch(t -> t.name().endsWith("attn.c_attn.weight") && t.shape().length == 2
                && t.shape()[1] > t.shape()[0]);
        long hidden = hf.stream().filter(t -> GLOBAL.get(stripParam(t.name())) != null
                        && GLOBAL.get(stripParam(t.name())).equals("token_embd") && t.shape().length == 2)
                .mapToLong(t -> t.shape()[1]).findFirst().orElse(-1);
        List<TensorSpec> out = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        // (layer, kind, suffix) -> expert index -> spec, merged after the pass
        Map<String, TreeMap<Integer, TensorSpec>> experts = new LinkedHashMap<>();
        for (TensorSpec t : hf) {
            String name = t.name();
            Matcher fused = FUSED_EXPERTS.matcher(name);
            if (fused.matches()) {
                out.addAll(fusedExperts(fused.group(1), fused.group(2), fused.group(3) != null, t, hidden));
                continue;
            }
            Matcher b = BLOCK.matcher(name);
            if (b.matches()) {
                String bid = b.group(1);
                String module = b.group(2);
                String param = b.group(3);
                Matcher e = EXPERT.matcher(module);
                if (e.matches()) {
                    String kind = switch (e.group(2)) {
                        case "w1", "gate_proj" -> "ffn_gate_exps";
                        case "w3", "up_proj" -> "ffn_up_exps";
                        default -> "ffn_down_exps";
                    };
                    String merged = "blk." + bid + "." + kind + "." + param;
                    TensorSpec prev = experts.computeIfAbsent(merged, k -> new TreeMap<>())
                            .put(Integer.parseInt(e.group(1)), t);
                    if (prev != null) {
                        throw new InvalidInputException("expert tensor listed twice: " + name);
                    }
                    continue;
                }
                String target = IN_BLOCK.get(module);
                if (gemmaNorms && module.equals("post_attention_layernorm")) {
                    target = "post_attention_norm";
                }
                if (target != null) {
                    long[] shape = t.shape();
                    if (conv1d && CONV1D.contains(module) && shape.length == 2) {
                        shape = new long[] {shape[1], shape[0]};
                    }
                    out.add(spec("blk." + bid + "." + target + "." + param, shape, t.sourceType()));
                    continue;
                }
            } else {
                int dot = name.lastIndexOf('.');
                String target = dot > 0 ? GLOBAL.get(name.substring(0, dot)) : null;
                if (target != null) {
                    out.add(spec(target + name.substring(dot), t.shape(), t.sourceType()));
                    continue;
                }
            }
            unmapped.add(name);
            out.add(t);
        }
        for (Map.Entry<String, TreeMap<Integer, TensorSpec>> e : experts.entrySet()) {
            out.add(mergeExperts(e.getKey(), e.getValue()));
        }
        return new Result(out, unmapped);
    }

    private static String stripParam(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Fused 3-D expert parameters: gate_up splits into gate and up halves; gpt-oss' [E, in, out] is turned round. */
    private static List<TensorSpec> fusedExperts(String bid, String kind, boolean bias, TensorSpec t, long hidden) {
        long[] s = t.shape();
        String blk = "blk." + bid + ".";
        String param = bias ? ".bias" : ".weight";
        if (bias) {
            if (s.length != 2) {
                throw new InvalidInputException(t.name() + ": expected a 2-D expert bias [experts, out], found "
                        + Arrays.toString(s));
            }
            if (kind.equals("gate_up_proj")) {
                long half = halve(t, s[1]);
                return List.of(spec(blk + "ffn_gate_exps" + param, new long[] {s[0], half}, t.sourceType()),
                        spec(blk + "ffn_up_exps" + param, new long[] {s[0], half}, t.sourceType()));
            }
            return List.of(spec(blk + expertKind(kind) + param, s, t.sourceType()));
        }
        if (s.length != 3) {
            throw new InvalidInputException(t.name() + ": expected a 3-D expert weight [experts, out, in], found "
                    + Arrays.toString(s));
        }
        long e = s[0];
        long out = s[1];
        long in = s[2];
        boolean inputsFirst = kind.equals("down_proj") ? hidden > 0 && out != hidden && in == hidden
                : hidden > 0 && in != hidden && out == hidden;
        if (inputsFirst) {
            long tmp = out;
            out = in;
            in = tmp;
        }
        if (kind.equals("gate_up_proj")) {
            long half = halve(t, out);
            return List.of(spec(blk + "ffn_gate_exps" + param, new long[] {e, half, in}, t.sourceType()),
                    spec(blk + "ffn_up_exps" + param, new long[] {e, half, in}, t.sourceType()));
        }
        return List.of(spec(blk + expertKind(kind) + param, new long[] {e, out, in}, t.sourceType()));
    }

    private static String expertKind(String kind) {
        return switch (kind) {
            case "gate_proj" -> "ffn_gate_exps";
            case "up_proj" -> "ffn_up_exps";
            default -> "ffn_down_exps";
        };
    }

    private static long halve(TensorSpec t, long fused) {
        if (fused % 2 != 0) {
            throw new InvalidInputException(t.name() + ": fused gate_up dimension " + fused + " is odd; expected"
                    + " gate and up halves of equal size");
        }
        return fused / 2;
    }

    /** Experts 0..E-1 of one kind in one layer, all the same shape, stacked into [E, ...]. */
    private static TensorSpec mergeExperts(String merged, TreeMap<Integer, TensorSpec> byIndex) {
        long[] shape = byIndex.firstEntry().getValue().shape();
        DType type = byIndex.firstEntry().getValue().sourceType();
        int expected = 0;
        for (Map.Entry<Integer, TensorSpec> e : byIndex.entrySet()) {
            if (e.getKey() != expected++) {
                throw new InvalidInputException(merged + ": experts are not numbered 0.." + (byIndex.size() - 1)
                        + " (missing expert " + (expected - 1) + ")");
            }
            if (!Arrays.equals(e.getValue().shape(), shape)) {
                throw new InvalidInputException(merged + ": expert " + e.getKey() + " has shape "
                        + Arrays.toString(e.getValue().shape()) + ", expected " + Arrays.toString(shape)
                        + " like expert 0");
            }
        }
        long[] stacked = new long[shape.length + 1];
        stacked[0] = byIndex.size();
        System.arraycopy(shape, 0, stacked, 1, shape.length);
        return spec(merged, stacked, type);
    }

    /** convert_hf_to_gguf writes 1-D tensors, norms, routers and position embeddings as F32. */
    private static TensorSpec spec(String name, long[] shape, DType source) {
        boolean f32 = shape.length <= 1 || name.endsWith("_norm.weight") || name.contains("ffn_gate_inp")
                || name.startsWith("position_embd.");
        return new TensorSpec(name, shape, f32 ? DType.F32 : source);
    }
}
