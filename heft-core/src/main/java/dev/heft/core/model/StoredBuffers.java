package dev.heft.core.model;

import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.report.Units;
import dev.heft.core.tensor.DType;

/**
 * Buffers a published checkpoint stores beside the weights. transformers registers them with {@code register_buffer}
 * (persistent, so {@code save_pretrained} writes them) and heft counts them as buffers, not parameters; the bytes of a
 * checkpoint include them. DeepSeek-V3's router keeps {@code e_score_correction_bias}, F32 [n_routed_experts], in
 * every MoE layer (modeling_deepseek_v3.py DeepseekV3TopkRouter; the published DeepSeek-V3 safetensors hold it as
 * {@code model.layers.N.mlp.gate.e_score_correction_bias} F32 [256]).
 */
final class StoredBuffers {
    private StoredBuffers() {}

    /** Elements of the stored buffers of this architecture (0 for the families that store none). */
    static long elements(HfArchitecture a) {
        if (!a.modelType().equals("deepseek_v3")) {
            return 0;
        }
        return a.shape()
                .moe()
                .map(m ->
                        Math.multiplyExact(m.experts(), (long) m.sparseLayers().size()))
                .orElse(0L);
    }

    /** Their bytes: F32, as the checkpoints store them. */
    static long bytes(HfArchitecture a) {
        return DType.F32.bytesFor(elements(a));
    }

    /** One line: what the buffers are and their bytes. */
    static String describe(HfArchitecture a) {
        TransformerShape.Moe m = a.shape().moe().orElseThrow();
        return m.sparseLayers().size() + " router e_score_correction_bias buffers (F32 [" + m.experts() + "], "
                + Units.exact(bytes(a)) + " bytes)";
    }
}
