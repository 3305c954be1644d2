package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Plans what llama-quantize would write for a model: the ggml type of every tensor and its exact bytes.
 *
 * <p>This follows {@code llama_model_quantize_impl} in src/llama-quant.cpp (llama.cpp c392e50): tensors are visited in
 * the model loader's order (layer number parsed from {@code blk.N.}, -1 for the rest, then by name, see
 * {@code weight_name_comparer} in llama-model-loader.h), a tensor is quantized only if its name ends in "weight", it is
 * at least 2-D and it is not one of the excluded kinds (norms, MoE routers, position embeddings...), and quantized
 * tensors go through {@link LlamaTypeRules} unless {@code --pure}. Tensors left alone keep their source type.
 */
public final class LlamaQuantPlanner {

    private LlamaQuantPlanner() {
    }

    /** Plans {@code ftype} with llama-quantize's default flags. */
    public static QuantPlan plan(List<TensorSpec> tensors, ModelFacts model, LlamaFileType ftype) {
        return plan(tensors, model, ftype, LlamaQuantOptions.defaults(ftype));
    }

    public static QuantPlan plan(List<TensorSpec> tensors, ModelFacts model, LlamaFileType ftype,
                                 LlamaQuantOptions options) {
        Set<String> seen = new HashSet<>();
        int nAttentionWv = 0;
        boolean hasOutput = false;
        for (TensorSpec t : tensors) {
            if (!seen.add(t.name())) {
                throw new InvalidInputException("tensor " + t.name() + " is listed twice; names must be unique");
            }
            // Counted over every tensor, quantized or not, as llama-quantize does before its main loop.
            String n = t.name();
            if (n.contains("attn_v.weight") || n.contains("attn_qkv.weight") || n.contains("attn_kv_b.weight")) {
                nAttentionWv++;
            } else if (n.equals("output.weight")) {
                hasOutput = true;
            }
        }
        LlamaTypeRules.State qs = new LlamaTypeRules.State(model, options.importanceMatrix(), hasOutput, nAttentionWv);
        DType outputType = options.outputTensorType().orElse(null);
        DType embeddingType = options.tokenEmbeddingType().orElse(null);

        List<PlannedTensor> planned = new ArrayList<>(tensors.size());
        for (TensorSpec t : loaderOrder(tensors)) {
            String name = t.name();
            DType type = t.sourceType();
            String reason;
            if (!quantizable(t, options)) {
                reason = t.ggmlDims() < 2 ? "1-D tensor: kept " + type : "not quantized by llama-quantize: kept " + type;
            } else {
                type = ftype.defaultType();
                reason = "default " + type;
                if (!options.pure() && ftype.isQuantized()) {
                    LlamaTypeRules.Choice c = LlamaTypeRules.choose(qs, type, name, t.rowLength(), ftype, outputType,
                            embeddingType);
                    type = c.type();
                    reason = c.reason();
                } else if (options.pure() && ftype.isQuantized()) {
                    reason = "--pure: " + type;
                }
                if (embeddingType != null && name.equals("token_embd.weight")) {
                    type = embeddingType;
                    reason = "--token-embedding-type " + type;
                }
                if (outputType != null && name.equals("output.weight")) {
                    type = outputType;
                    reason = "--output-tensor-type " + type;
                }
                if (type == t.sourceType()) {
                    reason = reason + " (already " + type + ")";
                } else {
                    refuseWithoutImatrix(type, name, ftype, options);
                }
            }
            if (t.rowLength() % type.blockElements() != 0) {
                throw new InvalidInputException(name + ": row length " + t.rowLength() + " is not a multiple of "
                        + type.blockElements() + " required by " + type
                        + (options.pure() ? " (--pure disables llama-quantize's fallback types)" : ""));
            }
            planned.add(new PlannedTensor(name, t.shape(), t.elements(), type.displayName(),
                    List.of(StoredTensor.of(name, type, TensorRole.WEIGHT, t.shape())), reason));
        }
        List<String> notes = new ArrayList<>();
        if (nAttentionWv != 0 && nAttentionWv != model.nLayer()) {
            // llama-quantize asserts n_attention_wv == layers with attention (n_head_kv != 0; x3 with an encoder).
            notes.add(nAttentionWv + " attn_v/attn_qkv/attn_kv_b tensors for " + model.nLayer() + " layers: "
                    + "llama-quantize expects one per attention layer, so the attn_v positions may differ");
        }
        if (qs.nFallback > 0) {
            notes.add(qs.nFallback + " of " + (qs.nKQuantized + qs.nFallback)
                    + " tensor(s) required fallback quantization");
        }
        return new QuantPlan(new GgufFormat(ftype, options.pure()).label(), planned, notes);
    }

    /** The quantize filter in llama_model_quantize_impl: which tensors may change type at all. */
    static boolean quantizable(TensorSpec t, LlamaQuantOptions options) {
        String name = t.name();
        boolean q = name.endsWith("weight");
        q &= t.ggmlDims() >= 2;                                  // only 2-D and 3-D (expert) tensors
        q &= !name.contains("_norm.weight");                     // norms stay as they are
        q &= !options.leaveOutputTensor() || !name.equals("output.weight");
        q &= !name.contains("ffn_gate_inp.weight");              // MoE router
        q &= !name.equals("position_embd.weight");               // LLM_TENSOR_POS_EMBD
        q &= !name.equals("token_types.weight");                 // LLM_TENSOR_TOKEN_TYPES (BERT)
        q &= !name.contains("ssm_conv1d.weight");                // Mamba's small 2-D conv
        for (String rwkv : List.of("time_mix_first.weight", "time_mix_w1.weight", "time_mix_w2.weight",
                "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight")) {
            q &= !name.contains(rwkv);
        }
        q &= !name.contains("attn_rel_b.weight");                // T5 relative position bias
        return q;
    }

    /**
     * llama-quantize refuses these very low-bit types without an importance matrix ("Missing importance matrix for
     * tensor %s in a very low-bit quantization").
     */
    private static void refuseWithoutImatrix(DType type, String name, LlamaFileType ftype, LlamaQuantOptions options) {
        if (options.importanceMatrix()) {
            return;
        }
        boolean refused = type == DType.IQ2_XXS || type == DType.IQ2_XS || type == DType.IQ2_S || type == DType.IQ1_S
                || (type == DType.IQ1_M && !name.equals("token_embd.weight") && !name.equals("output.weight"))
                || (type == DType.Q2_K && ftype == LlamaFileType.Q2_K_S && !name.equals("token_embd.weight"));
        if (refused) {
            throw new InvalidInputException("llama-quantize needs an importance matrix (--imatrix) for tensor " + name
                    + " as " + type + " in " + ftype.displayName());
        }
    }

    /** weight_name_comparer: layer number from "blk.%d." (-1 when absent), then the name in byte order. */
    static List<TensorSpec> loaderOrder(List<TensorSpec> tensors) {
        List<TensorSpec> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong((TensorSpec t) -> layerOf(t.name()))
                .thenComparing((a, b) -> Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
                        b.name().getBytes(StandardCharsets.UTF_8))));
        return sorted;
    }

    static long layerOf(String name) {
        Matcher m = LlamaTypeRules.LAYER.matcher(name);
        if (!m.find()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return -1; // out of int range: sscanf's result is undefined; treat as no layer
        }
    }
}
