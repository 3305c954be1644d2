package dev.heft.core.arch.vision;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.torch.FlopReport;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.ModuleTree;
import dev.heft.core.arch.torch.NamedTensor;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One torchvision classification model, built from its layer definitions (never from stored totals).
 *
 * @param name         torchvision's builder name ({@code resnet50})
 * @param family       the family ({@code ResNet})
 * @param source       the paper and the torchvision file the structure follows
 * @param defaultInput the input one forward pass is counted at unless another is given
 * @param build        builds the module tree for an input side (only models with position embeddings use the side)
 * @param fixedSide    true when parameters depend on the resolution (ViT position embeddings): the model is built for
 *                     the input's square side, as {@code vit_b_16(image_size=384)} would be
 */
public record VisionModel(
        String name, String family, String source, Shape defaultInput, IntFunction<Module> build, boolean fixedSide) {

    /** The module tree at the default resolution. */
    public Module module() {
        return build.apply(Math.toIntExact(defaultInput.dim(-1)));
    }

    /** The module tree torchvision would build to take {@code input} ({@code [N, 3, H, W]}). */
    public Module module(Shape input) {
        if (input.rank() != 4 || input.dim(1) != 3) {
            throw new InvalidInputException(name + " takes input [N, 3, H, W], got " + input);
        }
        if (!fixedSide) {
            return module();
        }
        if (input.dim(2) != input.dim(3) || input.dim(2) > 1 << 16) {
            throw new InvalidInputException(name + " is built for square images (image_size is one number; its"
                    + " position embeddings fix the size), got " + input.dim(2) + "x" + input.dim(3));
        }
        return build.apply(Math.toIntExact(input.dim(2)));
    }

    /** Parameters, buffers (BatchNorm running statistics and counters), by owning torchvision class and by kind. */
    public ArchitectureCounts counts() {
        return ModuleTree.counts(module());
    }

    /** Counts of the model built for {@code input}: differs from {@link #counts()} only for {@code fixedSide} models. */
    public ArchitectureCounts counts(Shape input) {
        return ModuleTree.counts(module(input));
    }

    public List<NamedTensor> tensors() {
        return ModuleTree.tensors(module());
    }

    public FlopReport flops() {
        return flops(defaultInput);
    }

    /**
     * FLOPs of one eval-mode forward pass at {@code input} ({@code [N, 3, H, W]}), counted like FlopCounterMode; a
     * {@code fixedSide} model is built for that size first (see {@link #counts(Shape)}).
     */
    public FlopReport flops(Shape input) {
        Module m = module(input);
        try {
            return ModuleTree.flops(m, input);
        } catch (ArithmeticException e) {
            throw new InvalidInputException(name + ": FLOPs at input " + input + " overflow 64 bits", e);
        }
    }
}
