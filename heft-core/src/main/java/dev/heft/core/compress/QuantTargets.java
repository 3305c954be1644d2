package dev.heft.core.compress;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which tensors the linear-layer formats quantize. GPTQ/AWQ quantize the nn.Linear modules inside each decoder block
 * (AutoGPTQ's {@code inside_layer_modules}); bitsandbytes skips the output head ({@code llm_int8_skip_modules}, which
 * transformers fills with lm_head); embeddings and norms are not Linear modules; MoE routers are left alone by all of
 * them. Names may be llama.cpp style ({@code blk.3.ffn_down.weight}) or Hugging Face style
 * ({@code model.layers.3.mlp.down_proj.weight}).
 */
final class QuantTargets {

    private static final Pattern IN_BLOCK = Pattern.compile("(^|\\.)(blk|layers|h|blocks|layer|block)\\.\\d+\\.");
    private static final List<String> NEVER = List.of("norm", "ln_", "embd", "embed", "ffn_gate_inp", "router",
            "block_sparse_moe.gate.", "mlp.gate.weight", "shared_expert_gate", "conv", "rel_b", "pos_");
    // llama.cpp merges experts into blk.N.ffn_*_exps.weight; transformers names them ...mlp.experts.N.down_proj.weight,
    // or (gpt-oss, fused 3-D parameters) ...mlp.experts.gate_up_proj and ...mlp.experts.down_proj without ".weight".
    private static final Pattern EXPERTS = Pattern.compile("_exps\\.weight$|\\.experts\\.\\d+\\..*\\.weight$"
            + "|\\.experts\\.[a-z_]+_proj$");

    private QuantTargets() {
    }

    /** A 2-D or 3-D weight of a linear layer inside a transformer block. */
    static boolean isBlockLinear(TensorSpec t) {
        String name = t.name();
        if (!name.endsWith(".weight") || t.shape().length < 2 || t.ggmlDims() < 2
                || !IN_BLOCK.matcher(name).find()) {
            return false;
        }
        for (String n : NEVER) {
            if (name.contains(n)) {
                return false;
            }
        }
        return true;
    }

    /** A MoE expert weight ({@code blk.N.ffn_down_exps.weight}, {@code ...mlp.experts.down_proj}). */
    static boolean isExpert(TensorSpec t) {
        return t.shape().length >= 2 && t.ggmlDims() >= 2 && IN_BLOCK.matcher(t.name()).find()
                && EXPERTS.matcher(t.name()).find();
    }
}
