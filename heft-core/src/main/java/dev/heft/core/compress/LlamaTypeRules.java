package dev.heft.core.compress;

import static dev.heft.core.compress.LlamaFileType.*;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import java.util.Optional;

/**
 * A port of llama.cpp's per-tensor type selection in src/llama-quant.cpp at commit
 * 007dbbf3fd17eefe9b47fee45f48f7ba5e62b714 ({@code tensor_get_category}, {@code llama_tensor_get_type_impl},
 * {@code tensor_type_fallback}): which ggml type one quantizable tensor gets under a file type, and the fallback when
 * its row length does not fill whole blocks. The fixtures in ../shared/fixtures/gguf were written by c392e50
 * (2025-02-20); on every tensor they hold (dense llama, separate q/k/v, no fused qkv or MLA) both commits choose the
 * same types, which the fixture tests check bit for bit.
 *
 * <p>What changed upstream between the two commits, and is followed here: tensors are first put in a category by name
 * (the order of the tests is llama.cpp's); {@code attn_qkv} and DeepSeek's {@code attn_kv_b} count as attn_v-like
 * ({@code category_is_attn_v}), so they take attn_v's rules and advance its counter; the fallback for Q2_K/Q3_K rows is
 * Q4_0 (it was IQ4_NL); the fallback also runs under {@code --pure}; IQ3_XXS needs an importance matrix too.
 *
 * <p>The rules are stateful in the same way as the original: attn_v-like, ffn_down, ffn_gate and ffn_up tensors advance
 * counters ({@code i_attention_wv}, {@code i_ffn_down}, ...) in the order llama-quantize visits tensors, and several
 * rules depend on the counter rather than on the layer number in the name. {@link LlamaQuantPlanner} visits tensors
 * in llama-quantize's order so the counters match. For MoE models (n_expert > 1) the ffn rules read the layer from
 * the name ({@code blk.N.}), through the shared tensor-name parser.
 *
 * <p>Names are matched with substring tests exactly as the C++ does ({@code name.find("attn_v.weight")}), so
 * {@code blk.0.ffn_down_exps.weight} and {@code blk.0.ffn_down_shexp.weight} are ffn_down tensors as they are there.
 * DeepSeek's split MLA tensors {@code attn_k_b}/{@code attn_v_b} match no category and take the default type; the
 * 128-wide rows of attn_k_b then fall back.
 */
final class LlamaTypeRules {

    /** {@code tensor_category}: broad classes by name, tested in llama.cpp's order. */
    enum Category {
        TOKEN_EMBD,
        ATTENTION_Q,
        ATTENTION_V,
        ATTENTION_K,
        ATTENTION_QKV,
        ATTENTION_KV_B,
        ATTENTION_OUTPUT,
        FFN_UP,
        FFN_GATE,
        FFN_DOWN,
        OUTPUT,
        OTHER;

        /** {@code tensor_get_category}. */
        static Category of(String name) {
            if (name.equals("output.weight")) {
                return OUTPUT;
            }
            if (name.equals("token_embd.weight") || name.equals("per_layer_token_embd.weight")) {
                return TOKEN_EMBD;
            }
            if (name.contains("attn_qkv.weight")) {
                return ATTENTION_QKV;
            }
            if (name.contains("attn_kv_b.weight")) {
                return ATTENTION_KV_B;
            }
            if (name.contains("attn_v.weight")) {
                return ATTENTION_V;
            }
            if (name.contains("attn_k.weight")) {
                return ATTENTION_K;
            }
            if (name.contains("attn_q.weight")) {
                return ATTENTION_Q;
            }
            if (name.contains("attn_output.weight")) {
                return ATTENTION_OUTPUT;
            }
            if (name.contains("ffn_up")) {
                return FFN_UP;
            }
            if (name.contains("ffn_gate")) {
                return FFN_GATE;
            }
            if (name.contains("ffn_down")) {
                return FFN_DOWN;
            }
            return OTHER;
        }

        /** {@code category_is_attn_v}: the tensors llama.cpp treats as attn_v (more sensitive to quantization). */
        boolean isAttnV() {
            return this == ATTENTION_V || this == ATTENTION_QKV || this == ATTENTION_KV_B;
        }
    }

    /** {@code quantize_state_impl}: the counters and flags that persist across tensors. */
    static final class State {
        final ModelFacts model;
        final boolean hasImatrix;
        final boolean hasOutput;
        final int nAttentionWv;
        final int nFfnDown;
        final int nFfnGate;
        final int nFfnUp;
        int iAttentionWv;
        int iFfnDown;
        int iFfnGate;
        int iFfnUp;
        int nKQuantized;
        int nFallback;

        State(ModelFacts model, boolean hasImatrix, boolean hasOutput, int nAttentionWv) {
            this.model = model;
            this.hasImatrix = hasImatrix;
            this.hasOutput = hasOutput;
            this.nAttentionWv = nAttentionWv;
            // qs.n_ffn_down = qs.n_ffn_gate = qs.n_ffn_up = (int)model.hparams.n_layer;
            this.nFfnDown = model.nLayer();
            this.nFfnGate = model.nLayer();
            this.nFfnUp = model.nLayer();
        }
    }

    /**
     * The type chosen for one tensor and, when a rule changed it from the default, why; {@code refusal} is present when llama-quantize stops on this tensor
     * (its row fits no block of the chosen type and that type has no fallback), and then {@code type} is meaningless.
     */
    record Choice(DType type, String reason, Optional<String> refusal) {
        Choice(DType type, String reason) {
            this(type, reason, Optional.empty());
        }

        static Choice refused(DType wanted, String why) {
            return new Choice(wanted, why, Optional.of(why));
        }
    }

    private LlamaTypeRules() {}

    // use_more_bits: the first and last eighth of the layers, and every third layer in between.
    static boolean useMoreBits(int iLayer, int nLayers) {
        return iLayer < nLayers / 8 || iLayer >= 7 * nLayers / 8 || (iLayer - nLayers / 8) % 3 == 2;
    }

    /** An IQ1/IQ2 file type: the branch of llama_tensor_get_type_impl for the lowest-bit mixtures. */
    private static boolean iq2Family(LlamaFileType f) {
        return f == IQ2_XXS || f == IQ2_XS || f == IQ1_S || f == IQ2_S || f == IQ2_M || f == IQ1_M;
    }

    /**
     * llama_tensor_get_type for a tensor that tensor_allows_quantization admitted, without the --token-embedding-type
     * and --output-tensor-type overrides (the planner applies those first, as the outer wrapper does). {@code ne0} is
     * the row length; {@code pure} skips the mixture rules but not the fallback.
     */
    static Choice choose(State qs, DType defaultType, String name, long ne0, LlamaFileType ftype, boolean pure) {
        Category category = Category.of(name);
        DType newType = defaultType;
        String reason = "default " + defaultType;
        if (!pure) {
            Choice mixed = mixture(qs, defaultType, name, ne0, ftype, category);
            newType = mixed.type();
            reason = mixed.reason();
        } else {
            reason = "--pure: " + defaultType;
        }
        return fallback(qs, name, ne0, newType, reason);
    }

    /** llama_tensor_get_type_impl: the file type's mixture rules. */
    private static Choice mixture(
            State qs, DType defaultType, String name, long ne0, LlamaFileType ftype, Category category) {
        ModelFacts hp = qs.model;
        boolean falcon = "falcon".equals(hp.arch());
        int nGqa = hp.nGqa();
        int nExpert = hp.nExpert();
        DType newType = defaultType;
        String reason = "default " + defaultType;

        // Tied embeddings: with no output.weight, token_embd.weight gets the output tensor's treatment.
        if (category == Category.OUTPUT || (!qs.hasOutput && category == Category.TOKEN_EMBD)) {
            long qk = newType.blockElements();
            if (ftype == MXFP4_MOE) {
                newType = DType.Q8_0;
                reason = "output tensor of MXFP4_MOE: Q8_0";
            } else if (falcon || ne0 % qk != 0) {
                newType = DType.Q8_0;
                reason = falcon
                        ? "output tensor of falcon: Q8_0"
                        : "output tensor: row " + ne0 + " not a multiple of " + qk + " (" + defaultType + "): Q8_0";
            } else if (ftype == IQ2_XXS
                    || ftype == IQ2_XS
                    || ftype == IQ3_XXS
                    || ftype == IQ1_S
                    || ftype == IQ2_S
                    || ftype == IQ2_M
                    || ftype == IQ1_M) {
                newType = DType.Q5_K;
                reason = "output tensor raised to Q5_K";
            } else if (newType != DType.Q8_0) {
                newType = DType.Q6_K;
                reason = "output tensor raised to Q6_K";
            }
        } else if (ftype == MXFP4_MOE) {
            // MoE expert tensors (3-D, ne[2] > 1) -> MXFP4, everything else -> Q8_0.
            boolean experts = name.contains("_exps.");
            newType = experts ? DType.MXFP4 : DType.Q8_0;
            reason = experts ? "MoE expert tensor: MXFP4" : "not an expert tensor: Q8_0";
        } else if (category == Category.TOKEN_EMBD) {
            if (ftype == IQ2_XXS || ftype == IQ2_XS || ftype == IQ1_S || ftype == IQ1_M) {
                newType = DType.Q2_K;
                reason = "token embedding: Q2_K";
            } else if (ftype == IQ2_S || ftype == IQ2_M || ftype == IQ3_XXS) {
                newType = DType.IQ3_S;
                reason = "token embedding: IQ3_S";
            } else if (ftype == TQ1_0 || ftype == TQ2_0) {
                newType = DType.Q4_K;
                reason = "token embedding: Q4_K";
            }
        } else if (iq2Family(ftype)) {
            if (category.isAttnV()) {
                if (nGqa >= 4 || nExpert >= 4) {
                    newType = DType.Q4_K;
                } else {
                    newType = ftype == IQ2_S || ftype == IQ2_M ? DType.IQ3_S : DType.Q2_K;
                }
                reason = "attn_v-like (n_gqa " + nGqa + ", n_expert " + nExpert + "): " + newType;
                ++qs.iAttentionWv;
            } else if (nExpert == 8 && category == Category.ATTENTION_K) {
                newType = DType.Q4_K;
                reason = "attn_k of an 8-expert model: Q4_K";
            } else if (category == Category.FFN_DOWN) {
                if (qs.iFfnDown < qs.nFfnDown / 8) {
                    newType = ftype == IQ2_S || ftype == IQ2_M ? DType.IQ3_S : DType.Q2_K;
                    reason = "ffn_down in the first eighth of layers: " + newType;
                }
                ++qs.iFfnDown;
            } else if (category == Category.ATTENTION_OUTPUT) {
                if (nExpert == 8) {
                    newType = DType.Q5_K;
                    reason = "attn_output of an 8-expert model: Q5_K";
                } else if (ftype == IQ1_S || ftype == IQ1_M) {
                    newType = DType.IQ2_XXS;
                    reason = "attn_output: IQ2_XXS";
                } else if (ftype == IQ2_S || ftype == IQ2_M) {
                    newType = DType.IQ3_S;
                    reason = "attn_output: IQ3_S";
                }
            }
        } else if (category.isAttnV()) {
            int i = qs.iAttentionWv;
            if (ftype == Q2_K) {
                newType = nGqa >= 4 ? DType.Q4_K : DType.Q3_K;
            } else if (ftype == Q2_K_S && nGqa >= 4) {
                newType = DType.Q4_K;
            } else if (ftype == IQ3_XXS) {
                newType = nGqa >= 4 ? DType.Q4_K : !qs.hasImatrix ? DType.IQ3_S : DType.IQ3_XXS;
            } else if ((ftype == IQ3_XS || ftype == IQ3_S) && nGqa >= 4) {
                newType = DType.Q4_K;
            } else if (ftype == IQ3_M) {
                newType = DType.Q4_K;
            } else if (ftype == Q3_K_M) {
                newType = i < 2 ? DType.Q5_K : DType.Q4_K;
            } else if (ftype == Q3_K_L) {
                newType = DType.Q5_K;
            } else if ((ftype == IQ4_NL || ftype == IQ4_XS) && nGqa >= 4) {
                newType = DType.Q5_K;
            } else if ((ftype == Q4_K_M || ftype == Q5_K_M) && useMoreBits(i, qs.nAttentionWv)) {
                newType = DType.Q6_K;
            } else if (ftype == Q4_K_S && i < 4) {
                newType = DType.Q5_K;
            }
            if (hp.is70B() && (newType == DType.Q3_K || newType == DType.Q4_K)) {
                // 70B: 8 query heads share each attn_v, so it is small; more bits cost almost nothing.
                newType = DType.Q5_K;
            }
            if (nExpert == 8) {
                newType = DType.Q8_0;
            }
            if (newType != defaultType) {
                reason = category.name().toLowerCase(java.util.Locale.ROOT) + " #" + i + " of " + qs.nAttentionWv
                        + " attn_v-like (n_gqa " + nGqa + "): " + newType;
            }
            ++qs.iAttentionWv;
        } else if (category == Category.ATTENTION_K) {
            if (nExpert == 8) {
                newType = DType.Q8_0;
            } else if (ftype == IQ3_XS) {
                newType = DType.IQ3_XXS;
            } else if (ftype == IQ3_XXS) {
                newType = DType.IQ2_S;
            }
            if (newType != defaultType) {
                reason = "attn_k: " + newType;
            }
        } else if (category == Category.ATTENTION_Q) {
            if (ftype == IQ3_XS) {
                newType = DType.IQ3_XXS;
            } else if (ftype == IQ3_XXS) {
                newType = DType.IQ2_S;
            }
            if (newType != defaultType) {
                reason = "attn_q: " + newType;
            }
        } else if (category == Category.FFN_DOWN) {
            int[] info = layerInfo(qs.iFfnDown, qs.nFfnDown, name, nExpert);
            int iLayer = info[0];
            int nLayer = info[1];
            if (ftype == Q2_K) {
                newType = DType.Q3_K;
            } else if (ftype == Q2_K_S) {
                if (iLayer < nLayer / 8) {
                    newType = DType.Q4_K;
                }
            } else if (ftype == IQ3_XXS && !qs.hasImatrix) {
                newType = iLayer < nLayer / 8 ? DType.Q4_K : DType.Q3_K;
            } else if (ftype == Q3_K_M) {
                newType = iLayer < nLayer / 16
                        ? DType.Q5_K
                        : !falcon || useMoreBits(iLayer, nLayer) ? DType.Q4_K : DType.Q3_K;
            } else if (ftype == IQ3_M && (iLayer < nLayer / 8 || (nExpert == 8 && useMoreBits(iLayer, nLayer)))) {
                newType = DType.Q4_K;
            } else if (ftype == Q3_K_L) {
                newType = falcon ? DType.Q4_K : DType.Q5_K;
            } else if (ftype == Q4_K_M) {
                if (falcon) {
                    newType = iLayer < nLayer / 16 ? DType.Q6_K : useMoreBits(iLayer, nLayer) ? DType.Q5_K : DType.Q4_K;
                } else if (useMoreBits(iLayer, nLayer)) {
                    newType = DType.Q6_K;
                }
            } else if (iLayer < nLayer / 8 && (ftype == IQ4_NL || ftype == IQ4_XS) && !qs.hasImatrix) {
                newType = DType.Q5_K;
            } else if (ftype == Q5_K_M && useMoreBits(iLayer, nLayer)) {
                newType = DType.Q6_K;
            } else if (ftype == Q4_K_S && !falcon && iLayer < nLayer / 8) {
                newType = DType.Q5_K;
            } else if ((ftype == Q4_0 || ftype == Q5_0) && qs.hasImatrix && iLayer < nLayer / 8) {
                // Guards the first ffn_down layers, only with an imatrix so plain Q4_0/Q5_0 stay as they were.
                newType = ftype == Q4_0 ? DType.Q4_1 : DType.Q5_1;
            }
            if (newType != defaultType) {
                reason = "ffn_down layer " + iLayer + " of " + nLayer + ": " + newType;
            }
            ++qs.iFfnDown;
        } else if (category == Category.ATTENTION_OUTPUT) {
            if (!falcon) {
                if (nExpert == 8) {
                    if (ftype == Q2_K
                            || ftype == IQ3_XS
                            || ftype == IQ3_XXS
                            || ftype == Q3_K_S
                            || ftype == Q3_K_M
                            || ftype == IQ4_NL
                            || ftype == Q4_K_S
                            || ftype == Q4_K_M
                            || ftype == IQ3_S
                            || ftype == IQ3_M
                            || ftype == IQ4_XS) {
                        newType = DType.Q5_K;
                    }
                } else {
                    if (ftype == Q2_K) {
                        newType = DType.Q3_K;
                    } else if (ftype == IQ3_XXS) {
                        newType = DType.IQ3_S;
                    } else if (ftype == Q3_K_M) {
                        newType = DType.Q4_K;
                    } else if (ftype == Q3_K_L) {
                        newType = DType.Q5_K;
                    } else if (ftype == IQ3_M) {
                        newType = DType.Q4_K;
                    }
                }
            } else if (ftype == Q3_K_L) {
                newType = DType.Q4_K;
            }
            if (newType != defaultType) {
                reason = "attn_output: " + newType;
            }
        } else if (category == Category.FFN_GATE) {
            // (llama.cpp's own ATTENTION_QKV branch sits here but is unreachable: attn_qkv is attn_v-like above.)
            int[] info = layerInfo(qs.iFfnGate, qs.nFfnGate, name, nExpert);
            if (ftype == IQ3_XS && info[0] >= info[1] / 8 && info[0] < 7 * info[1] / 8) {
                newType = DType.IQ3_XXS;
                reason = "ffn_gate in the middle layers: IQ3_XXS";
            }
            ++qs.iFfnGate;
        } else if (category == Category.FFN_UP) {
            int[] info = layerInfo(qs.iFfnUp, qs.nFfnUp, name, nExpert);
            if (ftype == IQ3_XS && info[0] >= info[1] / 8 && info[0] < 7 * info[1] / 8) {
                newType = DType.IQ3_XXS;
                reason = "ffn_up in the middle layers: IQ3_XXS";
            }
            ++qs.iFfnUp;
        }
        return new Choice(newType, reason);
    }

    /** tensor_type_fallback: a row length the chosen type's block does not divide gets a 32-block type, then F16. */
    private static Choice fallback(State qs, String name, long ne0, DType newType, String reason) {
        long qk = newType.blockElements();
        if (ne0 % qk == 0) {
            ++qs.nKQuantized;
            return new Choice(newType, reason);
        }
        DType fallback = switch (newType) {
            case IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, IQ4_XS -> DType.IQ4_NL;
            case Q2_0, Q2_K, Q3_K, TQ1_0, TQ2_0 -> DType.Q4_0;
            case Q4_K -> DType.Q5_0;
            case Q5_K -> DType.Q5_1;
            case Q6_K -> DType.Q8_0;
            default -> null;
        };
        if (fallback == null) {
            // llama-quantize throws here and writes no file: the whole file type cannot be made of this model, which
            // the planner reports as not applicable (the other precisions of a table go on).
            return Choice.refused(
                    newType,
                    name + ": row length " + ne0 + " is not a multiple of " + qk + " required by " + newType
                            + ", and llama-quantize has no fallback for " + newType
                            + " (\"no tensor type fallback is defined for type " + newType + "\")");
        }
        String why = "fallback: row " + ne0 + " not a multiple of " + qk + " (" + newType + ")";
        if (ne0 % fallback.blockElements() != 0) {
            why += ", nor of " + fallback.blockElements() + " (" + fallback + ")";
            fallback = DType.F16;
        }
        ++qs.nFallback;
        return new Choice(fallback, why + " -> " + fallback);
    }

    /**
     * layer_info: for MoE models (n_expert > 1) the layer comes from the name ("blk.%d."), because expert tensors are
     * not visited one per layer; otherwise it is the running counter.
     */
    private static int[] layerInfo(int iLayer, int nLayer, String name, int nExpert) {
        if (nExpert > 1) {
            // sscanf(name, "blk.%d.", &i_layer): the shared parser reads the same "blk.N" prefix.
            int parsed = LlamaQuantPlanner.layerOf(name);
            if (parsed < 0) {
                throw new InvalidInputException(
                        "Failed to determine layer for tensor " + name + " (expected a name starting blk.N.)");
            }
            if (parsed >= nLayer) {
                throw new InvalidInputException(
                        "Bad layer " + parsed + " for tensor " + name + ". Must be in [0, " + nLayer + ")");
            }
            iLayer = parsed;
        }
        return new int[] {iLayer, nLayer};
    }
}
