package dev.heft.core.model;

import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.compress.TensorSpec;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tensors a described model would have, named as llama.cpp names them, so precision plans (llama.cpp's per-tensor
 * rules, GPTQ's "leave embeddings and head in 16-bit") apply to architectures as they do to files. The matrices come
 * from the shape; whatever the shape does not spell out (norms, biases, MLA and SSM details, encoder stacks) is one
 * 1-D remainder tensor so the total always equals the exact parameter count.
 */
final class SyntheticTensors {
    private SyntheticTensors() {}

    static List<TensorSpec> of(HfArchitecture a, DType dtype, List<String> notes) {
        TransformerShape s = a.shape();
        long params = a.counts().parameters();
        List<TensorSpec> out = new ArrayList<>();
        long h = s.hiddenSize();
        long listed = 0;
        if (s.vocabSize() > 0 && h > 0) {
            out.add(TensorSpec.of("token_embd.weight", dtype, s.vocabSize(), h));
            listed += s.vocabSize() * h;
            boolean tied = a.counts().parametersCountingTiedTwice() > params;
            if (!tied && ModelProfile.isGenerative(a)) {
                out.add(TensorSpec.of("output.weight", dtype, s.vocabSize(), h));
                listed += s.vocabSize() * h;
            }
        }
        boolean simpleDecoder = s.ssm().isEmpty() && s.encoderDecoder().isEmpty() && s.attentionHeads() > 0;
        if (simpleDecoder) {
            long q = s.attentionHeads() * s.headDimK();
            long k = s.kvHeads() * s.headDimK();
            long v = s.kvHeads() * s.headDimV();
            long o = s.attentionHeads() * s.headDimV();
            Set<Integer> sparse = new HashSet<>(
                    s.moe().map(TransformerShape.Moe::sparseLayers).orElse(List.of()));
            for (int i = 0; i < s.layers(); i++) {
                String b = "blk." + i + ".";
                if (s.mla().isPresent()) {
                    listed += latentAttention(out, b, s.mla().get(), s.attentionHeads(), h, dtype);
                } else {
                    out.add(TensorSpec.of(b + "attn_q.weight", dtype, q, h));
                    out.add(TensorSpec.of(b + "attn_k.weight", dtype, k, h));
                    out.add(TensorSpec.of(b + "attn_v.weight", dtype, v, h));
                    out.add(TensorSpec.of(b + "attn_output.weight", dtype, h, o));
                    listed += (q + k + v) * h + h * o;
                }
                if (sparse.contains(i) && s.moe().isPresent()) {
                    TransformerShape.Moe m = s.moe().get();
                    long e = m.experts();
                    long ei = m.expertIntermediate();
                    out.add(TensorSpec.of(
                            b + "ffn_gate_inp.weight", DType.F32, e, h)); // the converter writes routers as F32
                    out.add(TensorSpec.of(b + "ffn_gate_exps.weight", dtype, e, ei, h));
                    out.add(TensorSpec.of(b + "ffn_up_exps.weight", dtype, e, ei, h));
                    out.add(TensorSpec.of(b + "ffn_down_exps.weight", dtype, e, h, ei));
                    listed += e * h + 3 * e * ei * h;
                    if (m.sharedExperts() > 0) {
                        long si = m.sharedExperts() * ei;
                        out.add(TensorSpec.of(b + "ffn_gate_shexp.weight", dtype, si, h));
                        out.add(TensorSpec.of(b + "ffn_up_shexp.weight", dtype, si, h));
                        out.add(TensorSpec.of(b + "ffn_down_shexp.weight", dtype, h, si));
                        listed += 3 * si * h;
                    }
                } else if (s.intermediateSize() > 0) {
                    long in = s.intermediateSize();
                    out.add(TensorSpec.of(b + "ffn_gate.weight", dtype, in, h));
                    out.add(TensorSpec.of(b + "ffn_up.weight", dtype, in, h));
                    out.add(TensorSpec.of(b + "ffn_down.weight", dtype, h, in));
                    listed += 3 * in * h;
                }
            }
        }
        long remainder = params - listed;
        if (remainder < 0) {
            // The shape over-describes this family (e.g. a non-gated MLP): keep the embeddings, plan the rest as one
            // block.
            out.removeIf(t -> t.name().startsWith("blk."));
            listed = out.stream().mapToLong(TensorSpec::elements).sum();
            remainder = params - listed;
            simpleDecoder = false;
        }
        if (!simpleDecoder && remainder > 0) {
            notes.add("per-tensor layout not modelled for this family: non-embedding weights planned as one block of "
                    + "rows of " + h);
            // A whole number of 256 rows, so packed formats whose output channels come in groups (GPTQ 32, AWQ 8)
            // can store the block; the few rows left over join the 1-D remainder.
            long rows = h > 0 ? remainder / h / 256 * 256 : 0;
            if (rows > 0) {
                out.add(TensorSpec.of("blk.0.ffn_up.weight", dtype, rows, h));
                remainder -= rows * h;
            }
        }
        if (remainder > 0) {
            out.add(TensorSpec.of("norms_and_biases.weight", DType.F32, remainder));
        }
        return out;
    }

    /**
     * DeepSeek-V2/V3 multi-head latent attention as llama.cpp's converter writes it today (convert_hf_to_gguf.py
     * DeepseekV2Model.modify_tensors): q_a/q_b (or a direct attn_q when q_lora_rank is 0), attn_kv_a_mqa, and
     * kv_b_proj split for MLA absorption into attn_k_b [heads, kv_lora_rank, qk_nope] (transposed, so its rows are
     * qk_nope_head_dim long) and attn_v_b [heads, v_head_dim, kv_lora_rank]; then attn_output. The norms
     * (q_a_norm, kv_a_norm) are left to the 1-D remainder. Returns the elements listed.
     */
    private static long latentAttention(
            List<TensorSpec> out, String b, TransformerShape.Mla m, long heads, long h, DType dtype) {
        long qHead = m.qkNopeHeadDim() + m.qkRopeHeadDim();
        long listed = 0;
        if (m.qLoraRank() > 0) {
            out.add(TensorSpec.of(b + "attn_q_a.weight", dtype, m.qLoraRank(), h));
            out.add(TensorSpec.of(b + "attn_q_b.weight", dtype, heads * qHead, m.qLoraRank()));
            listed += m.qLoraRank() * h + heads * qHead * m.qLoraRank();
        } else {
            out.add(TensorSpec.of(b + "attn_q.weight", dtype, heads * qHead, h));
            listed += heads * qHead * h;
        }
        out.add(TensorSpec.of(b + "attn_kv_a_mqa.weight", dtype, m.kvLoraRank() + m.qkRopeHeadDim(), h));
        out.add(TensorSpec.of(b + "attn_k_b.weight", dtype, heads, m.kvLoraRank(), m.qkNopeHeadDim()));
        out.add(TensorSpec.of(b + "attn_v_b.weight", dtype, heads, m.vHeadDim(), m.kvLoraRank()));
        out.add(TensorSpec.of(b + "attn_output.weight", dtype, h, heads * m.vHeadDim()));
        listed += (m.kvLoraRank() + m.qkRopeHeadDim()) * h
                + heads * m.kvLoraRank() * m.qkNopeHeadDim()
                + heads * m.vHeadDim() * m.kvLoraRank()
                + h * heads * m.vHeadDim();
        return listed;
    }
}
