package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.DecoderFamilies.base;
import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.json.JsonValue;
import java.util.List;

/**
 * Hybrid decoders: Llama-layout layers of which some attend and the others run a linear-attention or state-space
 * {@link TokenMixer}, each read into a {@link DecoderSpec} from its transformers 5.18 {@code configuration_<family>.py}
 * defaults and the module tree of its {@code modeling_<family>.py}. Every reader here is tested against transformers'
 * own counts (ExactFamiliesGroundTruthTest).
 */
final class HybridFamilies {
    private HybridFamilies() {}

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
        s.mixer = new TokenMixer.GatedDeltaNet(
                "Qwen3Next",
                s.hidden,
                c.size(16, "linear_num_key_heads"),
                c.size(32, "linear_num_value_heads"),
                c.size(128, "linear_key_head_dim"),
                c.size(128, "linear_value_head_dim"),
                c.size(4, "linear_conv_kernel_dim"));
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
        s.mixer = new TokenMixer.Mamba2(
                "GraniteMoeHybridMambaLayer",
                "GraniteMoeHybridRMSNormGated",
                s.hidden,
                mul(expand, s.hidden),
                c.size(128, "mamba_n_heads"),
                c.size(1, "mamba_n_groups"),
                c.size(256, "mamba_d_state"),
                c.size(4, "mamba_d_conv"),
                c.flag(true, "mamba_conv_bias"),
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
        s.mixer = new TokenMixer.Mamba1(
                "JambaMambaMixer",
                "JambaRMSNorm",
                s.hidden,
                inner,
                c.size(16, "mamba_d_state"),
                c.size(4, "mamba_d_conv"),
                dtRank,
                c.flag(true, "mamba_conv_bias"),
                c.flag(false, "mamba_proj_bias"),
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

    // configuration_minimax.py MiniMaxConfig (layer_types alternate full and linear attention from layer 0 by
    // default); modeling_minimax.py: lightning-attention layers (TokenMixer.LightningAttention) and full-attention
    // layers, a MiniMaxSparseMoeBlock of intermediate_size experts on every layer
    static DecoderSpec minimax(HfConfig c) {
        DecoderSpec s = base(c, "MiniMax", 32000, 4096, 14336, 32, 32, 8L, 131072, false);
        s.headDim = MoeFamilies.headDim(c, s, s.hidden / s.heads);
        s.rotaryDim = DecoderFamilies.rotaryDim(c, s.headDim);
        if (!c.strings("layer_types").isEmpty()) {
            s.attends = layerTypes(c, s.layers, "layer_types");
        } else {
            s.attends = new boolean[DecoderFamilies.checkedLayers(c, s.layers)];
            for (int i = 0; i < s.attends.length; i++) {
                s.attends[i] = (i + 1) % 2 != 0;
            }
        }
        s.mixer = new TokenMixer.LightningAttention("MiniMax", s.hidden, s.heads, s.headDim, c.size(256, "block_size"));
        s.moe = MoeFamilies.everyLayer(
                c,
                s,
                c.size(8, "num_local_experts"),
                c.size(2, "num_experts_per_tok"),
                s.intermediate,
                "MiniMaxExperts",
                "MiniMaxTopKRouter");
        return s;
    }

    // configuration_falcon_h1.py FalconH1Config; modeling_falcon_h1.py: every layer runs attention and a Mamba-2 mixer
    // of mamba_d_ssm channels (expand x hidden when unset) side by side, then a gated MLP; the mixer's gated norm
    // exists
    // only with mamba_rms_norm, its out_proj bias is projectors_bias, and it registers a mup_vector over in_proj
    static DecoderSpec falconH1(HfConfig c) {
        DecoderSpec s = base(c, "FalconH1", 128000, 4096, 14336, 32, 32, 8L, 8192, false);
        s.headDim = MoeFamilies.headDim(c, s, s.hidden / s.heads);
        s.rotaryDim = s.headDim;
        s.qkvBias = s.oBias = c.flag(false, "attention_bias");
        s.mlpBias = c.flag(false, "mlp_bias");
        s.layerNorms = List.of("input_layernorm", "pre_ff_layernorm");
        long inner = c.mentions("mamba_d_ssm") && c.optionalSize("mamba_d_ssm").isEmpty()
                ? mul(c.size(2, "mamba_expand"), s.hidden)
                : c.size(1024, "mamba_d_ssm");
        TokenMixer.Mamba2 m = new TokenMixer.Mamba2(
                "FalconH1Mixer",
                c.flag(false, "mamba_rms_norm") ? "FalconH1RMSNormGated" : null,
                s.hidden,
                inner,
                c.size(128, "mamba_n_heads"),
                c.size(1, "mamba_n_groups"),
                c.size(256, "mamba_d_state"),
                c.size(4, "mamba_d_conv"),
                c.flag(true, "mamba_conv_bias"),
                c.flag(false, "mamba_proj_bias"),
                c.flag(false, "projectors_bias"),
                0);
        s.mixer = new TokenMixer.Mamba2(
                m.mixerClass(),
                m.normClass(),
                m.hidden(),
                m.inner(),
                m.heads(),
                m.groups(),
                m.state(),
                m.kernel(),
                m.convBias(),
                m.inBias(),
                m.outBias(),
                m.inProjection()); // + mup_vector
        s.parallelMixer = true;
        return s;
    }

    /** Zamba2-2.7B's layers_block_type, Zamba2Config's default whatever num_hidden_layers says. */
    private static final List<String> ZAMBA2_BLOCKS = zamba2Blocks();

    private static List<String> zamba2Blocks() {
        List<String> b = new java.util.ArrayList<>(List.of("mamba"));
        for (int i = 0; i < 7; i++) {
            b.addAll(List.of("mamba", "mamba", "mamba", "mamba", "mamba", "hybrid"));
        }
        b.addAll(List.of(
                "mamba", "mamba", "mamba", "mamba", "hybrid", "mamba", "mamba", "mamba", "hybrid", "mamba", "mamba"));
        return List.copyOf(b);
    }

    // configuration_zamba2.py Zamba2Config; modeling_zamba2.py Zamba2Model.get_layers: every layer has a Mamba-2
    // mixer and its input_layernorm; a "hybrid" layer adds a bias-free Linear and a shared transformer block
    // (attention over 2 x hidden, a gate_up/down MLP, two RMSNorms, LoRA-style adapters for the hybrid layers that use
    // it). There are num_mem_blocks distinct blocks, cycled over the hybrid layers and tied by _tied_weights_keys: each
    // block's parameters are counted once, every other copy is a tied name.
    static HfArchitecture zamba2(HfConfig c) {
        long v = c.size(32000, "vocab_size");
        long h = c.size(2560, "hidden_size");
        long l = c.layers(54, "num_hidden_layers");
        long heads = c.size(32, "num_attention_heads");
        DecoderFamilies.requirePositive(c, "num_attention_heads", heads);
        long kvHeads = c.optionalSize("num_key_value_heads").orElse(heads);
        long inter = c.optionalSize("intermediate_size").filter(x -> x > 0).orElse(mul(4, h));
        long attentionWidth = mul(2, h);
        long headDim = attentionWidth / heads;
        long memBlocks = c.size(1, "num_mem_blocks");
        DecoderFamilies.requirePositive(c, "num_mem_blocks", memBlocks);
        long rank = c.size(128, "adapter_rank");
        boolean bias = c.flag(false, "add_bias_linear");
        boolean attentionAdapters = c.flag(false, "use_shared_attention_adapter");
        List<String> blocks = c.strings("layers_block_type");
        if (blocks.isEmpty()) {
            blocks = ZAMBA2_BLOCKS;
        }
        if (blocks.size() != l) {
            throw c.invalid("layers_block_type", "must have one entry per layer (" + l + "), found " + blocks.size());
        }
        long hybrid = 0;
        List<TransformerShape.AttentionLayer> attention = new java.util.ArrayList<>();
        for (String b : blocks) {
            switch (b) {
                case "hybrid" -> {
                    hybrid++;
                    attention.add(TransformerShape.AttentionLayer.FULL);
                }
                case "mamba", "linear_attention" -> attention.add(TransformerShape.AttentionLayer.NONE);
                default ->
                    throw c.invalid("layers_block_type", "entries must be 'mamba' or 'hybrid', found '" + b + "'");
            }
        }
        ModuleTally t = new ModuleTally();
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        long expand = c.size(2, "mamba_expand");
        new TokenMixer.Mamba2(
                        "Zamba2MambaMixer",
                        "Zamba2RMSNormGated",
                        h,
                        mul(expand, h),
                        c.size(8, "n_mamba_heads"),
                        c.size(1, "mamba_ngroups"),
                        c.size(64, "mamba_d_state"),
                        c.size(4, "mamba_d_conv"),
                        c.flag(true, "use_conv_bias"),
                        bias)
                .add(t, l);
        t.norm("Zamba2RMSNorm", l, h, false); // each mamba layer's input_layernorm
        t.linear(LayerKind.ATTENTION, hybrid, h, h, false); // each hybrid layer's linear
        // each block holds one adapter per slot i < len(hybrid_layer_ids) with i % num_mem_blocks == its id; the
        // config's hybrid_layer_ids (written by to_dict) wins over the one its __post_init__ derives
        long slots =
                c.json().members().get("hybrid_layer_ids") instanceof JsonValue.JsonArray ids ? ids.size() : hybrid;
        long distinct = Math.min(memBlocks, hybrid);
        long copiesTied = 0;
        for (long block = 0; block < distinct; block++) {
            long uses = (hybrid - block + memBlocks - 1) / memBlocks; // hybrid layers that share this block
            long adapters = (slots - block + memBlocks - 1) / memBlocks;
            long before = t.parameters();
            LayerKind a = LayerKind.ATTENTION;
            t.linear(a, 1, attentionWidth, mul(heads, headDim), false);
            t.linear(a, 2, attentionWidth, mul(kvHeads, headDim), false);
            t.linear(a, 1, mul(heads, headDim), h, false);
            if (attentionAdapters) {
                t.linear(a, mul(3, adapters), attentionWidth, rank, false)
                        .linear(a, mul(3, adapters), rank, attentionWidth, false);
            }
            t.linear(LayerKind.MLP, 1, h, mul(2, inter), bias).linear(LayerKind.MLP, 1, inter, h, bias);
            t.linear(LayerKind.MLP, adapters, h, rank, false)
                    .linear(LayerKind.MLP, adapters, rank, mul(2, inter), false);
            t.norm("Zamba2RMSNorm", 1, attentionWidth, false).norm("Zamba2RMSNorm", 1, h, false);
            copiesTied = Math.addExact(copiesTied, mul(uses - 1, t.parameters() - before));
        }
        if (copiesTied > 0) {
            t.alias(copiesTied);
            t.note("the shared transformer blocks are tied across hybrid layers (num_mem_blocks=" + memBlocks
                    + "): each counted once");
        }
        if (c.flag(false, "use_mem_rope")) {
            t.buffer(ModuleTally.rotaryBuffers(headDim));
        }
        t.norm("Zamba2RMSNorm", 1, h, false); // final_layernorm
        if (c.flag(true, "tie_word_embeddings")) {
            t.tiedHead(v, h);
        } else {
            t.linear(LayerKind.HEAD, 1, h, v, false);
        }
        TransformerShape shape = new TransformerShape(
                l,
                h,
                heads,
                kvHeads,
                headDim,
                headDim,
                v,
                inter,
                c.size(4096, "max_position_embeddings"),
                attention,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                t.matmulPerToken());
        return new HfArchitecture("zamba2", "Zamba2ForCausalLM", t.build(), shape, 0);
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
                    default ->
                        throw c.invalid(
                                key,
                                "entries must be 'full_attention' or 'linear_attention', found '" + types.get(i) + "'");
                };
            }
            return a;
        }
        return a;
    }

    /** A Mamba dt rank: an integer, or "auto" (or absent) for ceil(hidden / 16). */
    static long dtRank(HfConfig c, String key, long hidden) {
        JsonValue raw = c.json().members().get(key);
        if (raw == null
                || raw instanceof JsonValue.JsonNull
                || raw instanceof JsonValue.JsonString str && str.value().equals("auto")) {
            return (hidden + 15) / 16;
        }
        if (raw instanceof JsonValue.JsonString) {
            throw c.invalid(key, "must be an integer or \"auto\"");
        }
        return c.size(0, key);
    }
}
