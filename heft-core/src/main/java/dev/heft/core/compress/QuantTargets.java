package dev.heft.core.compress;

import dev.heft.core.names.TensorName;
import java.util.List;

/**
 * Which tensors the linear-layer formats quantize. GPTQ/AWQ quantize the nn.Linear modules inside each decoder block
 * (AutoGPTQ's {@code inside_layer_modules}); bitsandbytes skips the output head ({@code llm_int8_skip_modules}, which
 * transformers fills with lm_head); embeddings and norms are not Linear modules; MoE routers are left alone by all of
 * them. Names may be llama.cpp style ({@code blk.3.ffn_down.weight}) or Hugging Face style
 * ({@code model.layers.3.mlp.down_proj.weight}).
 */
final class QuantTargets {

    private static final List<String> NEVER = List.of(
            "norm",
            "ln_",
            "embd",
            "embed",
            "ffn_gate_inp",
            "router",
            "block_sparse_moe.gate.",
            "mlp.gate.weight",
            "shared_expert_gate",
            "conv",
            "rel_b",
            "pos_");

    private QuantTargets() {}

    /**
     * A 2-D or 3-D weight of a linear layer inside a transformer block: a {@code .weight} of a module in a named block
     * (the shared parser's {@code layers.N}, {@code h.N}, {@code blk.N}, ...), or a fused 3-D expert parameter.
     */
    static boolean isBlockLinear(TensorSpec t) {
        String name = t.name();
        if (t.shape().length < 2 || t.ggmlDims() < 2) {
            return false;
        }
        TensorName n = TensorName.parse(name);
        if (!n.inBlock() || !(n.param().equals("weight") || isFusedExpert(n))) {
            return false;
        }
        for (String never : NEVER) {
            if (name.contains(never)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A MoE expert weight: llama.cpp's merged {@code blk.N.ffn_down_exps.weight}, transformers' per-expert
     * {@code ...mlp.experts.N.down_proj.weight}, or a fused 3-D parameter ({@code ...mlp.experts.gate_up_proj}).
     */
    static boolean isExpert(TensorSpec t) {
        if (t.shape().length < 2 || t.ggmlDims() < 2) {
            return false;
        }
        TensorName n = TensorName.parse(t.name());
        return n.inBlock()
                && ((n.projection().endsWith("_exps") && n.param().equals("weight"))
                        || (n.expert() >= 0 && n.param().equals("weight"))
                        || isFusedExpert(n));
    }

    /** transformers 5 / gpt-oss fused expert parameters: {@code mlp.experts.gate_up_proj}, no ".weight". */
    private static boolean isFusedExpert(TensorName n) {
        return n.param().isEmpty()
                && n.projection().endsWith("_proj")
                && (n.module().equals("experts") || n.module().endsWith(".experts"));
    }
}
