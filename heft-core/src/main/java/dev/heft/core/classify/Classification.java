package dev.heft.core.classify;

/**
 * Where one tensor sits: its layer kind, the part within that kind (token/position/type for embeddings, q/k/v/o/qkv
 * for attention, gate/up/down for MLPs...), whether it is a bias, and the repeated block it belongs to.
 *
 * @param kind  the layer kind
 * @param part  a short name of the part within the kind, or "" when none applies
 * @param bias  true for bias vectors (reported within the kind and also totalled apart)
 * @param block index of the repeated block (transformer layer, ResNet stage block...), or -1 outside any block
 */
public record Classification(LayerKind kind, String part, boolean bias, int block) {
    public Classification {
        if (kind == null || part == null) {
            throw new IllegalArgumentException("kind and part are required");
        }
    }
}
