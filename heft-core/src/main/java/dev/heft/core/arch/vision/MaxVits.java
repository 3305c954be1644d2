package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Flatten;
import dev.heft.core.arch.torch.Linear;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Pool;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.arch.vision.Tv.NormKind;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.error.InvalidInputException;
import java.util.List;

/**
 * MaxViT (Tu et al., "MaxViT: Multi-Axis Vision Transformer", 2022; torchvision/models/maxvit.py), maxvit_t: stem 64,
 * blocks [64, 128, 256, 512] x [2, 2, 5, 2] layers, head_dim 32, partition 7, expansion 4, squeeze 0.25, MLP ratio 4.
 */
final class MaxVits {
    private static final long PARTITION = 7;
    private static final long HEAD_DIM = 32;

    private MaxVits() {}

    static Module maxvitT() {
        long stem = 64;
        long[] channels = {64, 128, 256, 512};
        int[] layers = {2, 2, 5, 2};
        Sequential stemSeq = new Sequential();
        stemSeq.append(Tv.convNormAct(3, stem, 3, 2, 1, 1, NormKind.BATCH, "GELU", false));
        stemSeq.append(Tv.convNormAct(stem, stem, 3, 1, 1, 1, NormKind.NONE, null, true));
        Sequential blocks = new Sequential("ModuleList");
        long in = stem;
        for (int b = 0; b < channels.length; b++) {
            Sequential block = new Sequential("ModuleList");
            for (int i = 0; i < layers[b]; i++) {
                block.append(maxvitLayer(i == 0 ? in : channels[b], channels[b], i == 0 ? 2 : 1));
            }
            Block maxvitBlock = new Block("MaxVitBlock");
            maxvitBlock.add("layers", block);
            maxvitBlock.forward((self, x, f) -> self.run("layers", x, f));
            blocks.append(maxvitBlock);
            in = channels[b];
        }
        Sequential classifier = new Sequential();
        classifier
                .append(Pool.adaptiveAvg2d(1))
                .append(new Flatten(1, -1))
                .append(Norm.layerNorm(in))
                .append(new Linear(in, in, true))
                .append(new Elementwise("Tanh"))
                .append(Tv.head(in, 1000, false));
        Block net = new Block("MaxVit");
        net.add("stem", stemSeq);
        net.add("blocks", blocks);
        net.add("classifier", classifier);
        return net.forward((self, x, f) -> Tv.chain(self, x, f, List.of("stem", "blocks", "classifier")));
    }

    /** MaxVitLayer: layers = MBconv, window_attention, grid_attention. */
    private static Module maxvitLayer(long in, long out, long stride) {
        Sequential seq = new Sequential();
        seq.append("MBconv", mbConv(in, out, stride));
        seq.append("window_attention", partitionAttention(out, "window"));
        seq.append("grid_attention", partitionAttention(out, "grid"));
        Block b = new Block("MaxVitLayer");
        b.add("layers", seq);
        return b.forward((self, x, f) -> self.run("layers", x, f));
    }

    /**
     * MBConv: proj = [AvgPool2d(3, 2, 1) when strided] + Conv2d(in, out, 1, bias=True) when the shape changes;
     * layers = pre_norm BatchNorm2d(in), conv_a 1x1 to 4*out, conv_b 3x3 depthwise (stride), squeeze_excitation with
     * int(out * 0.25) channels, conv_c 1x1 with bias.
     */
    private static Module mbConv(long in, long out, long stride) {
        Block b = new Block("MBConv");
        if (stride != 1 || in != out) {
            Sequential proj = new Sequential();
            if (stride == 2) {
                proj.append(Pool.avgPool2d(3, 2, 1));
            }
            proj.append(Conv.conv2d(in, out, 1, 1, 0, 1, true));
            b.add("proj", proj);
        } else {
            b.add("proj", new Elementwise("Identity"));
        }
        long mid = out * 4;
        Sequential layers = new Sequential();
        layers.append("pre_norm", Norm.batchNorm2d(in));
        layers.append("conv_a", Tv.convNormAct(in, mid, 1, 1, 0, 1, NormKind.BATCH, "GELU", false));
        layers.append("conv_b", Tv.convNormAct(mid, mid, 3, stride, 1, mid, NormKind.BATCH, "GELU", false));
        layers.append("squeeze_excitation", Tv.squeezeExcitation(mid, out / 4, "SiLU", "Sigmoid"));
        layers.append("conv_c", Conv.conv2d(mid, out, 1, 1, 0, 1, true));
        b.add("stochastic_depth", new Elementwise("StochasticDepth"));
        b.add("layers", layers);
        return b.forward((self, x, f) -> {
            self.run("proj", x, f);
            return self.run("layers", x, f);
        });
    }

    /**
     * PartitionAttentionLayer: the map is cut into 7x7 windows (or a 7x7 grid), giving {@code B * H*W/49} groups of
     * 49 tokens either way; attn_layer = LayerNorm, RelativePositionalMultiHeadAttention, Dropout; mlp_layer =
     * LayerNorm, Linear(C, 4C), GELU, Linear(4C, C), Dropout.
     */
    private static Module partitionAttention(long channels, String type) {
        Sequential attn = new Sequential();
        attn.append(Norm.layerNorm(channels))
                .append(relativeAttention(channels))
                .append(new Elementwise("Dropout"));
        Sequential mlp = new Sequential();
        mlp.append(Norm.layerNorm(channels))
                .append(new Linear(channels, 4 * channels, true))
                .append(new Elementwise("GELU"))
                .append(new Linear(4 * channels, channels, true))
                .append(new Elementwise("Dropout"));
        Block b = new Block("PartitionAttentionLayer");
        b.add("partition_op", new Elementwise("WindowPartition"));
        b.add("departition_op", new Elementwise("WindowDepartition"));
        b.add("partition_swap", new Elementwise(type.equals("grid") ? "SwapAxes" : "Identity"));
        b.add("departition_swap", new Elementwise(type.equals("grid") ? "SwapAxes" : "Identity"));
        b.add("attn_layer", attn);
        b.add("mlp_layer", mlp);
        b.add("stochastic_dropout", new Elementwise("StochasticDepth"));
        return b.forward((self, x, f) -> {
            if (x.dim(2) % PARTITION != 0 || x.dim(3) % PARTITION != 0) {
                throw new InvalidInputException("MaxVit: feature map " + x.dim(2) + "x" + x.dim(3)
                        + " is not divisible by the partition size " + PARTITION);
            }
            long groups = x.dim(2) * x.dim(3) / (PARTITION * PARTITION);
            Shape tokens = Shape.of(x.dim(0), groups, PARTITION * PARTITION, channels);
            self.run("attn_layer", tokens, f);
            self.run("mlp_layer", tokens, f);
            return x;
        });
    }

    /**
     * RelativePositionalMultiHeadAttention(feat_dim, head_dim=32, max_seq_len=49): to_qkv Linear(C, 3C), merge
     * Linear(C, C), relative_position_bias_table {@code [13*13, heads]}, buffer relative_position_index {@code [49, 49]}.
     * The two einsums run as batched products over {@code B*G*heads}.
     */
    private static Module relativeAttention(long channels) {
        long heads = channels / HEAD_DIM;
        Block b = new Block("RelativePositionalMultiHeadAttention", LayerKind.ATTENTION);
        b.add("to_qkv", new Linear("Linear", LayerKind.ATTENTION, channels, 3 * channels, true));
        b.add("merge", new Linear("Linear", LayerKind.ATTENTION, channels, channels, true));
        b.ownParameter("relative_position_bias_table", (2 * PARTITION - 1) * (2 * PARTITION - 1), heads);
        b.ownBuffer("relative_position_index", PARTITION * PARTITION, PARTITION * PARTITION);
        return b.forward((self, x, f) -> {
            Swins.windowAttention(self, x.dim(0) * x.dim(1), x.dim(2), channels, heads, f);
            return x;
        });
    }
}
