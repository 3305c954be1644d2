package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;

/**
 * {@code torch.nn.TransformerEncoderLayer} and {@code TransformerDecoderLayer} (torch/nn/modules/transformer.py):
 * {@code (d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=relu, layer_norm_eps=1e-5, batch_first=False,
 * norm_first=False, bias=True)}. Children in registration order: self_attn, [multihead_attn], linear1, dropout,
 * linear2, norm1, norm2, [norm3], dropout1, dropout2, [dropout3]; norms are LayerNorm(d_model, bias=bias).
 */
public final class TransformerLayer extends Module {
    private final boolean decoder;
    private final boolean reluOrGelu;

    public TransformerLayer(
            boolean decoder,
            long dModel,
            long heads,
            long feedForward,
            boolean batchFirst,
            boolean bias,
            boolean reluOrGelu) {
        super(decoder ? "TransformerDecoderLayer" : "TransformerEncoderLayer", LayerKind.OTHER);
        this.decoder = decoder;
        this.reluOrGelu = reluOrGelu;
        add("self_attn", new MultiheadAttention(dModel, heads, bias, batchFirst));
        if (decoder) {
            add("multihead_attn", new MultiheadAttention(dModel, heads, bias, batchFirst));
        }
        add("linear1", new Linear(dModel, feedForward, bias));
        add("dropout", new Elementwise("Dropout"));
        add("linear2", new Linear(feedForward, dModel, bias));
        add("norm1", Norm.layerNorm("LayerNorm", Shape.of(dModel), true, bias));
        add("norm2", Norm.layerNorm("LayerNorm", Shape.of(dModel), true, bias));
        if (decoder) {
            add("norm3", Norm.layerNorm("LayerNorm", Shape.of(dModel), true, bias));
        }
        add("dropout1", new Elementwise("Dropout"));
        add("dropout2", new Elementwise("Dropout"));
        if (decoder) {
            add("dropout3", new Elementwise("Dropout"));
        }
    }

    /**
     * Encoder: in eval without autograd, torch runs the whole layer as {@code torch._transformer_encoder_layer_fwd}
     * (no FlopCounterMode formula: 0) when the input is batched, batch_first is set, bias is on, the activation is relu
     * or gelu and nhead is even. Decoder: no fused path; {@code memory} is taken to have the target's shape.
     */
    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        MultiheadAttention sa = (MultiheadAttention) child("self_attn");
        if (!decoder && input.rank() == 3 && sa.batchFirst() && sa.hasBias() && reluOrGelu && sa.heads() % 2 == 0) {
            flops.uncounted("TransformerEncoderLayer fast path (torch._transformer_encoder_layer_fwd) is not counted"
                    + " by FlopCounterMode");
            return input;
        }
        Shape x = sa.attend(input, input, true, false, flops); // _sa_block: need_weights=False
        if (decoder) {
            // memory stands in as a tensor shaped like the target; cross-attention never takes the fast path
            ((MultiheadAttention) child("multihead_attn")).attend(x, input, false, false, flops);
        }
        Shape h = child("linear1").forward(x, flops);
        return child("linear2").forward(h, flops);
    }
}
