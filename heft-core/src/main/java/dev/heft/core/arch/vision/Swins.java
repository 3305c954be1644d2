package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.FlopCounter;
import dev.heft.core.arch.torch.Linear;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.classify.LayerKind;

/**
 * Swin Transformer v1 (Liu et al., "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", 2021;
 * torchvision/models/swin_transformer.py): patch size 4, window 7x7, MLP ratio 4.
 */
final class Swins {
    private static final long WINDOW = 7;

    private Swins() {}

    static Module swin(long embed, int[] depths, long[] heads) {
        Sequential features = new Sequential();
        Sequential patch = new Sequential();
        patch.append(Conv.conv2d(3, embed, 4, 4, 0, 1, true))
                .append(new Elementwise("Permute"))
                .append(Norm.layerNorm(embed));
        features.append(patch);
        long dim = embed;
        for (int s = 0; s < depths.length; s++) {
            Sequential stage = new Sequential();
            for (int i = 0; i < depths[s]; i++) {
                stage.append(swinBlock(dim, heads[s]));
            }
            features.append(stage);
            if (s < depths.length - 1) {
                features.append(patchMerging(dim));
                dim *= 2;
            }
        }
        Block net = new Block("SwinTransformer");
        net.add("features", features);
        net.add("norm", Norm.layerNorm(dim));
        net.add("permute", new Elementwise("Permute"));
        net.add("avgpool", dev.heft.core.arch.torch.Pool.adaptiveAvg2d(1));
        net.add("flatten", new dev.heft.core.arch.torch.Flatten(1, -1));
        net.add("head", Tv.head(dim, 1000, true));
        long last = dim;
        return net.forward((self, x, f) -> {
            Sequential feats = (Sequential) self.child("features");
            Sequential stem = (Sequential) feats.child("0");
            Shape y = stem.child("0").forward(x, f);
            Shape nhwc = Shape.of(y.dim(0), y.dim(2), y.dim(3), y.dim(1)); // Permute([0, 2, 3, 1])
            for (int i = 1; i < feats.children().size(); i++) {
                nhwc = feats.child(Integer.toString(i)).forward(nhwc, f);
            }
            return self.run("head", Shape.of(nhwc.dim(0), last), f);
        });
    }

    /** SwinTransformerBlock: norm1, attn (ShiftedWindowAttention), stochastic_depth, norm2, mlp (MLP dim->4dim->dim). */
    private static Module swinBlock(long dim, long heads) {
        Block b = new Block("SwinTransformerBlock");
        b.add("norm1", Norm.layerNorm(dim));
        b.add("attn", shiftedWindowAttention(dim, heads));
        b.add("stochastic_depth", new Elementwise("StochasticDepth"));
        b.add("norm2", Norm.layerNorm(dim));
        Sequential mlp = new Sequential("MLP");
        mlp.append(new Linear(dim, 4 * dim, true))
                .append(new Elementwise("GELU"))
                .append(new Elementwise("Dropout"))
                .append(new Linear(4 * dim, dim, true))
                .append(new Elementwise("Dropout"));
        b.add("mlp", mlp);
        return b.forward((self, x, f) -> {
            self.run("attn", x, f);
            return self.run("mlp", x, f);
        });
    }

    /**
     * ShiftedWindowAttention: qkv Linear(dim, 3dim), proj Linear(dim, dim), relative_position_bias_table
     * {@code [(2*7-1)^2, heads]} (a parameter of this module) and relative_position_index {@code [49*49]} (a buffer).
     * Forward: pad H and W to multiples of 7, qkv over {@code [B*nW, 49, C]}, {@code q @ k^T} and {@code attn @ v} as
     * batched products over {@code B*nW*heads}, then proj.
     */
    private static Module shiftedWindowAttention(long dim, long heads) {
        Block b = new Block("ShiftedWindowAttention", LayerKind.ATTENTION);
        b.add("qkv", new Linear("Linear", LayerKind.ATTENTION, dim, 3 * dim, true));
        b.add("proj", new Linear("Linear", LayerKind.ATTENTION, dim, dim, true));
        b.ownParameter("relative_position_bias_table", (2 * WINDOW - 1) * (2 * WINDOW - 1), heads);
        b.ownBuffer("relative_position_index", WINDOW * WINDOW * WINDOW * WINDOW);
        return b.forward((self, x, f) -> {
            long windows = Math.ceilDiv(x.dim(1), WINDOW) * Math.ceilDiv(x.dim(2), WINDOW);
            long rows = x.dim(0) * windows;
            long tokens = WINDOW * WINDOW;
            windowAttention(self, rows, tokens, dim, heads, f);
            return x;
        });
    }

    /** qkv projection, the two attention products, output projection, over {@code rows} windows of {@code tokens}. */
    static void windowAttention(Block self, long rows, long tokens, long dim, long heads, FlopCounter f) {
        String qkv = self.children().containsKey("qkv") ? "qkv" : "to_qkv";
        String proj = self.children().containsKey("proj") ? "proj" : "merge";
        self.run(qkv, Shape.of(rows, tokens, dim), f);
        f.attention(rows * heads, tokens, tokens, dim / heads, dim / heads);
        self.run(proj, Shape.of(rows, tokens, dim), f);
    }

    /** PatchMerging: pad to even H/W, concatenate 2x2 neighbours (4C), norm LayerNorm(4C), reduction Linear(4C, 2C). */
    private static Module patchMerging(long dim) {
        Block b = new Block("PatchMerging");
        b.add("reduction", new Linear(4 * dim, 2 * dim, false));
        b.add("norm", Norm.layerNorm(4 * dim));
        return b.forward((self, x, f) -> {
            Shape merged = Shape.of(x.dim(0), Math.ceilDiv(x.dim(1), 2), Math.ceilDiv(x.dim(2), 2), 4 * dim);
            return self.run("reduction", merged, f);
        });
    }
}
