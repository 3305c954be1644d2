package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Mamba (configuration_mamba.py MambaConfig, modeling_mamba.py MambaForCausalLM): per layer an RMSNorm and a
 * MambaMixer with in_proj (H -> 2I), a depthwise conv1d (I channels, kernel conv_kernel), x_proj (I -> dt_rank + 2N),
 * dt_proj (dt_rank -> I, with bias), out_proj (I -> H) and the mixer's own A_log (I, N) and D (I).
 */
final class MambaModel {
    private MambaModel() {}

    static HfArchitecture count(HfConfig c) {
        long v = c.size(50280, "vocab_size");
        long h = c.size(768, "hidden_size", "d_model");
        long n = c.size(16, "state_size", "d_state");
        long l = c.layers(32, "num_hidden_layers", "n_layer");
        long expand = c.size(2, "expand");
        long inner = c.size(mul(expand, h), "intermediate_size");
        long kernel = c.size(4, "conv_kernel", "d_conv");
        boolean bias = c.flag(false, "use_bias");
        boolean convBias = c.flag(true, "use_conv_bias");
        boolean tie = c.flag(true, "tie_word_embeddings");
        long dtRank = dtRank(c, h);

        ModuleTally t = new ModuleTally();
        LayerKind ssm = LayerKind.SSM;
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        t.norm("MambaRMSNorm", l, h, false);
        t.linear(ssm, l, h, mul(2, inner), bias); // in_proj
        // conv1d: Conv1d(I, I, kernel, groups=I) -> weight (I, 1, kernel), bias (I)
        t.conv("Conv1d", l, mul(inner, kernel), convBias ? inner : 0, 0);
        t.linear(ssm, l, inner, dtRank + mul(2, n), false); // x_proj
        t.linear(ssm, l, dtRank, inner, true); // dt_proj
        t.parameter(ssm, "MambaMixer", mul(l, mul(inner, n) + inner)); // A_log (I, N) and D (I)
        t.linear(ssm, l, inner, h, bias); // out_proj
        t.norm("MambaRMSNorm", 1, h, false); // norm_f
        if (tie) {
            t.tiedHead(v, h);
            t.note("lm_head is tied to backbone.embeddings (tie_word_embeddings): counted once");
        } else {
            t.linear(LayerKind.HEAD, 1, h, v, false);
        }
        List<AttentionLayer> none = new ArrayList<>();
        for (long i = 0; i < l; i++) {
            none.add(AttentionLayer.NONE);
        }
        TransformerShape shape = new TransformerShape(
                l,
                h,
                0,
                0,
                0,
                0,
                v,
                inner,
                0,
                none,
                Optional.empty(),
                Optional.empty(),
                Optional.of(new TransformerShape.Ssm(n, kernel, inner, dtRank)),
                Optional.empty(),
                t.matmulPerToken());
        return new HfArchitecture("mamba", "MambaForCausalLM", t.build(), shape, 0);
    }

    /** time_step_rank: an integer, or "auto" (the default) meaning ceil(hidden_size / 16). */
    private static long dtRank(HfConfig c, long h) {
        Optional<JsonValue> raw = c.json().get("time_step_rank");
        if (raw.isEmpty()
                || raw.get() instanceof JsonValue.JsonNull
                || (raw.get() instanceof JsonValue.JsonString s && s.value().equals("auto"))) {
            return (h + 15) / 16;
        }
        if (raw.get() instanceof JsonValue.JsonString) {
            throw c.invalid("time_step_rank", "must be an integer or \"auto\"");
        }
        return c.size(0, "time_step_rank");
    }
}
