package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.names.TensorName;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Plans what llama-quantize would write for a model: the ggml type of every tensor and its exact bytes.
 *
 * <p>This follows {@code llama_model_quantize_impl} in src/llama-quant.cpp (llama.cpp 007dbbf3): tensors are visited in
 * the model loader's order (layer number parsed from {@code blk.N.}, -1 for the rest, then by name, see
 * {@code weight_name_comparer} in llama-model-loader.h), a tensor is quantized only if its name ends in "weight", it is
 * at least 2-D and it is not one of the excluded kinds (norms, MoE routers, position embeddings...), and quantized
 * tensors go through {@link LlamaTypeRules} (only its fallback under {@code --pure}). Tensors left alone keep their
 * source type.
 *
 * <p>Where llama-quantize stops and writes no file (a row no block of the chosen type divides and that type has no
 * fallback, a very low-bit type without an importance matrix), the plan is {@link Applicability.NotApplicable} with the
 * first such tensor as its reason, and every tensor kept unquantized: the file type does not apply to this model, which
 * a precision table shows as n/a beside the types that do.
 */
public final class LlamaQuantPlanner {

    private LlamaQuantPlanner() {}

    /** Plans {@code ftype} with llama-quantize's default flags. */
    public static QuantPlan plan(List<TensorSpec> tensors, ModelFacts model, LlamaFileType ftype) {
        return plan(tensors, model, ftype, LlamaQuantOptions.defaults(ftype));
    }

    public static QuantPlan plan(
            List<TensorSpec> tensors, ModelFacts model, LlamaFileType ftype, LlamaQuantOptions options) {
        Set<String> seen = new HashSet<>();
        int nAttentionWv = 0;
        boolean hasOutput = false;
        for (TensorSpec t : tensors) {
            if (!seen.add(t.name())) {
                throw new InvalidInputException("tensor " + t.name() + " is listed twice; names must be unique");
            }
            // init_quantize_state_counters: over every tensor, quantized or not, before the main loop.
            LlamaTypeRules.Category c = LlamaTypeRules.Category.of(t.name());
            if (c.isAttnV()) {
                nAttentionWv++;
            } else if (c == LlamaTypeRules.Category.OUTPUT) {
                hasOutput = true;
            }
        }
        LlamaTypeRules.State qs = new LlamaTypeRules.State(model, options.importanceMatrix(), hasOutput, nAttentionWv);
        DType outputType = options.outputTensorType().orElse(null);
        DType embeddingType = options.tokenEmbeddingType().orElse(null);

        List<PlannedTensor> planned = new ArrayList<>(tensors.size());
        // Where llama-quantize would stop (it throws and writes no file): the plan goes on with every tensor kept as
        // it is, so the file type reads as not applicable to this model instead of failing a whole precision table.
        List<String> refusals = new ArrayList<>();
        for (TensorSpec t : loaderOrder(tensors)) {
            String name = t.name();
            DType type = t.sourceType();
            String reason;
            if (!quantizable(t, options)) {
                reason =
                        t.ggmlDims() < 2 ? "1-D tensor: kept " + type : "not quantized by llama-quantize: kept " + type;
            } else {
                type = ftype.defaultType();
                reason = "default " + type;
                LlamaTypeRules.Category category = LlamaTypeRules.Category.of(name);
                // llama_tensor_get_type: the overrides first, then the mixture (or only the fallback under --pure).
                if (embeddingType != null && category == LlamaTypeRules.Category.TOKEN_EMBD) {
                    type = embeddingType;
                    reason = "--token-embedding-type " + type;
                } else if (outputType != null && category == LlamaTypeRules.Category.OUTPUT) {
                    type = outputType;
                    reason = "--output-tensor-type " + type;
                } else if (ftype.isQuantized()) {
                    LlamaTypeRules.Choice c =
                            LlamaTypeRules.choose(qs, type, name, t.rowLength(), ftype, options.pure());
                    type = c.type();
                    reason = c.reason();
                    if (c.refusal().isPresent()) {
                        refusals.add(c.refusal().get());
                        type = t.sourceType();
                        reason = "kept " + type + ": llama-quantize stops here";
                    }
                }
                Optional<String> imatrix = withoutImatrix(type, name, ftype, options);
                if (imatrix.isPresent()) {
                    refusals.add(imatrix.get());
                    type = t.sourceType();
                    reason = "kept " + type + ": llama-quantize stops here";
                }
                if (type == t.sourceType() && !reason.startsWith("kept ")) {
                    reason = reason + " (already " + type + ")";
                }
            }
            if (t.rowLength() % type.blockElements() != 0) {
                // An override (--output-tensor-type, --token-embedding-type) the row does not fit: ggml_quantize_chunk
                // asserts on it, so this file cannot be made either.
                refusals.add(name + ": row length " + t.rowLength() + " is not a multiple of " + type.blockElements()
                        + " required by " + type);
                type = t.sourceType();
                reason = "kept " + type + ": llama-quantize stops here";
            }
            planned.add(new PlannedTensor(
                    name,
                    t.shape(),
                    t.elements(),
                    type.displayName(),
                    List.of(StoredTensor.of(name, type, TensorRole.WEIGHT, t.shape())),
                    reason));
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
        String label = new GgufFormat(ftype, options.pure()).label();
        if (!refusals.isEmpty()) {
            // As every not-applicable plan: the figures are the model's own, unquantized (QuantPlan.applicability).
            List<PlannedTensor> kept = new ArrayList<>(planned.size());
            for (TensorSpec t : loaderOrder(tensors)) {
                kept.add(new PlannedTensor(
                        t.name(),
                        t.shape(),
                        t.elements(),
                        t.sourceType().displayName(),
                        List.of(StoredTensor.of(t.name(), t.sourceType(), TensorRole.WEIGHT, t.shape())),
                        "kept " + t.sourceType() + ": llama-quantize cannot make " + label + " of this model"));
            }
            return new QuantPlan(
                    label,
                    kept,
                    List.of(),
                    new Applicability.NotApplicable("llama-quantize cannot make " + label + " of this model: "
                            + refusals.getFirst()
                            + (refusals.size() > 1 ? " (and " + (refusals.size() - 1) + " more tensor(s))" : "")));
        }
        return new QuantPlan(label, planned, notes);
    }

    /** RWKV's small 2-D weights (tensor_allows_quantization). */
    private static final List<String> RWKV_SMALL = List.of(
            "time_mix_first.weight",
            "time_mix_w0.weight",
            "time_mix_w1.weight",
            "time_mix_w2.weight",
            "time_mix_v0.weight",
            "time_mix_v1.weight",
            "time_mix_v2.weight",
            "time_mix_a0.weight",
            "time_mix_a1.weight",
            "time_mix_a2.weight",
            "time_mix_g1.weight",
            "time_mix_g2.weight",
            "time_mix_decay_w1.weight",
            "time_mix_decay_w2.weight",
            "time_mix_lerp_fused.weight");

    /** tensor_allows_quantization in src/llama-quant.cpp: which tensors may change type at all. */
    static boolean quantizable(TensorSpec t, LlamaQuantOptions options) {
        String name = t.name();
        boolean q = name.endsWith("weight");
        q &= t.ggmlDims() >= 2; // only 2-D and 3-D (expert) tensors
        q &= !name.contains("_norm.weight"); // norms stay as they are
        q &= !options.leaveOutputTensor() || !name.equals("output.weight");
        q &= !name.contains("ffn_gate_inp.weight"); // MoE router
        q &= !name.contains("ffn_gate_tid2eid.weight"); // DeepSeek-V4 token -> expert table
        q &= !name.contains("altup") && !name.contains("laurel"); // Gemma 3n's tiny matrices
        q &= !name.contains("per_layer_model_proj");
        q &= !name.equals("position_embd.weight"); // LLM_TENSOR_POS_EMBD
        q &= !name.equals("token_types.weight"); // LLM_TENSOR_TOKEN_TYPES (BERT)
        q &= !name.contains("ssm_conv1d"); // Mamba's small 2-D conv
        q &= !name.contains("shortconv.conv.weight");
        q &= !name.contains("indexer.k_proj.weight") && !name.contains("indexer.q_proj.weight");
        for (String rwkv : RWKV_SMALL) {
            q &= !name.contains(rwkv);
        }
        q &= !name.contains("attn_rel_b.weight"); // T5 relative position bias
        for (String mm : List.of(
                ".position_embd",
                "sam.pos_embd",
                "sam.neck.",
                "sam.net_",
                ".rel_pos",
                ".patch_embd",
                ".patch_merger",
                "a.rvq.codebook",
                "mm.a.code_embd")) {
            q &= !name.contains(mm); // multimodal projector tensors
        }
        return q;
    }

    /**
     * tensor_requires_imatrix: llama-quantize refuses these very low-bit types without an importance matrix ("this
     * quantization requires an imatrix!"); the token embedding and the output tensor are exempt. The refusal, if any.
     */
    private static Optional<String> withoutImatrix(
            DType type, String name, LlamaFileType ftype, LlamaQuantOptions options) {
        if (options.importanceMatrix()
                || name.equals("token_embd.weight")
                || name.equals("per_layer_token_embd.weight")
                || name.equals("output.weight")) {
            return Optional.empty();
        }
        boolean refused = type == DType.IQ3_XXS
                || type == DType.IQ2_XXS
                || type == DType.IQ2_XS
                || type == DType.IQ2_S
                || type == DType.IQ1_M
                || type == DType.IQ1_S
                || (type == DType.Q2_K && ftype == LlamaFileType.Q2_K_S);
        return refused
                ? Optional.of("llama-quantize needs an importance matrix (--imatrix) for tensor " + name + " as " + type
                        + " in " + ftype.displayName())
                : Optional.empty();
    }

    /** weight_name_comparer: layer number from "blk.%d." (-1 when absent), then the name in byte order. */
    static List<TensorSpec> loaderOrder(List<TensorSpec> tensors) {
        List<TensorSpec> sorted = new ArrayList<>(tensors);
        // One lambda of this class rather than Comparator.comparingLong(...).thenComparing(...): the AOT cache keeps
        // this one, while the lambdas inside Comparator's own methods were generated again on every inspect of a GGUF.
        sorted.sort((a, b) -> {
            int byLayer = Integer.compare(layerOf(a.name()), layerOf(b.name()));
            return byLayer != 0
                    ? byLayer
                    : Arrays.compareUnsigned(
                            a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8));
        });
        return sorted;
    }

    /**
     * The layer of {@code sscanf(name, "blk.%d.")}, read by the shared tensor-name parser: the block number when the
     * name starts with llama.cpp's {@code blk.N}, else -1. (sscanf would also take "blk. +7"; llama.cpp's
     * converter never writes that, and such a name gets -1 here.)
     */
    static int layerOf(String name) {
        TensorName n = TensorName.parse(name);
        return n.container().equals("blk") ? n.block() : -1;
    }
}
