package dev.heft.core.compress;

import static dev.heft.core.compress.LlamaFileType.*;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port of llama.cpp's {@code llama_tensor_get_type} (src/llama-quant.cpp at c392e50, 2025-02-20): which ggml type
 * one quantizable tensor gets under a file type, and the fallback when its row length does not fill whole blocks.
 *
 * <p>The rules are stateful in the same way as the original: attn_v, ffn_down, ffn_gate and ffn_up tensors advance
 * counters ({@code i_attention_wv}, {@code i_ffn_down}, ...) in the order llama-quantize visits tensors, and several
 * rules depend on the counter rather than on the layer number in the name. {@link LlamaQuantPlanner} visits tensors
 * in llama-quantize's order so the counters match.
 *
 * <p>Names are matched with substring tests exactly as the C++ does ({@code name.find("attn_v.weight")}), so a name
 * like {@code blk.0.attn_v.weight} and an expert tensor {@code blk.0.ffn_down_exps.weight} match as they do there.
 */
final class LlamaTypeRules {

    // sscanf(name, "blk.%d.", &i): %d skips white space and takes a sign; the trailing '.' does not affect the result.
    static final Pattern LAYER = Pattern.compile("^blk\\.\\s*([+-]?\\d+)");

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

    /** The type chosen and, when a rule changed it from the default, why. */
    record Choice(DType type, String reason) {
    }

    private LlamaTypeRules() {
    }

    // use_more_bits: the first and last eighth of the layers, and every third layer in between.
    static boolean useMoreBits(int iLayer, int nLayers) {
        return iLayer < nLayers / 8 || iLayer >= 7 * nLayers / 8 || (iLayer - nLayers / 8) % 3 == 2;
    }

    /**
     * llama_tensor_get_type. {@code ne0} is the row length. {@code outputTensorType} is --output-tensor-type or null.
     */
    static Choice choose(State qs, DType defaultType, String name, long ne0, LlamaFileType ftype,
                         DType outputTensorType, DType tokenEmbeddingType) {
        ModelFacts hp = qs.model;
        String arch = hp.arch();
        boolean falcon = "falcon".equals(arch);
        int nGqa = hp.nGqa();
        int nExpert = hp.nExpert();
        DType newType = defaultType;
        String reason = "default " + defaultType;

        // Tied embeddings: with no output.weight, token_embd.weight gets the output tensor's treatment.
        if (name.equals("output.weight") || (!qs.hasOutput && name.equals("token_embd.weight"))) {
            if (outputTensorType != null) {
                newType = outputTensorType;
                reason = "--output-tensor-type " + outputTensorType;
            } else {
                long qk = newType.blockElements();
                if (falcon || ne0 % qk != 0) {
                    newType = DType.Q8_0;
                    reason = falcon ? "output tensor of falcon: Q8_0"
                            : "output tensor: row " + ne0 + " not a multiple of " + qk + " (" + defaultType + "): Q8_0";
                } else if (ftype == IQ2_XXS || ftype == IQ2_XS || ftype == IQ3_XXS || ftype == IQ1_S || ftype == IQ2_S
                        || ftype == IQ2_M || ftype == IQ1_M) {
                    newType = DType.Q5_K;
                    reason = "output tensor raised to Q5_K";
                } else if (newType != DType.Q8_0) {
                    newType = DType.Q6_K;
                    reason = "output tensor raised to Q6_K";
                }
            }
        } else if (name.equals("token_embd.weight")) {
            if (tokenEmbeddingType != null) {
                newType = tokenEmbeddingType;
                reason = "--token-embedding-type " + tokenEmbeddingType;
            } else if (ftype == IQ2_XXS || ftype == IQ2_XS || ftype == IQ1_S || ftype == IQ1_M) {
                newType = DType.Q2_K;
                reason = "token embedding: Q2_K";
            } else if (ftype == IQ2_S || ftype == IQ2_M || ftype == IQ3_XXS) {
                newType = DType.IQ3_S;
                reason = "token embedding: IQ3_S";
            } else if (ftype == TQ1_0 || ftype == TQ2_0) {
                newType = DType.Q4_K;
                reason = "token embedding: Q4_K";
            }
        } else if (ftype == IQ2_XXS || ftype == IQ2_XS || ftype == IQ1_S || ftype == IQ2_S || ftype == IQ2_M
                || ftype == IQ1_M) {
            if (name.contains("attn_v.weight")) {
                if (nGqa >= 4 || nExpert >= 4) {
                    newType = DType.Q4_K;
                } else {
                    newType = ftype == IQ2_S || ftype == IQ2_M ? DType.IQ3_S : DType.Q2_K;
                }
                reason = "attn_v (n_gqa " + nGqa + ", n_expert " + nExpert + "): " + newType;
                ++qs.iAttentionWv;
            } else if (nExpert == 8 && name.contains("attn_k.weight")) {
                newType = DType.Q4_K;
                reason = "attn_k of an 8-expert model: Q4_K";
            } else if (name.contains("ffn_down")) {
                if (qs.iFfnDown < qs.nFfnDown / 8) {
                    newType = ftype == IQ2_S || ftype == IQ2_M ? DType.IQ3_S : DType.Q2_K;
                    reason = "ffn_down in the first eighth of layers: " + newType;
                }
                ++qs.iFfnDown;
            } else if (name.contains("attn_output.weight")) {
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
        } else if (name.contains("attn_v.weight")) {
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
                reason = "attn_v #" + i + " of " + qs.nAttentionWv + " (n_gqa " + nGqa + "): " + newType;
            }
            ++qs.iAttentionWv;
        } else if (name.contains("attn_k.weight")) {
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
        } else if (name.contains("attn_q.weight")) {
            if (ftype == IQ3_XS) {
                newType = DType.IQ3_XXS;
            } else if (ftype == IQ3_XXS) {
                newType = DType.IQ2_S;
            }
            if (newType != defaultType) {
                reason = "attn_q: " + newType;
            }
        } else if (name.contains("ffn_down")) {
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
                newType = iLayer < nLayer / 16 ? DType.Q5_K
                        : !falcon || useMoreBits(iLayer, nLayer) ? DType.Q4_K
                        : DType.Q3_K;
            } else if (ftype == IQ3_M && (iLayer < nLayer / 8 || (nExpert == 8 && useMoreBits(iLayer, nLayer)))) {
                newType = DType.Q4_K;
            } else if (ftype == Q3_K_L) {
                newType = falcon ? DType.Q4_K : DType.Q5_K;
            } else if (ftype == Q4_K_M) {
                if (falcon) {
                    newType = iLayer < nLayer / 16 ? DType.Q6_K
                            : useMoreBits(iLayer, nLayer) ? DType.Q5_K : DType.Q4_K;
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
        } else if (name.contains("attn_output.weight")) {
            if (!falcon) {
                if (nExpert == 8) {
                    if (ftype == Q2_K || ftype == IQ3_XS || ftype == IQ3_XXS || ftype == Q3_K_S || ftype == Q3_K_M
                            || ftype == IQ4_NL || ftype == Q4_K_S || ftype == Q4_K_M || ftype == IQ3_S
                            || ftype == IQ3_M || ftype == IQ4_XS) {
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
        } else if (name.contains("attn_qkv.weight")) {
            if (ftype == Q3_K_M || ftype == Q3_K_L || ftype == IQ3_M) {
                newType = DType.Q4_K;
            } else if (ftype == Q4_K_M) {
                newType = DType.Q5_K;
            } else if (ftype == Q5_K_M) {
                newType = DType.Q6_K;
            }
            if (newType != defaultType) {
                reason = "attn_qkv: " + newType;
            }
        } else if (name.contains("ffn_gate")) {
            int[] info = layerInfo(qs.iFfnGate, qs.nFfnGate, name, nExpert);
            if (ftype == IQ3_XS && info[0] >= info[1] / 8 && info[0] < 7 * info[1] / 8) {
                newType = DType.IQ3_XXS;
                reason = "ffn_gate in the middle layers: IQ3_XXS";
            }
            ++qs.iFfnGate;
        } else if (name.contains("ffn_up")) {
            int[] info = layerInfo(qs.iFfnUp, qs.nFfnUp, name, nExpert);
            if (ftype == IQ3_XS && info[0] >= info[1] / 8 && info[0] < 7 * info[1] / 8) {
                newType = DType.IQ3_XXS;
                reason = "ffn_up in the middle layers: IQ3_XXS";
            }
            ++qs.iFfnUp;
        }

        // Row length must fill whole blocks; otherwise fall back (K/IQ types to 32-blocks, then F16).
        long qk = newType.blockElements();
        if (ne0 % qk != 0) {
            DType fallback = switch (newType) {
                case TQ1_0, TQ2_0 -> DType.Q4_0;
                case IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, IQ1_S, IQ1_M, Q2_K, Q3_K, IQ4_XS -> DType.IQ4_NL;
                case Q4_K -> DType.Q5_0;
                case Q5_K -> DType.Q5_1;
                case Q6_K -> DType.Q8_0;
                default -> throw new InvalidInputException(name + ": row length " + ne0 + " is not a multiple of "
                        + qk + " required by " + newType + ", and llama-quantize has no fallback for "
                        + newType + " (\"Unsupported tensor size encountered\")");
            };
            String why = "fallback: row " + ne0 + " not a multiple of " + qk + " (" + newType + ")";
            if (ne0 % fallback.blockElements() != 0) {
                why += ", nor of " + fallback.blockElements() + " (" + fallback + ")";
                fallback = DType.F16;
            }
            ++qs.nFallback;
            return new Choice(fallback, why + " -> " + fallback);
        }
        ++qs.nKQuantized;
        return new Choice(newType, reason);
    }

    /**
     * layer_info: for MoE models (n_expert > 1) the layer comes from the name ("blk.%d."), because expert tensors are
     * not visited one per layer; otherwise it is the running counter.
     */
    private static int[] layerInfo(int iLayer, int nLayer, String name, int nExpert) {
        if (nExpert > 1) {
            Matcher m = LAYER.matcher(name);
            if (!m.find()) {
                throw new InvalidInputException("Failed to determine layer for tensor " + name
                        + " (expected a name starting blk.N.)");
            }
            int parsed;
            try {
                parsed = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("Bad layer number in tensor name " + name, e);
            }
            if (parsed < 0 || parsed >= nLayer) {
                throw new InvalidInputException("Bad layer " + parsed + " for tensor " + name + ". Must be in [0, "
                        + nLayer + ")");
            }
            iLayer = parsed;
        }
        return new int[] {iLayer, nLayer};
    }
}
