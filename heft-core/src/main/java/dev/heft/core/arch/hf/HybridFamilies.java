package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.DecoderFamilies.base;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.json.JsonValue;
import java.util.List;

/**
 * Hybrid decoders: Llama-layout layers of which some attend and the others run a linear-attention or state-space
 * {@link TokenMixer}, each read into a {@link DecoderSpec} from its transformers 5.18 {@code configuration_<family>.py}
 * defaults and the module tree of its {@code modeling_<family>.py}. Every reader here is tested against transformers'
 * own counts (ExactFamiliesGroundTruthTest).
 */
final class HybridFamilies {
    private HybridFamilies() {
    }

    // configuration_qwen3_next.py Qwen3NextConfig; modeling_qwen3_next.py: 3 Gated DeltaNet layers to 1 gated-attention
    // layer (q_proj doubled for the output gate, per-head q/k norms, quarter rotary), Qwen2-MoE's routed and shared
    // experts with a shared_expert_gate on every layer not in mlp_only_layers
    static DecoderSpec qwen3Next(HfConfig c) {
        DecoderSpec s = base(c, "Qwen3Next", 151936, 2048, 5632, 48, 16, 2L, 32768, false);
        s.headDim = MoeFamilies.headDim(c, s, 256);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.qkNorm = true;
        s.gatedQuery = true;
        s.rotaryDim = DecoderFamilies.rotaryDim(c, s.headDim, 0.25);
        s.attends = attends(c, s.layers, c.size(4, "full_attention_interval"));
        s.mixer = new TokenMixer.GatedDeltaNet("Qwen3Next", s.hidden, c.size(16, "linear_num_key_heads"),
                c.size(32, "linear_num_value_heads"), c.size(128, "linear_key_head_dim"),
                c.size(128, "linear_value_head_dim"), c.size(4, "linear_conv_kernel_dim"));
        DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
        m.experts = c.size(512, "num_experts");
        m.topK = c.size(10, "num_experts_per_tok");
        m.expertIntermediate = c.size(512, "moe_intermediate_size");
        m.sharedIntermediate = c.size(512, "shared_expert_intermediate_size");
        m.sharedExperts = 1;
        m.sharedExpertGate = true;
        m.expertsClass = "Qwen3NextExperts";
        m.routerClass = "Qwen3NextTopKRouter";
        m.sparse = DecoderFamilies.qwenSparse(c, s.layers, m.experts);
        s.moe = m;
        return s;
    }

    // configuration_granitemoehybrid.py GraniteMoeHybridConfig; modeling_granitemoehybrid.py: each layer is a Mamba-2
    // mixer or attention (layer_types), then routed experts of intermediate_size when num_local_experts > 0 and
    // always a shared_mlp (input_linear hidden -> 2 x shared, output_linear shared -> hidden); RoPE only with
    // position_embedding_type "rope"
    static DecoderSpec granitemoehybrid(HfConfig c) {
        DecoderSpec s = base(c, "GraniteMoeHybrid", 32000, 4096, 11008, 32, 32, null, 2048, false);
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.attends = layerTypes(c, s.layers, "layer_types", "layers_block_type");
        long expand = c.size(2, "mamba_expand");
        s.mixer = new TokenMixer.Mamba2("GraniteMoeHybridMambaLayer", "GraniteMoeHybridRMSNormGated", s.hidden,
                mul(expand, s.hidden), c.size(128, "mamba_n_heads"), c.size(1, "mamba_n_groups"),
                c.size(256, "mamba_d_state"), c.size(4, "mamba_d_conv"), c.flag(true, "mamba_conv_bias"),
                c.flag(false, "mamba_proj_bias"));
        s.rotaryModules = "rope".equals(c.text(null, "position_embedding_type")) ? 1 : 0;
        long experts = c.size(8, "num_local_experts");
        long shared = c.size(1024, "shared_intermediate_size");
        if (experts > 0) {
            DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
            m.experts = experts;
            m.topK = c.size(2, "num_experts_per_tok");
            m.expertIntermediate = s.intermediate;
            m.sharedIntermediate = shared;
            m.sharedExperts = shared > 0 ? 1 : 0;
            m.expertsClass = "GraniteMoeHybridExperts";
            m.routerClass = "GraniteMoeHybridTopKRouter";
            m.sparse = new boolean[DecoderFamilies.checkedLayers(c, s.layers)];
            java.util.Arrays.fill(m.sparse, true);
            s.moe = m;
        } else {
            s.intermediate = shared; // the shared MLP is the whole feed-forward block
        }
        return s;
    }

    // configuration_jamba.py JambaConfig; modeling_jamba.py: attention every attn_layer_period layers from
    // attn_layer_offset (no positional encoding), Mamba-1 mixers with dt/B/C RMSNorms elsewhere; routed experts every
    // expert_layer_period layers from expert_layer_offset when num_experts > 1, JambaMLP elsewhere
    static DecoderSpec jamba(HfConfig c) {
        DecoderSpec s = base(c, "Jamba", 65536, 4096, 14336, 32, 32, 8L, 262144, false);
        s.layerNorms = List.of("input_layernorm", "pre_ff_layernorm");
        s.rotaryModules = 0;
        int layers = DecoderFamilies.checkedLayers(c, s.layers);
        long attnPeriod = c.size(8, "attn_layer_period");
        long attnOffset = c.size(4, "attn_layer_offset");
        DecoderFamilies.requirePositive(c, "attn_layer_period", attnPeriod);
        s.attends = new boolean[layers];
        for (int i = 0; i < layers; i++) {
            s.attends[i] = i % attnPeriod == attnOffset;
        }
        long expand = c.size(2, "mamba_expand");
        long inner = mul(expand, s.hidden);
        long dtRank = dtRank(c, "mamba_dt_rank", s.hidden);
        s.mixer = new TokenMixer.Mamba1("JambaMambaMixer", "JambaRMSNorm", s.hidden, inner, c.size(16, "mamba_d_state"),
                c.size(4, "mamba_d_conv"), dtRank, c.flag(true, "mamba_conv_bias"), c.flag(false, "mamba_proj_bias"),
                true);
        long experts = c.size(16, "num_experts");
        long period = c.size(2, "expert_layer_period");
        long offset = c.size(1, "expert_layer_offset");
        DecoderFamilies.requirePositive(c, "expert_layer_period", period);
        if (experts > 1) {
            DecoderSpec.MoeSpec m = new DecoderSpec.MoeSpec();
            m.experts = experts;
            m.topK = c.size(2, "num_experts_per_tok");
            m.expertIntermediate = s.intermediate;
            m.expertsClass = "JambaExperts";
            m.routerClass = ModuleTally.LINEAR;
            m.sparse = new boolean[layers];
            for (int i = 0; i < layers; i++) {
                m.sparse[i] = i % period == offset;
            }
            s.moe = m;
        }
        return s;
    }

    /** Qwen3-Next's default pattern: layer i attends when (i + 1) is a multiple of the interval, unless layer_types says. */
    private static boolean[] attends(HfConfig c, long layers, long interval) {
        if (!c.strings("layer_types").isEmpty()) {
            return layerTypes(c, layers, "layer_types");
        }
        DecoderFamilies.requirePositive(c, "full_attention_interval", interval);
        boolean[] a = new boolean[DecoderFamilies.checkedLayers(c, layers)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i + 1) % interval == 0;
        }
        return a;
    }

    /**
     * A hybrid's layer_types (or its older alias): full_attention or attention attends, linear_attention or mamba runs
     * the mixer (configuration_utils.py remaps the older names); absent means every layer runs the mixer.
     */
    static boolean[] layerTypes(HfConfig c, long layers, String... keys) {
        boolean[] a = new boolean[DecoderFamilies.checkedLayers(c, layers)];
        for (String key : keys) {
            List<String> types = c.strings(key);
            if (types.isEmpty()) {
                continue;
            }
            if (types.size() != a.length) {
                throw c.invalid(key, "must have one entry per layer (" + a.length + "), found " + types.size());
            }
            for (int i = 0; i < a.length; i++) {
                a[i] = switch (types.get(i)) {
                    case "full_attention", "attention" -> true;
                    case "linear_attention", "mamba" -> false;
                    default -> throw c.invalid(key, "entries must be 'full_attention' or 'linear_attention', found '"
                            + types.get(i) + "'");
                };
            }
            return a;
        }
        return a;
    }

    /** A Mamba dt rank: an integer, or "auto" (or absent) for ceil(hidden / 16). */
    static long dtRank(HfConfig c, String key, long hidden) {
        JsonValue raw = c.json().members().get(key);
        if (raw == null || raw instanceof JsonValue.JsonNull
                || raw instanceof JsonValue.JsonString str && str.value().equals("auto")) {
            return (hidden + 15) / 16;
        }
        if (raw instanceof JsonValue.JsonString) {
            throw c.invalid(key, "must be an integer or \"auto\"");
        }
        return c.size(0, key);
    }
}
