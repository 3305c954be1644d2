package dev.heft.core.arch.hf;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parameter list ({@code --tensors}) of a config, with transformers 5 names and shapes. This is the slow,
 * per-tensor path, kept apart from counting: {@link HfArchitectures#count} never builds it. Available for the
 * Llama-style families (llama, mistral, mixtral, qwen2/qwen2_moe/qwen3/qwen3_moe, gemma/gemma2/gemma3_text, phi3,
 * deepseek_v2/v3, gpt_oss); other families answer empty.
 */
public final class HfTensors {
    private static final long MAX_LISTED = 5_000_000;

    private HfTensors() {}

    public static Optional<List<HfTensor>> list(JsonObject config) {
        Optional<HfModelType> exact = HfModelType.of(config.getString("model_type", ""));
        if (exact.isEmpty()) {
            return Optional.empty(); // an approximated family has no per-tensor names to list
        }
        HfModelType type = exact.get();
        Optional<HfModelType.Spec> spec = type.spec();
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(llamaStyle(spec.get().apply(new HfConfig(config, type.id()))));
        } catch (ArithmeticException e) {
            throw new InvalidInputException(
                    "config.json: sizes of model_type '" + type.id() + "' overflow a 64-bit parameter count", e);
        }
    }

    private static final class Out {
        final List<HfTensor> tensors = new ArrayList<>();

        void add(String name, LayerKind kind, String cls, long... shape) {
            if (tensors.size() >= MAX_LISTED) {
                throw new InvalidInputException("config.json: the model has more than " + MAX_LISTED
                        + " parameter tensors; refusing to list them");
            }
            List<Long> s = new ArrayList<>(shape.length);
            for (long d : shape) {
                s.add(d);
            }
            tensors.add(new HfTensor(name, s, kind, cls, Optional.empty()));
        }

        /** A norm's weight (and bias for a LayerNorm with one); nothing for OLMo's parameter-free LayerNorm. */
        void norm(DecoderSpec s, String name, long size) {
            if (s.normWeights) {
                add(name + ".weight", LayerKind.NORM, s.norm(), size);
                if (s.normBias) {
                    add(name + ".bias", LayerKind.NORM, s.norm(), size);
                }
            }
        }

        void linear(String name, LayerKind kind, long in, long out, boolean bias) {
            add(name + ".weight", kind, ModuleTally.LINEAR, out, in);
            if (bias) {
                add(name + ".bias", kind, ModuleTally.LINEAR, out);
            }
        }
    }

    static List<HfTensor> llamaStyle(DecoderSpec s) {
        Out o = new Out();
        long h = s.hidden;
        String norm = s.norm();
        LayerKind a = LayerKind.ATTENTION;
        o.add("model.embed_tokens.weight", LayerKind.EMBEDDING, s.embeddingClass, s.vocab, h);
        for (int i = 0; i < s.layers; i++) {
            String p = "model.layers." + i + ".";
            if (s.layerNorms.contains("input_layernorm")) {
                o.norm(s, p + "input_layernorm", h);
            }
            String at = p + "self_attn.";
            if (s.mla != null) {
                TransformerShape.Mla m = s.mla;
                long qk = m.qkNopeHeadDim() + m.qkRopeHeadDim();
                if (m.qLoraRank() == 0) {
                    o.linear(at + "q_proj", a, h, s.heads * qk, false);
                } else {
                    o.linear(at + "q_a_proj", a, h, m.qLoraRank(), s.oBias);
                    o.add(at + "q_a_layernorm.weight", LayerKind.NORM, norm, m.qLoraRank());
                    o.linear(at + "q_b_proj", a, m.qLoraRank(), s.heads * qk, false);
                }
                o.linear(at + "kv_a_proj_with_mqa", a, h, m.kvLoraRank() + m.qkRopeHeadDim(), s.oBias);
                o.add(at + "kv_a_layernorm.weight", LayerKind.NORM, norm, m.kvLoraRank());
                o.linear(at + "kv_b_proj", a, m.kvLoraRank(), s.heads * (m.qkNopeHeadDim() + m.vHeadDim()), false);
                o.linear(at + "o_proj", a, s.heads * m.vHeadDim(), h, s.oBias);
            } else {
                long q = s.heads * s.headDim;
                long kv = s.kvHeads * s.headDim;
                if (s.fusedQkv) {
                    o.linear(at + "qkv_proj", a, h, q + 2 * kv, s.qkvBias);
                } else {
                    o.linear(at + "q_proj", a, h, q, s.qkvBias);
                    o.linear(at + "k_proj", a, h, kv, s.qkvBias);
                    o.linear(at + "v_proj", a, h, kv, s.qkvBias);
                }
                o.linear(at + "o_proj", a, q, h, s.oBias);
                if (s.qkNorm) {
                    String qkClass = s.qkNormClass != null ? s.qkNormClass : norm;
                    o.add(at + s.qkNormNames.get(0) + ".weight", LayerKind.NORM, qkClass, s.qkNormFull ? q : s.headDim);
                    o.add(
                            at + s.qkNormNames.get(1) + ".weight",
                            LayerKind.NORM,
                            qkClass,
                            s.qkNormFull ? kv : s.headDim);
                }
                if (s.attentionSinks) {
                    o.add(at + "sinks", a, s.prefix + "Attention", s.heads);
                }
            }
            for (String n : s.layerNorms) {
                if (!n.equals("input_layernorm")) {
                    o.norm(s, p + n, h);
                }
            }
            boolean sparse = s.moe != null && i < s.moe.sparse.length && s.moe.sparse[i];
            if (sparse) {
                moe(o, s, p + "mlp.");
            } else {
                mlp(o, s, p + "mlp.", s.intermediate);
            }
        }
        o.norm(s, "model.norm", h);
        if (s.tieWordEmbeddings) {
            o.tensors.add(new HfTensor(
                    "lm_head.weight",
                    List.of(s.vocab, h),
                    LayerKind.HEAD,
                    ModuleTally.LINEAR,
                    Optional.of("model.embed_tokens.weight")));
            if (s.lmHeadBias) {
                o.add("lm_head.bias", LayerKind.HEAD, ModuleTally.LINEAR, s.vocab);
            }
        } else {
            o.linear("lm_head", LayerKind.HEAD, h, s.vocab, s.lmHeadBias);
        }
        return List.copyOf(o.tensors);
    }

    private static void mlp(Out o, DecoderSpec s, String p, long inter) {
        if (!s.gated) {
            o.linear(p + s.upName, LayerKind.MLP, s.hidden, inter, s.mlpBias);
            o.linear(p + s.downName, LayerKind.MLP, inter, s.hidden, s.mlpBias);
            return;
        }
        if (s.fusedGateUp) {
            o.linear(p + "gate_up_proj", LayerKind.MLP, s.hidden, 2 * inter, s.mlpBias);
        } else {
            o.linear(p + "gate_proj", LayerKind.MLP, s.hidden, inter, s.mlpBias);
            o.linear(p + "up_proj", LayerKind.MLP, s.hidden, inter, s.mlpBias);
        }
        o.linear(p + "down_proj", LayerKind.MLP, inter, s.hidden, s.mlpBias);
    }

    private static void moe(Out o, DecoderSpec s, String p) {
        DecoderSpec.MoeSpec m = s.moe;
        long h = s.hidden;
        long e = m.experts;
        long i = m.expertIntermediate;
        String router = m.expertBias ? "router" : "gate"; // gpt-oss names its router mlp.router
        o.add(p + router + ".weight", LayerKind.ROUTER, m.routerClass, e, h);
        if (m.routerBias) {
            o.add(p + router + ".bias", LayerKind.ROUTER, m.routerClass, e);
        }
        if (m.expertBias) {
            // gpt-oss stores expert matrices input-major: gate_up_proj (E, H, 2I), down_proj (E, I, H)
            o.add(p + "experts.gate_up_proj", LayerKind.EXPERTS, m.expertsClass, e, h, 2 * i);
            o.add(p + "experts.gate_up_proj_bias", LayerKind.EXPERTS, m.expertsClass, e, 2 * i);
            o.add(p + "experts.down_proj", LayerKind.EXPERTS, m.expertsClass, e, i, h);
            o.add(p + "experts.down_proj_bias", LayerKind.EXPERTS, m.expertsClass, e, h);
        } else {
            o.add(p + "experts.gate_up_proj", LayerKind.EXPERTS, m.expertsClass, e, 2 * i, h);
            o.add(p + "experts.down_proj", LayerKind.EXPERTS, m.expertsClass, e, h, i);
        }
        if (m.sharedIntermediate > 0) {
            // DeepSeek: shared_experts; Qwen2-MoE: shared_expert with a sigmoid shared_expert_gate
            mlp(o, s, p + (m.sharedExpertGate ? "shared_expert." : "shared_experts."), m.sharedIntermediate);
        }
        if (m.sharedExpertGate) {
            o.linear(p + "shared_expert_gate", LayerKind.ROUTER, h, 1, false);
        }
    }
}
