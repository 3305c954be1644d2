package dev.heft.core.arch.vision;

import dev.heft.core.arch.torch.Block;
import dev.heft.core.arch.torch.Elementwise;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.Pool;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.arch.vision.Tv.NormKind;
import java.util.ArrayList;
import java.util.List;

/**
 * RegNetX and RegNetY (Radosavovic et al., "Designing Network Design Spaces", 2020; torchvision/models/regnet.py).
 * Stage widths and depths come from the quantized linear rule of {@code BlockParams.from_init_params}, computed here
 * in float32 as torch computes it.
 */
final class RegNets {
    private RegNets() {}

    /** One stage: output width, depth, group width (stride is always 2, bottleneck multiplier 1.0). */
    record StageParams(long width, long depth, long groupWidth) {}

    /**
     * {@code BlockParams.from_init_params(depth, w_0, w_a, w_m, group_width)}: widths_cont = arange(depth) * w_a + w_0,
     * block_capacity = round(log(widths_cont / w_0) / log(w_m)), block_widths = round(w_0 * w_m^capacity / 8) * 8;
     * consecutive equal widths form a stage; then _adjust_widths_groups_compatibilty.
     */
    static List<StageParams> stages(int depth, int w0, double wa, double wm, int groupWidth) {
        long[] blockWidths = new long[depth];
        float logWm = (float) Math.log(wm);
        for (int i = 0; i < depth; i++) {
            float cont = (float) i * (float) wa + (float) w0; // float32 tensor arithmetic
            float capacity = (float) Math.rint((float) Math.log(cont / (float) w0) / logWm);
            float width = (float) w0 * (float) Math.pow((float) wm, capacity);
            blockWidths[i] = (long) (Math.rint(width / 8f) * 8); // torch.round is half-to-even
        }
        List<StageParams> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= depth; i++) {
            if (i == depth || blockWidths[i] != blockWidths[i - 1]) {
                long w = blockWidths[start];
                long g = Math.min(groupWidth, w);
                long adjusted = Tv.makeDivisible(w, g);
                out.add(new StageParams(adjusted, i - start, g));
                start = i;
            }
        }
        return out;
    }

    static Module regnet(int depth, int w0, double wa, double wm, int groupWidth, double seRatio) {
        Block net = new Block("RegNet");
        Sequential stem = Tv.convNormAct(3, 32, 3, 2, 1, NormKind.BATCH, "ReLU");
        net.add("stem", renamed("SimpleStemIN", stem));
        Sequential trunk = new Sequential();
        long width = 32;
        List<StageParams> stages = stages(depth, w0, wa, wm, groupWidth);
        for (int s = 0; s < stages.size(); s++) {
            StageParams p = stages.get(s);
            Sequential stage = new Sequential("AnyStage");
            for (int i = 0; i < p.depth(); i++) {
                stage.append(
                        "block" + (s + 1) + "-" + i,
                        block(i == 0 ? width : p.width(), p.width(), i == 0 ? 2 : 1, p.groupWidth(), seRatio));
            }
            trunk.append("block" + (s + 1), stage);
            width = p.width();
        }
        net.add("trunk_output", trunk);
        net.add("avgpool", Pool.adaptiveAvg2d(1));
        net.add("fc", Tv.head(width, 1000, true));
        return net.forward((self, x, f) -> {
            Shape y = Tv.chain(self, x, f, List.of("stem", "trunk_output", "avgpool"));
            return self.run("fc", Tv.flatten(y, f), f);
        });
    }

    /** SimpleStemIN is a Conv2dNormActivation subclass; only its class name differs. */
    private static Sequential renamed(String cls, Sequential from) {
        Sequential s = new Sequential(cls);
        from.children().values().forEach(s::append);
        return s;
    }

    /**
     * ResBottleneckBlock: [proj 1x1 (stride) when width or stride changes], f = BottleneckTransform(a 1x1, b 3x3 with
     * groups w_b // group_width, [se with int(round(se_ratio * width_in)) channels], c 1x1), activation.
     */
    private static Module block(long in, long out, long stride, long groupWidth, double seRatio) {
        Block b = new Block("ResBottleneckBlock");
        Module proj = null;
        if (in != out || stride != 1) {
            proj = b.add("proj", Tv.convNormAct(in, out, 1, stride, 1, NormKind.BATCH, null));
        }
        Sequential t = new Sequential("BottleneckTransform");
        t.append("a", Tv.convNormAct(in, out, 1, 1, 1, NormKind.BATCH, "ReLU"));
        t.append("b", Tv.convNormAct(out, out, 3, stride, out / groupWidth, NormKind.BATCH, "ReLU"));
        if (seRatio > 0) {
            t.append("se", Tv.squeezeExcitation(out, (long) Math.rint(seRatio * in), "ReLU", "Sigmoid"));
        }
        t.append("c", Tv.convNormAct(out, out, 1, 1, 1, NormKind.BATCH, null));
        b.add("f", t);
        b.add("activation", Elementwise.inplace("ReLU"));
        boolean projects = proj != null;
        // x = self.proj(x) + self.f(x) (or x + self.f(x)): a new tensor; then self.activation(x), in place
        return b.forward((self, x, f) -> {
            Shape p = projects ? self.run("proj", x, f) : x;
            Shape sum = Tv.newLike(self.run("f", x, f), f);
            return self.run("activation", sum, f);
        });
    }
}
