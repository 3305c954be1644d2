package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;

/**
 * {@code torch.nn.Embedding(num_embeddings, embedding_dim)} and {@code EmbeddingBag} (same weight
 * {@code [num_embeddings, embedding_dim]}). A lookup: no FLOPs. Embedding maps indices {@code [*]} to
 * {@code [*, dim]}; EmbeddingBag reduces bags {@code [B, L]} to {@code [B, dim]}.
 */
public final class Embedding extends Module {
    private final long dim;
    private final boolean bag;

    public Embedding(long num, long dim, boolean bag) {
        super(bag ? "EmbeddingBag" : "Embedding", LayerKind.EMBEDDING);
        this.dim = dim;
        this.bag = bag;
        parameter("weight", num, dim);
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        if (bag) {
            require(input.rank() == 2, input, "[bags, indices per bag]");
            return input.prefix(1, dim);
        }
        return input.prefix(input.rank(), dim);
    }
}
