package dev.heft.core.arch.hf;

import static dev.heft.core.arch.hf.ModuleTally.mul;

import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DeepSeek-V4 as transformers 5.18 builds DeepseekV4ForCausalLM (configuration_deepseek_v4.py, modeling_deepseek_v4.py):
 * a single-KV-head attention with low-rank queries, a grouped low-rank output projection and attention sinks; per
 * layer type a KV compressor (heavily compressed: one entry per compress_rate tokens; compressed sparse: overlapping
 * windows plus a lightning indexer; sliding: none), each with its own rotary tables; routed experts behind a hash
 * router (the first layers) or a top-k router, a shared expert; and manifold-constrained hyper-connections around
 * attention and feed-forward, closed by a hyper head.
 */
final class DeepseekV4Model {
    private DeepseekV4Model() {}

    private static final String PREFIX = "DeepseekV4";
    private static final String NORM = PREFIX + "RMSNorm";

    private enum LayerType {
        SLIDING("sliding_attention"),
        CSA("compressed_sparse_attention"),
        HCA("heavily_compressed_attention");

        final String id;

        LayerType(String id) {
            this.id = id;
        }

        static LayerType of(HfConfig c, String id) {
            for (LayerType t : values()) {
                if (t.id.equals(id)) {
                    return t;
                }
            }
            throw c.invalid(
                    "layer_types",
                    "entries must be sliding_attention, compressed_sparse_attention or "
                            + "heavily_compressed_attention, found '" + id + "'");
        }
    }

    static HfArchitecture count(HfConfig c) {
        long v = c.size(129280, "vocab_size");
        long h = c.size(4096, "hidden_size");
        long l = c.layers(43, "num_hidden_layers");
        long heads = c.size(64, "num_attention_heads");
        long headDim = c.size(512, "head_dim");
        long qRank = c.size(1024, "q_lora_rank");
        long groups = c.size(8, "o_groups");
        DecoderFamilies.requirePositive(c, "o_groups", groups);
        long oRank = c.size(1024, "o_lora_rank");
        long experts = c.size(256, "n_routed_experts", "num_local_experts");
        long topK = c.size(6, "num_experts_per_tok");
        long inter = c.size(2048, "moe_intermediate_size", "intermediate_size");
        long streams = c.size(4, "hc_mult");
        long indexHeads = c.size(64, "index_n_heads");
        long indexDim = c.size(128, "index_head_dim");
        long window = c.size(128, "sliding_window");
        long csaRate = compressRate(c, "compressed_sparse_attention", "compress_rate_csa", 4);
        long hcaRate = compressRate(c, "heavily_compressed_attention", "compress_rate_hca", 128);
        List<LayerType> types = layerTypes(c, l);
        long hashLayers = hashLayers(c, l);
        long csa = types.stream().filter(t -> t == LayerType.CSA).count();
        long hca = types.stream().filter(t -> t == LayerType.HCA).count();
        long rotary = mul(2, ModuleTally.rotaryBuffers(rotaryDim(c, headDim))); // main and compress tables

        ModuleTally t = new ModuleTally();
        LayerKind att = LayerKind.ATTENTION;
        t.embedding(ModuleTally.EMBEDDING, 1, v, h);
        // attention: q_a_proj, q_a_norm, q_b_proj, kv_proj (one KV head), kv_norm, o_a_proj (grouped), o_b_proj, sinks
        t.linear(att, l, h, qRank, false);
        t.norm(NORM, l, qRank, false);
        t.linear(att, l, qRank, mul(heads, headDim), false);
        t.linear(att, l, h, headDim, false);
        t.norm(NORM, l, headDim, false);
        t.linear(att, PREFIX + "GroupedLinear", l, mul(heads, headDim) / groups, mul(groups, oRank), false);
        t.linear(att, l, mul(groups, oRank), h, false);
        t.parameter(att, PREFIX + "Attention", mul(l, heads));
        // heavily compressed layers: kv_proj and gate_proj (hidden -> head_dim), position_bias, kv_norm, rotary
        t.linear(att, mul(hca, 2), h, headDim, false);
        t.parameter(att, PREFIX + "HCACompressor", mul(hca, mul(hcaRate, headDim)));
        t.norm(NORM, hca, headDim, false);
        // compressed sparse layers: the same over 2 x head_dim, and a lightning indexer over index heads
        t.linear(att, mul(csa, 2), h, mul(2, headDim), false);
        t.parameter(att, PREFIX + "CSACompressor", mul(csa, mul(csaRate, mul(2, headDim))));
        t.norm(NORM, csa, headDim, false);
        t.linear(att, mul(csa, 2), h, mul(2, indexDim), false);
        t.parameter(att, PREFIX + "Indexer", mul(csa, mul(csaRate, mul(2, indexDim))));
        t.norm(NORM, csa, indexDim, false);
        t.linear(att, csa, qRank, mul(indexHeads, indexDim), false); // indexer.q_b_proj
        t.linear(att, csa, h, indexHeads, false); // indexer.scorer.weights_proj
        t.buffer(mul(1 + hca + mul(2, csa), rotary)); // the model's, each compressor's and each indexer's tables
        // mixture of experts on every layer: a hash router (tid2eid, a persistent buffer) or a top-k router
        // (e_score_correction_bias), stacked experts and one shared expert of moe_intermediate_size
        t.parameter(LayerKind.ROUTER, PREFIX + "HashRouter", mul(hashLayers, mul(experts, h)));
        t.buffer(mul(hashLayers, mul(v, topK)));
        t.parameter(LayerKind.ROUTER, PREFIX + "TopKRouter", mul(l - hashLayers, mul(experts, h)));
        t.buffer(mul(l - hashLayers, experts));
        long perExpert = mul(3, mul(inter, h));
        t.experts(PREFIX + "Experts", mul(l, mul(experts, perExpert)), mul(l, mul(topK, perExpert)));
        boolean mlpBias = c.flag(false, "mlp_bias");
        t.linear(LayerKind.MLP, mul(l, 2), h, inter, mlpBias).linear(LayerKind.MLP, l, inter, h, mlpBias);
        t.norm(NORM, mul(l, 2), h, false); // input_layernorm, post_attention_layernorm
        // hyper-connections around attention and feed-forward: fn ((2 + N) N, N H), base, scale (3)
        long mix = mul(2 + streams, streams);
        t.parameter(LayerKind.OTHER, PREFIX + "HyperConnection", mul(mul(l, 2), mul(mix, mul(streams, h)) + mix + 3));
        t.norm(NORM, 1, h, false);
        t.parameter(LayerKind.OTHER, PREFIX + "HyperHead", mul(streams, mul(streams, h)) + streams + 1);
        if (c.flag(false, "tie_word_embeddings")) {
            t.tiedHead(v, h);
        } else {
            t.linear(LayerKind.HEAD, 1, h, v, false);
        }
        List<AttentionLayer> attention = new ArrayList<>();
        for (LayerType type : types) {
            // sliding layers keep a window; compressed layers keep the window plus one entry per compress_rate tokens
            attention.add(type == LayerType.SLIDING ? AttentionLayer.sliding(window) : AttentionLayer.FULL);
        }
        List<Integer> sparse = new ArrayList<>();
        for (int i = 0; i < l; i++) {
            sparse.add(i);
        }
        TransformerShape shape = new TransformerShape(
                l,
                h,
                heads,
                1,
                headDim,
                headDim,
                v,
                inter,
                c.size(1048576, "max_position_embeddings"),
                attention,
                Optional.of(new TransformerShape.Moe(experts, topK, 1, inter, sparse)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                t.matmulPerToken());
        return new HfArchitecture("deepseek_v4", "DeepseekV4ForCausalLM", t.build(), shape, 0);
    }

    /** layer_types as written (truncated to the depth), else legacy compress_ratios, else 2 x HCA then CSA/HCA. */
    private static List<LayerType> layerTypes(HfConfig c, long layers) {
        int n = DecoderFamilies.checkedLayers(c, layers);
        List<LayerType> out = new ArrayList<>(n);
        List<String> given = c.strings("layer_types");
        if (!given.isEmpty()) {
            if (given.size() < n) {
                throw c.invalid(
                        "layer_types", "must have at least one entry per layer (" + n + "), found " + given.size());
            }
            given.stream().limit(n).forEach(id -> out.add(LayerType.of(c, id)));
            return out;
        }
        List<Long> ratios = c.sizes("compress_ratios");
        if (!ratios.isEmpty()) {
            for (int i = 0; i < n && i < ratios.size(); i++) {
                long r = ratios.get(i);
                out.add(
                        r == 0
                                ? LayerType.SLIDING
                                : r == 4 ? LayerType.CSA : r == 128 ? LayerType.HCA : invalidRatio(c, r));
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out.add(i < 2 ? LayerType.HCA : (i - 2) % 2 == 1 ? LayerType.CSA : LayerType.HCA);
        }
        return out;
    }

    private static LayerType invalidRatio(HfConfig c, long r) {
        throw c.invalid("compress_ratios", "entries must be 0, 4 or 128, found " + r);
    }

    /** Layers routed by hash: mlp_layer_types' hash_moe entries, else the first num_hash_layers (3). */
    private static long hashLayers(HfConfig c, long layers) {
        List<String> types = c.strings("mlp_layer_types");
        if (!types.isEmpty()) {
            return types.stream()
                    .limit(layers)
                    .filter(t -> switch (t) {
                        case "hash_moe" -> true;
                        case "moe" -> false;
                        default ->
                            throw c.invalid(
                                    "mlp_layer_types", "entries must be 'hash_moe' or 'moe', found '" + t + "'");
                    })
                    .count();
        }
        return Math.min(layers, c.size(3, "num_hash_layers"));
    }

    private static long compressRate(HfConfig c, String type, String legacyKey, long fallback) {
        Optional<JsonObject> rates = c.object("compress_rates");
        if (rates.isPresent() && rates.get().members().get(type) instanceof JsonValue.JsonNumber) {
            return new HfConfig(rates.get(), c.modelType() + ".compress_rates").size(fallback, type);
        }
        return c.size(fallback, legacyKey);
    }

    /** head_dim x partial_rotary_factor (rope_parameters.main, the top-level key, or 64 / 512). */
    private static long rotaryDim(HfConfig c, long headDim) {
        double factor = 0.125;
        Optional<JsonObject> rope = c.object("rope_parameters");
        JsonValue main = rope.map(JsonObject::members).orElse(Map.of()).get("main");
        if (main instanceof JsonObject m
                && m.members().get("partial_rotary_factor") instanceof JsonValue.JsonNumber n) {
            factor = n.value().doubleValue();
        } else if (c.json().members().get("partial_rotary_factor") instanceof JsonValue.JsonNumber n) {
            factor = n.value().doubleValue();
        } else if (c.optionalSize("qk_rope_head_dim").isPresent() && headDim > 0) {
            factor = (double) c.optionalSize("qk_rope_head_dim").orElseThrow() / headDim;
        }
        if (!(factor > 0 && factor <= 1)) {
            throw c.invalid("partial_rotary_factor", "must be in (0, 1], found " + factor);
        }
        return (long) (headDim * factor);
    }
}
