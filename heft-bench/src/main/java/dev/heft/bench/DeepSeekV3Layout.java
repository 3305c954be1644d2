package dev.heft.bench;

import dev.heft.bench.SyntheticCheckpoints.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DeepSeek-V3 as deepseek-ai/DeepSeek-V3 stores it on the Hub: 61 layers of MLA attention (q_lora_rank 1536,
 * kv_lora_rank 512, 128 heads of 128 + 64 rope dims), the first 3 dense (intermediate 18432), the other 58 with 256
 * routed experts and one shared expert of 2048, plus the multi-token-prediction layer 61; linear weights in F8_E4M3 with
 * a F32 {@code weight_scale_inv} per 128x128 block, norms and router in BF16, the router's score correction bias in
 * F32; vocabulary 129280. 163 shards named {@code model-00001-of-000163.safetensors} as in the repo (six digits for
 * the count). Sparse files, as {@link SyntheticCheckpoints} writes them: real headers, no data.
 */
final class DeepSeekV3Layout {
    private static final long HIDDEN = 7168;
    private static final long HEADS = 128;
    private static final long Q_LORA = 1536;
    private static final long KV_LORA = 512;
    private static final long NOPE = 128;
    private static final long ROPE = 64;
    private static final long V_HEAD = 128;
    private static final long DENSE_FFN = 18432;
    private static final long EXPERT_FFN = 2048;
    private static final int EXPERTS = 256;
    private static final int LAYERS = 61;
    private static final int DENSE_LAYERS = 3;
    private static final long VOCAB = 129280;
    private static final int SHARDS = 163;
    private static final long BLOCK = 128;

    private DeepSeekV3Layout() {}

    static void write(Path dir) throws IOException {
        List<Spec> specs = new ArrayList<>();
        specs.add(bf16("model.embed_tokens.weight", VOCAB, HIDDEN));
        for (int l = 0; l <= LAYERS; l++) { // layer 61 is the MTP module
            String p = "model.layers." + l + ".";
            specs.add(bf16(p + "input_layernorm.weight", HIDDEN));
            specs.add(bf16(p + "post_attention_layernorm.weight", HIDDEN));
            fp8(specs, p + "self_attn.q_a_proj", Q_LORA, HIDDEN);
            specs.add(bf16(p + "self_attn.q_a_layernorm.weight", Q_LORA));
            fp8(specs, p + "self_attn.q_b_proj", HEADS * (NOPE + ROPE), Q_LORA);
            fp8(specs, p + "self_attn.kv_a_proj_with_mqa", KV_LORA + ROPE, HIDDEN);
            specs.add(bf16(p + "self_attn.kv_a_layernorm.weight", KV_LORA));
            fp8(specs, p + "self_attn.kv_b_proj", HEADS * (NOPE + V_HEAD), KV_LORA);
            fp8(specs, p + "self_attn.o_proj", HIDDEN, HEADS * V_HEAD);
            if (l < DENSE_LAYERS) {
                mlp(specs, p + "mlp.", DENSE_FFN);
            } else {
                specs.add(bf16(p + "mlp.gate.weight", EXPERTS, HIDDEN));
                specs.add(new Spec(p + "mlp.gate.e_score_correction_bias", "F32", 4, EXPERTS));
                for (int e = 0; e < EXPERTS; e++) {
                    mlp(specs, p + "mlp.experts." + e + ".", EXPERT_FFN);
                }
                mlp(specs, p + "mlp.shared_experts.", EXPERT_FFN);
            }
            if (l == LAYERS) {
                specs.add(bf16(p + "embed_tokens.weight", VOCAB, HIDDEN));
                specs.add(bf16(p + "enorm.weight", HIDDEN));
                specs.add(bf16(p + "hnorm.weight", HIDDEN));
                specs.add(bf16(p + "eh_proj.weight", HIDDEN, 2 * HIDDEN));
                specs.add(bf16(p + "shared_head.norm.weight", HIDDEN));
                specs.add(bf16(p + "shared_head.head.weight", VOCAB, HIDDEN));
            }
        }
        specs.add(bf16("model.norm.weight", HIDDEN));
        specs.add(bf16("lm_head.weight", VOCAB, HIDDEN));
        SyntheticCheckpoints.writeSharded(dir, specs, SHARDS, "model-%05d-of-%06d.safetensors");
        Files.writeString(dir.resolve("config.json"), CONFIG);
    }

    private static void mlp(List<Spec> specs, String prefix, long ffn) {
        fp8(specs, prefix + "gate_proj", ffn, HIDDEN);
        fp8(specs, prefix + "up_proj", ffn, HIDDEN);
        fp8(specs, prefix + "down_proj", HIDDEN, ffn);
    }

    /** An F8_E4M3 weight [out, in] and its F32 inverse scale per 128x128 block [ceil(out/128), ceil(in/128)]. */
    private static void fp8(List<Spec> specs, String module, long out, long in) {
        specs.add(new Spec(module + ".weight", "F8_E4M3", 1, out, in));
        specs.add(
                new Spec(module + ".weight_scale_inv", "F32", 4, (out + BLOCK - 1) / BLOCK, (in + BLOCK - 1) / BLOCK));
    }

    private static Spec bf16(String name, long... shape) {
        return new Spec(name, shape);
    }

    /** deepseek-ai/DeepSeek-V3's config.json (the fields transformers' DeepseekV3Config reads). */
    private static final String CONFIG = """
            {
              "architectures": ["DeepseekV3ForCausalLM"],
              "model_type": "deepseek_v3",
              "vocab_size": 129280,
              "hidden_size": 7168,
              "intermediate_size": 18432,
              "moe_intermediate_size": 2048,
              "num_hidden_layers": 61,
              "num_nextn_predict_layers": 1,
              "num_attention_heads": 128,
              "num_key_value_heads": 128,
              "n_shared_experts": 1,
              "n_routed_experts": 256,
              "routed_scaling_factor": 2.5,
              "kv_lora_rank": 512,
              "q_lora_rank": 1536,
              "qk_rope_head_dim": 64,
              "v_head_dim": 128,
              "qk_nope_head_dim": 128,
              "topk_method": "noaux_tc",
              "n_group": 8,
              "topk_group": 4,
              "num_experts_per_tok": 8,
              "moe_layer_freq": 1,
              "first_k_dense_replace": 3,
              "norm_topk_prob": true,
              "scoring_func": "sigmoid",
              "hidden_act": "silu",
              "max_position_embeddings": 163840,
              "rms_norm_eps": 1e-06,
              "rope_theta": 10000,
              "rope_scaling": {"beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 1.0, "mscale_all_dim": 1.0,
                               "original_max_position_embeddings": 4096, "type": "yarn"},
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "quantization_config": {"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8",
                                      "weight_block_size": [128, 128]}
            }
            """;
}
