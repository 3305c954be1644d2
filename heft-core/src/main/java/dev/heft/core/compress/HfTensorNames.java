package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.names.LlamaCppNames;
import dev.heft.core.names.TensorName;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps Hugging Face tensor names to the names llama.cpp's converter gives them, so a safetensors model or an
 * architecture description can be planned with llama.cpp's rules. Names are taken apart by the shared
 * {@link TensorName} parser and looked up in the one {@link LlamaCppNames} table. Follows gguf-py's tensor_mapping.py
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

    /** The language model's block containers (the shared parser's container), as the converter accepts them. */
    private static final java.util.Set<String> LM_CONTAINERS = java.util.Set.of(
            "model.layers",
            "layers",
            "h",
            "blocks",
            "transformer.h",
            "transformer.layers",
            "transformer.blocks",
            "gpt_neox.layers",
            "backbone.layers",
            "model.language_model.layers",
            "language_model.model.layers");
    /** GPT-2 Conv1D modules: stored [in, out], transposed by the converter. */
    private static final List<String> CONV1D = List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");

    private HfTensorNames() {}

    public static Result map(List<TensorSpec> hf) {
        // Gemma 2/3 put a norm after attention *and* before the MLP; there post_attention_layernorm is
        // post_attention_norm and pre_feedforward_layernorm is ffn_norm (tensor_mapping.py ATTN_POST_NORM).
        boolean gemmaNorms = hf.stream().anyMatch(t -> t.name().contains(".pre_feedforward_layernorm."));
        // GPT-2's Conv1D stores c_attn as [in, 3*in]; GPTBigCode's Linear stores it [out, in] with out <= 3*in.
        boolean conv1d = hf.stream()
                .anyMatch(t -> t.name().endsWith("attn.c_attn.weight")
                        && t.shape().length == 2
                        && t.shape()[1] > t.shape()[0]);
        long hidden = hf.stream()
                .filter(t -> t.shape().length == 2
                        && LlamaCppNames.globalToLlamaCpp(stripParam(t.name()))
                                .filter("token_embd"::equals)
                                .isPresent())
                .mapToLong(t -> t.shape()[1])
                .findFirst()
                .orElse(-1);
        List<TensorSpec> out = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        // (layer, kind, suffix) -> expert index -> spec, merged after the pass
        Map<String, TreeMap<Integer, TensorSpec>> experts = new LinkedHashMap<>();
        for (TensorSpec t : hf) {
            String name = t.name();
            TensorName n = TensorName.parse(name);
            String param = n.param();
            if (n.inBlock() && LM_CONTAINERS.contains(n.container())) {
                String bid = Integer.toString(n.block());
                boolean fusedBias = param.isEmpty() && n.projection().endsWith("_proj_bias");
                if ((param.isEmpty() || fusedBias)
                        && (n.module().equals("mlp.experts") || n.module().equals("block_sparse_moe.experts"))) {
                    String kind = fusedBias
                            ? n.projection().substring(0, n.projection().length() - "_bias".length())
                            : n.projection();
                    if (kind.equals("gate_up_proj")
                            || kind.equals("gate_proj")
                            || kind.equals("up_proj")
                            || kind.equals("down_proj")) {
                        out.addAll(fusedExperts(bid, kind, fusedBias, t, hidden));
                        continue;
                    }
                }
                if (param.equals("weight") || param.equals("bias")) {
                    if (n.expert() >= 0) {
                        String kind = LlamaCppNames.expertToLlamaCpp(n.module() + "." + n.projection())
                                .orElse(null);
                        if (kind != null) {
                            String merged = "blk." + bid + "." + kind + "." + param;
                            TensorSpec prev = experts.computeIfAbsent(merged, k -> new TreeMap<>())
                                    .put(n.expert(), t);
                            if (prev != null) {
                                throw new InvalidInputException("expert tensor listed twice: " + name);
                            }
                            continue;
                        }
                    }
                    String module = n.modulePath();
                    String target = LlamaCppNames.blockToLlamaCpp(module).orElse(null);
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
                } else if (n.modulePath().equals("mlp.gate.e_score_correction_bias")) {
                    // DeepSeek-V3's router bias: the converter renames it e_score_correction.bias (FFN_EXP_PROBS_B).
                    out.add(spec("blk." + bid + ".exp_probs_b.bias", t.shape(), t.sourceType()));
                    continue;
                }
            } else if (!n.inBlock() && (param.equals("weight") || param.equals("bias"))) {
                String target = LlamaCppNames.globalToLlamaCpp(n.modulePath()).orElse(null);
                if (target != null) {
                    out.add(spec(target + "." + param, t.shape(), t.sourceType()));
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
                throw new InvalidInputException(
                        t.name() + ": expected a 2-D expert bias [experts, out], found " + Arrays.toString(s));
            }
            if (kind.equals("gate_up_proj")) {
                long half = halve(t, s[1]);
                return List.of(
                        spec(blk + "ffn_gate_exps" + param, new long[] {s[0], half}, t.sourceType()),
                        spec(blk + "ffn_up_exps" + param, new long[] {s[0], half}, t.sourceType()));
            }
            return List.of(spec(blk + expertKind(kind) + param, s, t.sourceType()));
        }
        if (s.length != 3) {
            throw new InvalidInputException(
                    t.name() + ": expected a 3-D expert weight [experts, out, in], found " + Arrays.toString(s));
        }
        long e = s[0];
        long out = s[1];
        long in = s[2];
        boolean inputsFirst = kind.equals("down_proj")
                ? hidden > 0 && out != hidden && in == hidden
                : hidden > 0 && in != hidden && out == hidden;
        if (inputsFirst) {
            long tmp = out;
            out = in;
            in = tmp;
        }
        if (kind.equals("gate_up_proj")) {
            long half = halve(t, out);
            return List.of(
                    spec(blk + "ffn_gate_exps" + param, new long[] {e, half, in}, t.sourceType()),
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
        boolean f32 = shape.length <= 1
                || name.endsWith("_norm.weight")
                || name.contains("ffn_gate_inp")
                || name.startsWith("position_embd.");
        return new TensorSpec(name, shape, f32 ? DType.F32 : source);
    }
}
