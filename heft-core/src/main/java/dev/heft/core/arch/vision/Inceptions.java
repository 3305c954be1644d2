package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Linear;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Norm;
import dev.heft.core.arch.torch.Pool;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import java.util.List;

/**
 * GoogLeNet (Szegedy et al., "Going Deeper with Convolutions", 2014; torchvision/models/googlenet.py) and Inception
 * v3 (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2015; inception.py), both with
 * {@code aux_logits=True}. The auxiliary classifiers hold parameters but run only in training mode, so an eval
 * forward pass (what FLOPs are counted for) skips them.
 */
final class Inceptions {
    private Inceptions() {}

    /** BasicConv2d: Conv2d(bias=False) + BatchNorm2d(eps=0.001), ReLU in forward. */
    private static Module basic(long in, long out, long kh, long kw, long stride, long ph, long pw) {
        Block b = new Block("BasicConv2d");
        b.add(
                "conv",
                new Conv(
                        2,
                        false,
                        in,
                        out,
                        new Conv.Geometry(
                                new long[] {kh, kw},
                                new long[] {stride, stride},
                                new long[] {ph, pw},
                                new long[] {1, 1},
                                new long[] {0, 0},
                                false),
                        1,
                        false));
        b.add("bn", Norm.batchNorm2d(out));
        // x = self.conv(x); x = self.bn(x); return F.relu(x, inplace=True)
        return b.forward((self, x, f) -> {
            Shape y = Tv.chain(self, x, f, List.of("conv", "bn"));
            return f.alias(y, y);
        });
    }

    private static Module basic(long in, long out, long k, long stride, long padding) {
        return basic(in, out, k, k, stride, padding, padding);
    }

    // ---- GoogLeNet ----

    static Module googlenet() {
        Block net = new Block("GoogLeNet");
        net.add("conv1", basic(3, 64, 7, 2, 3));
        net.add("maxpool1", Pool.maxPool2d(3, 2, 0, true));
        net.add("conv2", basic(64, 64, 1, 1, 0));
        net.add("conv3", basic(64, 192, 3, 1, 1));
        net.add("maxpool2", Pool.maxPool2d(3, 2, 0, true));
        net.add("inception3a", inception(192, 64, 96, 128, 16, 32, 32));
        net.add("inception3b", inception(256, 128, 128, 192, 32, 96, 64));
        net.add("maxpool3", Pool.maxPool2d(3, 2, 0, true));
        net.add("inception4a", inception(480, 192, 96, 208, 16, 48, 64));
        net.add("inception4b", inception(512, 160, 112, 224, 24, 64, 64));
        net.add("inception4c", inception(512, 128, 128, 256, 24, 64, 64));
        net.add("inception4d", inception(512, 112, 144, 288, 32, 64, 64));
        net.add("inception4e", inception(528, 256, 160, 320, 32, 128, 128));
        net.add("maxpool4", Pool.maxPool2d(2, 2, 0, true));
        net.add("inception5a", inception(832, 256, 160, 320, 32, 128, 128));
        net.add("inception5b", inception(832, 384, 192, 384, 48, 128, 128));
        net.add("aux1", googlenetAux(512));
        net.add("aux2", googlenetAux(528));
        net.add("avgpool", Pool.adaptiveAvg2d(1));
        net.add("dropout", new Elementwise("Dropout"));
        net.add("fc", Tv.head(1024, 1000, true));
        // eval: the aux classifiers run only in training; avgpool, flatten, dropout, fc
        return net.forward((self, x, f) -> {
            Shape y = Tv.chain(
                    self,
                    x,
                    f,
                    List.of(
                            "conv1",
                            "maxpool1",
                            "conv2",
                            "conv3",
                            "maxpool2",
                            "inception3a",
                            "inception3b",
                            "maxpool3",
                            "inception4a",
                            "inception4b",
                            "inception4c",
                            "inception4d",
                            "inception4e",
                            "maxpool4",
                            "inception5a",
                            "inception5b",
                            "avgpool"));
            Shape flat = Tv.flatten(y, f);
            f.release(y);
            return Tv.chain(self, flat, f, List.of("dropout", "fc"));
        });
    }

    /**
     * Inception(in, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj). torchvision's "5x5" branch uses a 3x3
     * kernel (a known quirk kept for weight compatibility); the pool branch is MaxPool2d(3, 1, 1, ceil_mode=True).
     */
    private static Module inception(long in, long c1, long c3r, long c3, long c5r, long c5, long pool) {
        Block b = new Block("Inception");
        b.add("branch1", basic(in, c1, 1, 1, 0));
        b.add("branch2", new Sequential().append(basic(in, c3r, 1, 1, 0)).append(basic(c3r, c3, 3, 1, 1)));
        b.add("branch3", new Sequential().append(basic(in, c5r, 1, 1, 0)).append(basic(c5r, c5, 3, 1, 1)));
        b.add("branch4", new Sequential().append(Pool.maxPool2d(3, 1, 1, true)).append(basic(in, pool, 1, 1, 0)));
        return b.forward((self, x, f) -> Tv.cat(
                f,
                self.run("branch1", x, f),
                self.run("branch2", x, f),
                self.run("branch3", x, f),
                self.run("branch4", x, f)));
    }

    /** InceptionAux (GoogLeNet): conv 1x1 to 128, fc1 2048->1024, fc2 1024->1000. */
    private static Module googlenetAux(long in) {
        Block b = new Block("InceptionAux");
        b.add("conv", basic(in, 128, 1, 1, 0));
        b.add("fc1", new Linear(2048, 1024, true));
        b.add("fc2", Tv.head(1024, 1000, true));
        b.add("dropout", new Elementwise("Dropout"));
        return b.forward((self, x, f) -> x);
    }

    // ---- Inception v3 ----

    static Module inceptionV3() {
        Block net = new Block("Inception3");
        net.add("Conv2d_1a_3x3", basic(3, 32, 3, 2, 0));
        net.add("Conv2d_2a_3x3", basic(32, 32, 3, 1, 0));
        net.add("Conv2d_2b_3x3", basic(32, 64, 3, 1, 1));
        net.add("maxpool1", Pool.maxPool2d(3, 2, 0, false));
        net.add("Conv2d_3b_1x1", basic(64, 80, 1, 1, 0));
        net.add("Conv2d_4a_3x3", basic(80, 192, 3, 1, 0));
        net.add("maxpool2", Pool.maxPool2d(3, 2, 0, false));
        net.add("Mixed_5b", inceptionA(192, 32));
        net.add("Mixed_5c", inceptionA(256, 64));
        net.add("Mixed_5d", inceptionA(288, 64));
        net.add("Mixed_6a", inceptionB(288));
        net.add("Mixed_6b", inceptionC(768, 128));
        net.add("Mixed_6c", inceptionC(768, 160));
        net.add("Mixed_6d", inceptionC(768, 160));
        net.add("Mixed_6e", inceptionC(768, 192));
        net.add("AuxLogits", inceptionV3Aux(768));
        net.add("Mixed_7a", inceptionD(768));
        net.add("Mixed_7b", inceptionE(1280));
        net.add("Mixed_7c", inceptionE(2048));
        net.add("avgpool", Pool.adaptiveAvg2d(1));
        net.add("dropout", new Elementwise("Dropout"));
        net.add("fc", Tv.head(2048, 1000, true));
        // eval: AuxLogits runs only in training; avgpool, dropout, flatten, fc
        return net.forward((self, x, f) -> {
            Shape y = Tv.chain(
                    self,
                    x,
                    f,
                    List.of(
                            "Conv2d_1a_3x3",
                            "Conv2d_2a_3x3",
                            "Conv2d_2b_3x3",
                            "maxpool1",
                            "Conv2d_3b_1x1",
                            "Conv2d_4a_3x3",
                            "maxpool2",
                            "Mixed_5b",
                            "Mixed_5c",
                            "Mixed_5d",
                            "Mixed_6a",
                            "Mixed_6b",
                            "Mixed_6c",
                            "Mixed_6d",
                            "Mixed_6e",
                            "Mixed_7a",
                            "Mixed_7b",
                            "Mixed_7c",
                            "avgpool",
                            "dropout"));
            Shape flat = Tv.flatten(y, f);
            f.release(y);
            return self.run("fc", flat, f);
        });
    }

    private static final Module POOL_3_1_1 = Pool.avgPool2d(3, 1, 1);

    /** InceptionA(in, pool_features): 1x1 64 | 1x1 48, 5x5 64 | 1x1 64, 3x3 96, 3x3 96 | avgpool, 1x1 pool. */
    private static Module inceptionA(long in, long poolFeatures) {
        Block b = new Block("InceptionA");
        b.add("branch1x1", basic(in, 64, 1, 1, 0));
        b.add("branch5x5_1", basic(in, 48, 1, 1, 0));
        b.add("branch5x5_2", basic(48, 64, 5, 1, 2));
        b.add("branch3x3dbl_1", basic(in, 64, 1, 1, 0));
        b.add("branch3x3dbl_2", basic(64, 96, 3, 1, 1));
        b.add("branch3x3dbl_3", basic(96, 96, 3, 1, 1));
        b.add("branch_pool", basic(in, poolFeatures, 1, 1, 0));
        return b.forward((self, x, f) -> Tv.cat(
                f,
                self.run("branch1x1", x, f),
                Tv.chain(self, x, f, List.of("branch5x5_1", "branch5x5_2")),
                Tv.chain(self, x, f, List.of("branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3")),
                pooled(self, x, f)));
    }

    /** InceptionB(in): 3x3/2 384 | 1x1 64, 3x3 96, 3x3/2 96 | maxpool 3/2. */
    private static Module inceptionB(long in) {
        Block b = new Block("InceptionB");
        b.add("branch3x3", basic(in, 384, 3, 2, 0));
        b.add("branch3x3dbl_1", basic(in, 64, 1, 1, 0));
        b.add("branch3x3dbl_2", basic(64, 96, 3, 1, 1));
        b.add("branch3x3dbl_3", basic(96, 96, 3, 2, 0));
        Module pool = Pool.maxPool2d(3, 2, 0, false);
        return b.forward((self, x, f) -> Tv.cat(
                f,
                self.run("branch3x3", x, f),
                Tv.chain(self, x, f, List.of("branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3")),
                f.allocate(pool.forward(x, f))));
    }

    /** InceptionC(in, channels_7x7): factorised 7x7 branches of 1x7 and 7x1 convolutions, all outputs 192. */
    private static Module inceptionC(long in, long c7) {
        Block b = new Block("InceptionC");
        b.add("branch1x1", basic(in, 192, 1, 1, 0));
        b.add("branch7x7_1", basic(in, c7, 1, 1, 0));
        b.add("branch7x7_2", basic(c7, c7, 1, 7, 1, 0, 3));
        b.add("branch7x7_3", basic(c7, 192, 7, 1, 1, 3, 0));
        b.add("branch7x7dbl_1", basic(in, c7, 1, 1, 0));
        b.add("branch7x7dbl_2", basic(c7, c7, 7, 1, 1, 3, 0));
        b.add("branch7x7dbl_3", basic(c7, c7, 1, 7, 1, 0, 3));
        b.add("branch7x7dbl_4", basic(c7, c7, 7, 1, 1, 3, 0));
        b.add("branch7x7dbl_5", basic(c7, 192, 1, 7, 1, 0, 3));
        b.add("branch_pool", basic(in, 192, 1, 1, 0));
        return b.forward((self, x, f) -> Tv.cat(
                f,
                self.run("branch1x1", x, f),
                Tv.chain(self, x, f, List.of("branch7x7_1", "branch7x7_2", "branch7x7_3")),
                Tv.chain(
                        self,
                        x,
                        f,
                        List.of(
                                "branch7x7dbl_1",
                                "branch7x7dbl_2",
                                "branch7x7dbl_3",
                                "branch7x7dbl_4",
                                "branch7x7dbl_5")),
                pooled(self, x, f)));
    }

    /** InceptionD(in): 1x1 192, 3x3/2 320 | 1x1 192, 1x7, 7x1, 3x3/2 192 | maxpool 3/2. */
    private static Module inceptionD(long in) {
        Block b = new Block("InceptionD");
        b.add("branch3x3_1", basic(in, 192, 1, 1, 0));
        b.add("branch3x3_2", basic(192, 320, 3, 2, 0));
        b.add("branch7x7x3_1", basic(in, 192, 1, 1, 0));
        b.add("branch7x7x3_2", basic(192, 192, 1, 7, 1, 0, 3));
        b.add("branch7x7x3_3", basic(192, 192, 7, 1, 1, 3, 0));
        b.add("branch7x7x3_4", basic(192, 192, 3, 2, 0));
        Module pool = Pool.maxPool2d(3, 2, 0, false);
        return b.forward((self, x, f) -> Tv.cat(
                f,
                Tv.chain(self, x, f, List.of("branch3x3_1", "branch3x3_2")),
                Tv.chain(self, x, f, List.of("branch7x7x3_1", "branch7x7x3_2", "branch7x7x3_3", "branch7x7x3_4")),
                f.allocate(pool.forward(x, f))));
    }

    /** InceptionE(in): 1x1 320 | 1x1 384 then 1x3 and 3x1 (384 each) | 1x1 448, 3x3 384, 1x3 and 3x1 | pool 192. */
    private static Module inceptionE(long in) {
        Block b = new Block("InceptionE");
        b.add("branch1x1", basic(in, 320, 1, 1, 0));
        b.add("branch3x3_1", basic(in, 384, 1, 1, 0));
        b.add("branch3x3_2a", basic(384, 384, 1, 3, 1, 0, 1));
        b.add("branch3x3_2b", basic(384, 384, 3, 1, 1, 1, 0));
        b.add("branch3x3dbl_1", basic(in, 448, 1, 1, 0));
        b.add("branch3x3dbl_2", basic(448, 384, 3, 1, 1));
        b.add("branch3x3dbl_3a", basic(384, 384, 1, 3, 1, 0, 1));
        b.add("branch3x3dbl_3b", basic(384, 384, 3, 1, 1, 1, 0));
        b.add("branch_pool", basic(in, 192, 1, 1, 0));
        // each pair of 1x3 / 3x1 outputs is concatenated and the pair dropped, as the rebinding in inception.py does
        return b.forward((self, x, f) -> {
            Shape one = self.run("branch1x1", x, f);
            Shape t = self.run("branch3x3_1", x, f);
            Shape a = self.run("branch3x3_2a", t, f);
            Shape bb = self.run("branch3x3_2b", t, f);
            f.release(t);
            Shape three = Tv.cat(f, a, bb);
            f.release(a);
            f.release(bb);
            Shape d = Tv.chain(self, x, f, List.of("branch3x3dbl_1", "branch3x3dbl_2"));
            Shape da = self.run("branch3x3dbl_3a", d, f);
            Shape db = self.run("branch3x3dbl_3b", d, f);
            f.release(d);
            Shape dbl = Tv.cat(f, da, db);
            f.release(da);
            f.release(db);
            return Tv.cat(f, one, three, dbl, pooled(self, x, f));
        });
    }

    /** branch_pool = F.avg_pool2d(x, 3, 1, 1) (a new tensor); branch_pool = self.branch_pool(branch_pool). */
    private static Shape pooled(Block self, Shape x, dev.heft.core.arch.torch.FlopCounter f) {
        Shape p = f.allocate(POOL_3_1_1.forward(x, f));
        Shape y = self.run("branch_pool", p, f);
        f.release(p);
        return y;
    }

    /** InceptionAux (v3): conv0 1x1 128, conv1 5x5 768, fc 768->1000. */
    private static Module inceptionV3Aux(long in) {
        Block b = new Block("InceptionAux");
        b.add("conv0", basic(in, 128, 1, 1, 0));
        b.add("conv1", basic(128, 768, 5, 1, 0));
        b.add("fc", Tv.head(768, 1000, true));
        return b.forward((self, x, f) -> x);
    }
}
