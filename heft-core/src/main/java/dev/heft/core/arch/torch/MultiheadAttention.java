package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.error.InvalidInputException;

/**
 * {@code torch.nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
 * add_zero_attn=False, kdim=None, vdim=None, batch_first=False)} (torch/nn/modules/activation.py).
 * <p>Tensors, in registration order: {@code in_proj_weight [3E, E]} when kdim == vdim == E, otherwise
 * {@code q_proj_weight [E, E]}, {@code k_proj_weight [E, kdim]}, {@code v_proj_weight [E, vdim]}; {@code in_proj_bias
 * [3E]} with bias; {@code bias_k}, {@code bias_v} {@code [1, 1, E]} with add_bias_kv; child {@code out_proj}, a
 * {@code NonDynamicallyQuantizableLinear(E, E, bias)}.
 */
public final class MultiheadAttention extends Module {
    private final long embed;
    private final long heads;
    private final long kdim;
    private final long vdim;
    private final boolean addBiasKv;
    private final boolean addZeroAttn;
    private final boolean batchFirst;
    private final boolean bias;

    public MultiheadAttention(
            long embed,
            long heads,
            boolean bias,
            boolean addBiasKv,
            boolean addZeroAttn,
            long kdim,
            long vdim,
            boolean batchFirst) {
        super("MultiheadAttention", LayerKind.ATTENTION);
        if (heads <= 0 || embed % heads != 0) {
            throw new InvalidInputException(
                    "MultiheadAttention: embed_dim (" + embed + ") must be divisible by num_heads (" + heads + ")");
        }
        this.embed = embed;
        this.heads = heads;
        this.kdim = kdim;
        this.vdim = vdim;
        this.addBiasKv = addBiasKv;
        this.addZeroAttn = addZeroAttn;
        this.batchFirst = batchFirst;
        this.bias = bias;
        if (sameEmbedDim()) {
            parameter("in_proj_weight", 3 * embed, embed);
        } else {
            parameter("q_proj_weight", embed, embed);
            parameter("k_proj_weight", embed, kdim);
            parameter("v_proj_weight", embed, vdim);
        }
        if (bias) {
            parameter("in_proj_bias", 3 * embed);
        }
        if (addBiasKv) {
            parameter("bias_k", 1, 1, embed);
            parameter("bias_v", 1, 1, embed);
        }
        add("out_proj", new Linear("NonDynamicallyQuantizableLinear", LayerKind.ATTENTION, embed, embed, bias));
    }

    public MultiheadAttention(long embed, long heads, boolean bias, boolean batchFirst) {
        this(embed, heads, bias, false, false, embed, embed, batchFirst);
    }

    /** {@code _qkv_same_embed_dim}: one packed in_proj_weight. */
    public boolean sameEmbedDim() {
        return kdim == embed && vdim == embed;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    public boolean hasBias() {
        return bias;
    }

    public long heads() {
        return heads;
    }

    /** Self-attention {@code mha(x, x, x)} with torch's default {@code need_weights=True}, as a spec applies it. */
    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        return flops.allocate(attend(input, input, true, true, flops)); // attn_output is a new tensor
    }

    /**
     * One call {@code mha(query, key=value=memory)}. In eval mode without autograd, torch takes the fused fast path
     * ({@code torch._native_multi_head_attention}) when query is key is value, the input is batched, batch_first is set,
     * the head count is even, q/k/v share embed_dim and there is no bias_k or zero attention; FlopCounterMode has no
     * formula for that op and counts 0. Otherwise F.multi_head_attention_forward runs projections (mm), the two
     * attention products and out_proj (mm). The products are explicit {@code bmm}s when {@code needWeights}
     * (counted); without, they are one {@code scaled_dot_product_attention}, which on CPU is
     * {@code _scaled_dot_product_flash_attention_for_cpu}: no formula, 0, with the work in a note.
     */
    public Shape attend(Shape query, Shape memory, boolean selfAttention, boolean needWeights, FlopCounter flops) {
        require(
                (query.rank() == 3 || query.rank() == 2) && query.dim(-1) == embed,
                query,
                "[L, N, " + embed + "] (or [N, L, E] with batch_first, or unbatched [L, E])");
        require(
                memory.rank() == query.rank() && memory.dim(-1) == kdim && kdim == vdim,
                memory,
                "key/value of width kdim = vdim = " + kdim);
        boolean batched = query.rank() == 3;
        if (selfAttention && batched && batchFirst && heads % 2 == 0 && sameEmbedDim() && !addBiasKv && !addZeroAttn) {
            flops.uncounted("MultiheadAttention fast path (torch._native_multi_head_attention) is not counted by"
                    + " FlopCounterMode");
            return query;
        }
        long n = batched ? (batchFirst ? query.dim(0) : query.dim(1)) : 1;
        long l = batched ? (batchFirst ? query.dim(1) : query.dim(0)) : query.dim(0);
        long s = batched ? (batchFirst ? memory.dim(1) : memory.dim(0)) : memory.dim(0);
        long queries = Math.multiplyExact(l, n);
        long keysTimesBatch = Math.multiplyExact(s, n);
        if (sameEmbedDim() && selfAttention) {
            flops.mm(queries, embed, 3 * embed); // _in_projection_packed: one linear for q, k and v
        } else if (sameEmbedDim()) {
            flops.mm(queries, embed, embed); // q, then k and v packed: linear(k, w_kv)
            flops.mm(keysTimesBatch, embed, 2 * embed);
        } else {
            flops.mm(queries, embed, embed);
            flops.mm(keysTimesBatch, kdim, embed);
            flops.mm(keysTimesBatch, vdim, embed);
        }
        long keys = s + (addBiasKv ? 1 : 0) + (addZeroAttn ? 1 : 0);
        long headDim = embed / heads;
        if (needWeights) {
            flops.attention(Math.multiplyExact(n, heads), l, keys, headDim, headDim);
        } else {
            FlopCounter sdpa = new FlopCounter();
            sdpa.attention(Math.multiplyExact(n, heads), l, keys, headDim, headDim);
            flops.uncounted("scaled_dot_product_attention runs as _scaled_dot_product_flash_attention_for_cpu on CPU,"
                    + " which FlopCounterMode does not count (" + sdpa.flops() + " FLOPs per call; CUDA kernels are"
                    + " counted)");
        }
        flops.mm(queries, embed, embed); // out_proj
        return query;
    }
}
