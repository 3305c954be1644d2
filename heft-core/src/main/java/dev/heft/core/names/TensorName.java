package dev.heft.core.names;

/**
 * A stored tensor's name taken apart: the repeated-block container it sits in, the block and expert numbers, the
 * module path inside the block, the projection (the last module) and the parameter suffix. One parser
 * ({@link #parse}) serves every place that reads names: the layer classifier, the inspect report's block summary,
 * the llama.cpp type rules, the quantization targets and the Hugging Face to llama.cpp name mapping.
 *
 * <p>Examples (the separators {@code .} and {@code /} are equivalent; {@code /} is TensorFlow/Keras style):
 * <pre>
 *   model.layers.3.mlp.experts.7.down_proj.weight
 *     container "model.layers", block 3, expert 7, module "mlp.experts", projection "down_proj", param "weight"
 *   blk.12.ffn_down_exps.weight
 *     container "blk", block 12, expert -1, module "", projection "ffn_down_exps", param "weight"
 *   model.layers.0.mlp.experts.gate_up_proj          (a fused 3-D expert parameter: no ".weight")
 *     container "model.layers", block 0, module "mlp.experts", projection "gate_up_proj", param ""
 *   model.embed_tokens.weight
 *     container "", block -1, module "model", projection "embed_tokens", param "weight"
 *   bert/encoder/layer_0/attention/self/query/kernel:0
 *     container "bert/encoder/layer", block 0, module "attention/self", projection "query", param "kernel:0"
 * </pre>
 *
 * @param name       the name as stored
 * @param container  the path up to and including the block container segment ({@code model.layers},
 *                   {@code transformer.h}, {@code blk}, {@code model.encoder.layers}), "" outside any named block
 * @param block      the block number, -1 outside a named block container
 * @param expert     the expert number of a per-expert tensor ({@code experts.N.}), -1 otherwise
 * @param module     the module path between the block (or the start of the name) and the projection, with the
 *                   expert number left out ({@code mlp.experts}, {@code self_attn}), "" when none
 * @param projection the last module segment ({@code q_proj}, {@code attn_q}, {@code c_attn}), "" when the name
 *                   is a bare parameter
 * @param param      the parameter suffix ({@code weight}, {@code bias}, {@code kernel:0}, {@code running_mean},
 *                   ...), "" when the name ends in a module (fused expert parameters)
 * @param firstIndex the first all-digit segment that is neither the first nor the last segment, -1 when none: the
 *                   position in an unnamed sequential container such as torchvision's {@code features.3.weight}
 */
public record TensorName(
        String name,
        String container,
        int block,
        int expert,
        String module,
        String projection,
        String param,
        int firstIndex) {

    /** Parses a tensor name. Never fails: a name with no structure comes back with every part empty or -1. */
    public static TensorName parse(String name) {
        return TensorNameParser.parse(name);
    }

    /**
     * The named block's number ({@link #block()}), else the first numbered segment ({@link #firstIndex()}), else -1;
     * without building the record (one call per tensor on the inspect path).
     */
    public static int blockOrFirstIndex(String name) {
        long found = TensorNameParser.findBlock(name);
        return found >= 0 ? (int) found : TensorNameParser.firstIndex(name);
    }

    /**
     * The named block of a name without building the record: {@code (containerEnd << 32) | block}, where
     * {@code name.substring(0, containerEnd)} is {@link #container()}, or -1 when the name is in no named block.
     */
    public static long locateBlock(String name) {
        return TensorNameParser.findBlock(name);
    }

    /** Whether the tensor sits in a named repeated block ({@code layers.N}, {@code h.N}, {@code blk.N}, ...). */
    public boolean inBlock() {
        return block >= 0;
    }

    /** The module path inside the block joined with the projection ({@code self_attn.q_proj}). */
    public String modulePath() {
        if (module.isEmpty()) {
            return projection;
        }
        return projection.isEmpty() ? module : module + separator() + projection;
    }

    /** Whether this is a llama.cpp (GGUF) name: a {@code blk.N.} block or one of its top-level tensor names. */
    public boolean isGguf() {
        return container.equals("blk") || (block < 0 && LlamaCppNames.isGlobalTensor(projection));
    }

    /** The separator the name uses: '/' for TensorFlow-style names, '.' otherwise. */
    char separator() {
        return name.indexOf('/') >= 0 && name.indexOf('.') < 0 ? '/' : '.';
    }
}
