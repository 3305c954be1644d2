package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.names.LlamaCppNames;
import dev.heft.core.tensor.TensorInventory;
import java.util.Map;

/**
 * The hyper-parameters llama.cpp's per-tensor type rules look at ({@code llama_hparams} and {@code llama_model::type}).
 *
 * @param arch      llama.cpp architecture name ({@code general.architecture}: "llama", "falcon", "qwen2moe", ...)
 * @param nLayer    {@code {arch}.block_count}; llama-quantize sets n_ffn_down = n_ffn_gate = n_ffn_up = n_layer
 * @param nHead     {@code {arch}.attention.head_count} (layer 0)
 * @param nHeadKv   {@code {arch}.attention.head_count_kv} (layer 0); equals nHead when absent
 * @param nExpert   {@code {arch}.expert_count}, 0 for dense models
 * @param is70B     whether llama.cpp classifies the model as LLM_TYPE_70B (attn_v gets raised from Q3_K/Q4_K to Q5_K)
 */
public record ModelFacts(String arch, int nLayer, int nHead, int nHeadKv, int nExpert, boolean is70B) {

    public ModelFacts {
        if (arch == null || arch.isEmpty()) {
            throw new InvalidInputException("model facts need an architecture name");
        }
        if (nLayer <= 0 || nHead < 0 || nHeadKv < 0 || nExpert < 0) {
            throw new InvalidInputException("model facts out of range: n_layer " + nLayer + ", n_head " + nHead
                    + ", n_head_kv " + nHeadKv + ", n_expert " + nExpert + " (expected n_layer > 0, others >= 0)");
        }
    }

    /**
     * Facts for a model, deriving {@link #is70B()} the way llama.cpp's llm_load_hparams does for arch "llama": 80 layers
     * with grouped-query attention is LLM_TYPE_70B (80 layers without GQA is 65B). Other architectures are not
     * classified as 70B here; use the canonical constructor to say so.
     */
    public static ModelFacts of(String arch, int nLayer, int nHead, int nHeadKv, int nExpert) {
        boolean is70B = "llama".equals(arch) && nLayer == 80 && nHead != nHeadKv;
        return new ModelFacts(arch, nLayer, nHead, nHeadKv, nExpert, is70B);
    }

    /** Reads the facts from GGUF metadata ({@code general.architecture}, {@code {arch}.block_count}, ...). */
    public static ModelFacts fromGgufMetadata(Map<String, Object> metadata) {
        Object archValue = metadata.get("general.architecture");
        if (!(archValue instanceof String arch)) {
            throw new InvalidInputException("GGUF metadata key 'general.architecture' missing or not a string");
        }
        int nLayer = intKey(metadata, arch + ".block_count", -1);
        int nHead = intKey(metadata, arch + ".attention.head_count", 0);
        int nHeadKv = intKey(metadata, arch + ".attention.head_count_kv", nHead);
        int nExpert = intKey(metadata, arch + ".expert_count", 0);
        if (nLayer < 0) {
            throw new InvalidInputException("GGUF metadata key '" + arch + ".block_count' missing");
        }
        return of(arch, nLayer, nHead, nHeadKv, nExpert);
    }

    /**
     * Reads the facts from a Hugging Face config.json (either the full config or the diff save_pretrained writes):
     * {@code num_hidden_layers}/{@code n_layer}, {@code num_attention_heads}/{@code n_head},
     * {@code num_key_value_heads} (defaulting to the head count, as the configs do), and the expert count
     * ({@code num_local_experts}, {@code num_experts}, {@code n_routed_experts}). {@code model_type} is turned into
     * llama.cpp's architecture name by the one {@link LlamaCppNames} table (Mistral and Mixtral are llama.cpp's
     * "llama", DeepSeek-V2 and V3 its "deepseek2").
     */
    public static ModelFacts fromHfConfig(JsonObject config) {
        JsonObject c = config.getObject("text_config").orElse(config); // multimodal wrappers keep the LM inside
        String modelType = c.getString("model_type", config.getString("model_type", null));
        if (modelType == null) {
            throw new InvalidInputException("config.json has no 'model_type'");
        }
        String arch = LlamaCppNames.llamaCppArch(modelType).orElse(modelType);
        int nLayer = hfInt(c, -1, "num_hidden_layers", "n_layer", "num_layers");
        if (nLayer <= 0) {
            throw new InvalidInputException("config.json has no layer count ('num_hidden_layers' or 'n_layer')");
        }
        int nHead = hfInt(c, 0, "num_attention_heads", "n_head");
        int nHeadKv = hfInt(c, nHead, "num_key_value_heads", "multi_query_group_num");
        int nExpert = hfInt(c, 0, "num_local_experts", "num_experts", "n_routed_experts");
        return of(arch, nLayer, nHead, nHeadKv, nExpert);
    }

    private static int hfInt(JsonObject c, int absent, String... keys) {
        for (String k : keys) {
            if (c.has(k)) {
                long v;
                try {
                    v = c.getLong(k, absent);
                } catch (dev.heft.core.error.HeftException e) {
                    throw new InvalidInputException("config.json key '" + k + "' is not an integer", e);
                }
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new InvalidInputException("config.json key '" + k + "' is " + v + ", expected a count");
                }
                return (int) v;
            }
        }
        return absent;
    }

    private static int intKey(Map<String, Object> metadata, String key, int absent) {
        Object v = metadata.get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof Number n
                && n.longValue() >= 0
                && n.longValue() <= Integer.MAX_VALUE
                && n.doubleValue() == n.longValue()) {
            return n.intValue();
        }
        // Per-layer head counts are stored as arrays in some models; llama.cpp's rules read layer 0.
        if (v instanceof java.util.List<?> list && !list.isEmpty() && list.getFirst() instanceof Number n0) {
            return n0.intValue();
        }
        if (v instanceof TensorInventory.MetadataArray a
                && !a.head().isEmpty()
                && a.head().getFirst() instanceof Number n0) {
            return n0.intValue();
        }
        throw new InvalidInputException("GGUF metadata key '" + key + "' is " + v + ", expected a count");
    }

    /** {@code llama_hparams::n_gqa()}: n_head / n_head_kv in integer division, 0 when there are no kv heads. */
    public int nGqa() {
        return nHeadKv == 0 ? 0 : nHead / nHeadKv;
    }
}
