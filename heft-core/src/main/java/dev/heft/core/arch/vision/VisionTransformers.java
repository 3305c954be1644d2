package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Linear;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.MultiheadAttention;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.error.InvalidInputException;

/**
 * Vision Transformer (Dosovitskiy et al., "An Image is Worth 16x16 Words", 2020; torchvision/models/
 * vision_transformer.py): {@code VisionTransformer(image_size, patch_size, num_layers, num_heads, hidden_dim,
 * mlp_dim)}. The class token is owned by VisionTransformer, the position embedding {@code [1, (image/patch)^2 + 1,
 * hidden]} by Encoder, so the parameter count depends on the image size.
 */
final class VisionTransformers {
    private VisionTransformers() {}

    static Module vit(long image, long patch, int layers, long heads, long hidden, long mlp) {
        if (image % patch != 0) {
            throw new InvalidInputException("image size " + image + " is not divisible by patch size " + patch);
        }
        long seq = (image / patch) * (image / patch) + 1;
        Block net = new Block("VisionTransformer", LayerKind.EMBEDDING);
        net.ownParameter("class_token", 1, 1, hidden);
        net.add("conv_proj", Conv.conv2d(3, hidden, patch, patch, 0, 1, true));
        Block encoder = new Block("Encoder", LayerKind.EMBEDDING);
        encoder.ownParameter("pos_embedding", 1, seq, hidden);
        encoder.add("dropout", new Elementwise("Dropout"));
        Sequential blocks = new Sequential();
        for (int i = 0; i < layers; i++) {
            blocks.append("encoder_layer_" + i, encoderBlock(heads, hidden, mlp));
        }
        encoder.add("layers", blocks);
        encoder.add("ln", Norm.layerNorm("LayerNorm", Shape.of(hidden), true, true));
        // input = input + self.pos_embedding (a new tensor); return self.ln(self.layers(self.dropout(input)))
        encoder.forward((self, x, f) -> {
            Shape in = Tv.newLike(x, f);
            return self.run("ln", self.run("layers", self.run("dropout", in, f), f), f);
        });
        net.add("encoder", encoder);
        Sequential headsModule = new Sequential();
        headsModule.append("head", Tv.head(hidden, 1000, true));
        net.add("heads", headsModule);
        return net.forward((self, x, f) -> {
            if (x.dim(2) != image || x.dim(3) != image) {
                throw new InvalidInputException(
                        "VisionTransformer: wrong image size " + x.dim(2) + "x" + x.dim(3) + ", expected " + image);
            }
            Shape p = self.run("conv_proj", x, f);
            // _process_input: reshape and permute (views); torch.cat([class_token.expand(n, -1, -1), x], 1) (new)
            Shape patches = f.alias(Shape.of(x.dim(0), p.dim(2) * p.dim(3), hidden), p);
            Shape tokens = f.allocate(Shape.of(x.dim(0), p.dim(2) * p.dim(3) + 1, hidden));
            f.release(p);
            f.release(patches);
            Shape y = self.run("encoder", tokens, f);
            f.release(tokens);
            return self.run("heads", f.alias(Shape.of(y.dim(0), hidden), y), f); // x[:, 0]: a view
        });
    }

    /** EncoderBlock: ln_1, self_attention (batch_first MultiheadAttention), dropout, ln_2, mlp (MLPBlock). */
    private static Module encoderBlock(long heads, long hidden, long mlp) {
        Block b = new Block("EncoderBlock");
        b.add("ln_1", Norm.layerNorm("LayerNorm", Shape.of(hidden), true, true));
        b.add("self_attention", new MultiheadAttention(hidden, heads, true, true));
        b.add("dropout", new Elementwise("Dropout"));
        b.add("ln_2", Norm.layerNorm("LayerNorm", Shape.of(hidden), true, true));
        Sequential m = new Sequential("MLPBlock");
        m.append(new Linear(hidden, mlp, true))
                .append(new Elementwise("GELU"))
                .append(new Elementwise("Dropout"))
                .append(new Linear(mlp, hidden, true))
                .append(new Elementwise("Dropout"));
        b.add("mlp", m);
        // x = ln_1(input); x, _ = self_attention(x, x, x); x = dropout(x); x = x + input; y = mlp(ln_2(x));
        // return x + y
        return b.forward((self, input, f) -> {
            Shape ln1 = self.run("ln_1", input, f);
            Shape attn = self.run("self_attention", ln1, f);
            f.release(ln1);
            Shape dropped = self.run("dropout", attn, f);
            Shape x = Tv.newLike(dropped, f);
            f.release(attn);
            f.release(dropped);
            Shape y = self.run("mlp", self.run("ln_2", x, f), f);
            return Tv.newLike(y, f);
        });
    }
}
