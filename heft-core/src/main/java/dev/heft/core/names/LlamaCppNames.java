package dev.heft.core.names;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one two-way table between Hugging Face and llama.cpp: architecture names (transformers' {@code model_type} <->
 * llama.cpp's {@code general.architecture}) and tensor names (transformers' module paths <-> llama.cpp's tensor names).
 *
 * <p>Sources: tensor names follow gguf-py's {@code gguf/tensor_mapping.py} ({@code TensorNameMap}: mappings_cfg and
 * block_mappings_cfg) and the {@code MODEL_TENSOR} names of {@code gguf/constants.py} (TENSOR_NAMES); architecture
 * names are {@code MODEL_ARCH_NAMES} of constants.py, paired with the transformers model types that
 * convert_hf_to_gguf.py registers for each ({@code @ModelBase.register(...)}). The test
 * {@code LlamaCppNamesTest} checks every tensor entry against gguf-py 0.19.0's own TensorNameMap
 * (scripts/names/gguf_tensor_map.py writes the reference).
 *
 * <p>The first Hugging Face name of an entry is the one {@link #toHf} returns (the Llama-style name).
 */
public final class LlamaCppNames {

    /** llama.cpp architecture -> transformers model types; the first one is the type heft counts the family as. */
    private static final Map<String, List<String>> ARCH = new LinkedHashMap<>();

    private static final Map<String, String> ARCH_BY_MODEL_TYPE = new HashMap<>();

    /** llama.cpp top-level tensor -> transformers module paths (without the .weight/.bias suffix). */
    private static final Map<String, List<String>> GLOBAL = new LinkedHashMap<>();
    /** llama.cpp in-block tensor (after {@code blk.N.}) -> transformers module paths inside the block. */
    private static final Map<String, List<String>> IN_BLOCK = new LinkedHashMap<>();

    private static final Map<String, String> GLOBAL_BY_HF = new HashMap<>();
    private static final Map<String, String> IN_BLOCK_BY_HF = new HashMap<>();
    /** Per-expert projection (transformers) -> llama.cpp's merged 3-D expert tensor. */
    private static final Map<String, String> EXPERT_BY_HF = new LinkedHashMap<>();

    static {
        arch("llama", "llama", "mistral", "mixtral");
        arch("mistral3", "mistral3");
        arch("qwen2", "qwen2");
        arch("qwen2moe", "qwen2_moe");
        arch("qwen3", "qwen3");
        arch("qwen3moe", "qwen3_moe");
        arch("gemma", "gemma");
        arch("gemma2", "gemma2");
        arch("gemma3", "gemma3_text", "gemma3");
        arch("phi2", "phi");
        arch("phi3", "phi3");
        arch("gpt2", "gpt2");
        arch("gptneox", "gpt_neox");
        arch("gptj", "gptj");
        arch("falcon", "falcon");
        arch("bloom", "bloom");
        arch("mamba", "mamba");
        arch("deepseek2", "deepseek_v2", "deepseek_v3");
        arch("gpt-oss", "gpt_oss");
        arch("llama4", "llama4", "llama4_text");
        arch("bert", "bert");
        arch("t5", "t5");
        arch("starcoder2", "starcoder2");

        // tensor_mapping.py mappings_cfg (MODEL_TENSOR.TOKEN_EMBD, POS_EMBD, TOKEN_EMBD_NORM, OUTPUT_NORM, OUTPUT).
        global(
                "token_embd",
                "model.embed_tokens",
                "transformer.wte",
                "gpt_neox.embed_in",
                "transformer.word_embeddings",
                "model.language_model.embed_tokens",
                "language_model.model.embed_tokens",
                "backbone.embeddings",
                "embed_tokens");
        global("position_embd", "transformer.wpe");
        global("token_embd_norm", "transformer.word_embeddings_layernorm");
        global(
                "output_norm",
                "model.norm",
                "transformer.ln_f",
                "gpt_neox.final_layer_norm",
                "transformer.norm_f",
                "model.language_model.norm",
                "language_model.model.norm",
                "backbone.norm_f",
                "norm");
        global("output", "lm_head", "embed_out", "language_model.lm_head");

        // tensor_mapping.py block_mappings_cfg, "{bid}" left out.
        block("attn_norm", "input_layernorm", "ln_1", "ln_mlp"); // Falcon-40B's ln_mlp is ATTN_NORM in gguf-py
        block("attn_norm_2", "ln_attn");
        block("attn_q", "self_attn.q_proj", "attn.q_proj");
        block("attn_k", "self_attn.k_proj", "attn.k_proj");
        block("attn_v", "self_attn.v_proj", "attn.v_proj");
        block(
                "attn_qkv",
                "self_attn.qkv_proj",
                "attn.c_attn",
                "self_attention.query_key_value",
                "attention.query_key_value");
        block(
                "attn_output",
                "self_attn.o_proj",
                "self_attn.dense",
                "attn.out_proj",
                "attn.c_proj",
                "self_attention.dense",
                "attention.dense");
        block("attn_q_norm", "self_attn.q_norm");
        block("attn_k_norm", "self_attn.k_norm");
        block("attn_sinks", "self_attn.sinks");
        // DeepSeek-V2/V3 multi-head latent attention (ATTN_Q_A, ATTN_Q_B, ATTN_KV_A_MQA, ATTN_KV_B, ATTN_K_B,
        // ATTN_V_B).
        block("attn_q_a", "self_attn.q_a_proj");
        block("attn_q_b", "self_attn.q_b_proj");
        block("attn_q_a_norm", "self_attn.q_a_layernorm");
        block("attn_kv_a_mqa", "self_attn.kv_a_proj_with_mqa");
        block("attn_kv_a_norm", "self_attn.kv_a_layernorm");
        block("attn_kv_b", "self_attn.kv_b_proj");
        block("attn_k_b", "self_attn.k_b_proj");
        block("attn_v_b", "self_attn.v_b_proj");
        block("ffn_norm", "post_attention_layernorm", "ln_2", "pre_feedforward_layernorm");
        block("post_attention_norm");
        block("post_ffw_norm", "post_feedforward_layernorm");
        block("ffn_gate", "mlp.gate_proj");
        block("ffn_up", "mlp.up_proj", "mlp.gate_up_proj", "mlp.c_fc", "mlp.dense_h_to_4h", "mlp.fc1");
        block("ffn_down", "mlp.down_proj", "mlp.c_proj", "mlp.dense_4h_to_h", "mlp.fc2");
        block("ffn_gate_inp", "mlp.gate", "block_sparse_moe.gate", "mlp.router");
        block("exp_probs_b", "mlp.gate.e_score_correction");
        block("ffn_gate_shexp", "mlp.shared_experts.gate_proj", "mlp.shared_expert.gate_proj");
        block("ffn_up_shexp", "mlp.shared_experts.up_proj", "mlp.shared_expert.up_proj");
        block("ffn_down_shexp", "mlp.shared_experts.down_proj", "mlp.shared_expert.down_proj");
        block("ffn_gate_inp_shexp", "mlp.shared_expert_gate");
        block("ffn_gate_exps");
        block("ffn_up_exps");
        block("ffn_down_exps");
        block("ffn_gate_up_exps");

        // Per-expert weights that convert_hf_to_gguf.py stacks into one 3-D tensor per layer.
        for (String moe : List.of("block_sparse_moe.experts", "mlp.experts")) {
            EXPERT_BY_HF.put(moe + ".w1", "ffn_gate_exps");
            EXPERT_BY_HF.put(moe + ".w3", "ffn_up_exps");
            EXPERT_BY_HF.put(moe + ".w2", "ffn_down_exps");
            EXPERT_BY_HF.put(moe + ".gate_proj", "ffn_gate_exps");
            EXPERT_BY_HF.put(moe + ".up_proj", "ffn_up_exps");
            EXPERT_BY_HF.put(moe + ".down_proj", "ffn_down_exps");
        }
    }

    private LlamaCppNames() {}

    private static void arch(String llamaCpp, String... modelTypes) {
        ARCH.put(llamaCpp, List.of(modelTypes));
        for (String t : modelTypes) {
            ARCH_BY_MODEL_TYPE.putIfAbsent(t, llamaCpp);
        }
    }

    private static void global(String llamaCpp, String... hf) {
        GLOBAL.put(llamaCpp, List.of(hf));
        for (String h : hf) {
            GLOBAL_BY_HF.put(h, llamaCpp);
        }
    }

    private static void block(String llamaCpp, String... hf) {
        IN_BLOCK.put(llamaCpp, List.of(hf));
        for (String h : hf) {
            IN_BLOCK_BY_HF.put(h, llamaCpp);
        }
    }

    /** llama.cpp's architecture name for a transformers model type ({@code deepseek_v3} -> {@code deepseek2}). */
    public static Optional<String> llamaCppArch(String modelType) {
        return Optional.ofNullable(ARCH_BY_MODEL_TYPE.get(modelType));
    }

    /** The transformers model type heft counts a llama.cpp architecture as ({@code deepseek2} -> deepseek_v2). */
    public static Optional<String> hfModelType(String llamaCppArch) {
        List<String> types = ARCH.get(llamaCppArch);
        return types == null ? Optional.empty() : Optional.of(types.getFirst());
    }

    /** llama.cpp's name for a transformers module path outside the blocks ({@code model.norm} -> output_norm). */
    public static Optional<String> globalToLlamaCpp(String hfModule) {
        return Optional.ofNullable(GLOBAL_BY_HF.get(hfModule));
    }

    /** llama.cpp's name for a module path inside a block ({@code self_attn.q_proj} -> attn_q). */
    public static Optional<String> blockToLlamaCpp(String hfModulePath) {
        return Optional.ofNullable(IN_BLOCK_BY_HF.get(hfModulePath));
    }

    /** The merged expert tensor for a per-expert projection ({@code mlp.experts.down_proj} -> ffn_down_exps). */
    public static Optional<String> expertToLlamaCpp(String hfModulePath) {
        return Optional.ofNullable(EXPERT_BY_HF.get(hfModulePath));
    }

    /**
     * The transformers name for a llama.cpp tensor name, Llama style: {@code blk.3.attn_q.weight} ->
     * {@code model.layers.3.self_attn.q_proj.weight}, {@code output_norm.weight} -> {@code model.norm.weight}.
     * Merged expert tensors have no single transformers counterpart and give empty.
     */
    public static Optional<String> toHf(String llamaCppName) {
        TensorName n = TensorName.parse(llamaCppName);
        String suffix = n.param().isEmpty() ? "" : "." + n.param();
        if (n.container().equals("blk") && n.module().isEmpty()) {
            List<String> hf = IN_BLOCK.get(n.projection());
            return hf == null || hf.isEmpty()
                    ? Optional.empty()
                    : Optional.of("model.layers." + n.block() + "." + hf.getFirst() + suffix);
        }
        if (n.block() < 0 && n.module().isEmpty()) {
            List<String> hf = GLOBAL.get(n.projection());
            return hf == null ? Optional.empty() : Optional.of(hf.getFirst() + suffix);
        }
        return Optional.empty();
    }

    /** Whether {@code name} is one of llama.cpp's top-level tensor names (token_embd, output_norm, output, ...). */
    public static boolean isGlobalTensor(String name) {
        return GLOBAL.containsKey(name);
    }

    /** Every in-block (transformers module path, llama.cpp name) pair of the table, for tests and documentation. */
    public static List<Map.Entry<String, String>> blockPairs() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        IN_BLOCK.forEach((k, v) -> v.forEach(h -> out.add(Map.entry(h, k))));
        return out;
    }

    /** Every top-level (transformers module, llama.cpp name) pair of the table. */
    public static List<Map.Entry<String, String>> globalPairs() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        GLOBAL.forEach((k, v) -> v.forEach(h -> out.add(Map.entry(h, k))));
        return out;
    }

    /** Every (transformers model type, llama.cpp architecture) pair. */
    public static List<Map.Entry<String, String>> archPairs() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        ARCH.forEach((k, v) -> v.forEach(h -> out.add(Map.entry(h, k))));
        return out;
    }
}
