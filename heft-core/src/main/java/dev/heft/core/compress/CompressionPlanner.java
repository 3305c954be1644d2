package dev.heft.core.compress;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.classify.TensorClassifier;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Plans any {@link PrecisionFormat}: which encoding each tensor gets and its exact stored bytes. llama.cpp types go to
 * {@link LlamaQuantPlanner}; the linear-layer formats quantize the weights {@link LinearQuantFormat#targets} picks and
 * keep the rest in the format's 16-bit type (or the one given).
 */
public final class CompressionPlanner {

    private CompressionPlanner() {}

    /** Plans {@code format}; {@code model} is needed only by llama.cpp types (the other formats ignore it). */
    public static QuantPlan plan(List<TensorSpec> tensors, ModelFacts model, PrecisionFormat format) {
        return plan(tensors, model, format, Optional.empty());
    }

    /**
     * @param keepType the type for tensors a linear-layer format leaves unquantized, when not the format's default
     *                 (a bf16 model loaded with bitsandbytes keeps its norms in bf16)
     */
    public static QuantPlan plan(
            List<TensorSpec> tensors, ModelFacts model, PrecisionFormat format, Optional<DType> keepType) {
        return switch (format) {
            case GgufFormat g -> {
                if (model == null) {
                    throw new InvalidInputException("planning " + g.label() + " needs the model's facts "
                            + "(n_layer, n_head, n_head_kv, n_expert)");
                }
                yield LlamaQuantPlanner.plan(
                        tensors,
                        model,
                        g.fileType(),
                        LlamaQuantOptions.defaults(g.fileType()).withPure(g.pure()));
            }
            case PlainFormat p -> plain(tensors, p);
            case LinearQuantFormat f -> linear(tensors, f, keepType.orElse(f.keepType()));
        };
    }

    private static QuantPlan plain(List<TensorSpec> tensors, PlainFormat p) {
        checkUnique(tensors);
        List<PlannedTensor> out = new ArrayList<>(tensors.size());
        for (TensorSpec t : tensors) {
            DType d = p.dtype();
            out.add(new PlannedTensor(
                    t.name(),
                    t.shape(),
                    t.elements(),
                    d.displayName(),
                    List.of(StoredTensor.of(t.name(), d, TensorRole.WEIGHT, t.shape())),
                    "every tensor as " + d));
        }
        return new QuantPlan(p.label(), out, List.of());
    }

    private static QuantPlan linear(List<TensorSpec> tensors, LinearQuantFormat f, DType keep) {
        checkUnique(tensors);
        List<PlannedTensor> out = new ArrayList<>(tensors.size());
        int quantized = 0;
        int refused = 0;
        String firstRefusal = null;
        for (TensorSpec t : tensors) {
            long[] shape = t.shape();
            if (f.targetsConvolutions() && isConvolutionKernel(t)) {
                // A convolution [out, in, k...] is stored as its [out, in x k...] matrix: one scale per output channel.
                long out0 = shape[0];
                long[] matrix = {out0, t.elements() / out0};
                String prefix = t.name().endsWith(".weight")
                        ? t.name().substring(0, t.name().length() - ".weight".length())
                        : t.name();
                out.add(new PlannedTensor(
                        t.name(),
                        shape,
                        t.elements(),
                        f.label(),
                        f.store(prefix, matrix),
                        "convolution kernel: " + f.label() + " per output channel"));
                quantized++;
                continue;
            }
            if (f.targets(t)) {
                long rows = shape[shape.length - 2];
                long cols = shape[shape.length - 1];
                Optional<String> why = f.unsupportedShape(rows, cols);
                if (why.isEmpty()) {
                    String prefix = t.name().endsWith(".weight")
                            ? t.name().substring(0, t.name().length() - ".weight".length())
                            : t.name();
                    out.add(new PlannedTensor(
                            t.name(),
                            shape,
                            t.elements(),
                            f.label(),
                            f.store(prefix, shape),
                            "linear layer in a block: " + f.label()));
                    quantized++;
                    continue;
                }
                refused++;
                if (firstRefusal == null) {
                    firstRefusal = t.name() + ": " + why.get();
                }
                out.add(kept(t, keep, "kept " + keep + ": " + why.get()));
                continue;
            }
            out.add(kept(
                    t,
                    keep,
                    (t.ggmlDims() < 2 ? "1-D tensor" : "not a linear layer inside a block") + ": kept " + keep));
        }
        List<String> notes = new ArrayList<>();
        if (refused > 0) {
            notes.add(refused + " linear weight(s) could not be stored as " + f.label() + " and stay " + keep);
        }
        if (f instanceof Nf4Format && quantized > 0) {
            notes.add("not counted: " + quantized
                    + " quant_state.bitsandbytes__nf4 JSON tensors (a few hundred bytes each)");
        }
        Applicability applies;
        if (quantized > 0) {
            applies = new Applicability.Applies(quantized, quantized + refused);
        } else if (refused > 0) {
            applies = new Applicability.NotApplicable(
                    f.label() + " could store none of the " + refused + " layers it targets (" + firstRefusal + ")");
        } else {
            applies = new Applicability.NotApplicable(f.label() + " quantizes " + f.targetDescription()
                    + "; this model has none" + (f.targetsConvolutions() ? " and no convolution kernels" : ""));
        }
        return new QuantPlan(f.label(), out, notes, applies);
    }

    /** A weight of rank 3 to 5 that the classifier places as a convolution (not a stacked MoE expert tensor). */
    private static boolean isConvolutionKernel(TensorSpec t) {
        int rank = t.shape().length;
        if (rank < 3 || rank > 5 || t.shape()[0] == 0 || QuantTargets.isExpert(t)) {
            return false;
        }
        return new TensorClassifier().classify(t.name(), t.shape()).kind() == LayerKind.CONV;
    }

    private static PlannedTensor kept(TensorSpec t, DType keep, String reason) {
        return new PlannedTensor(
                t.name(),
                t.shape(),
                t.elements(),
                keep.displayName(),
                List.of(StoredTensor.of(t.name(), keep, TensorRole.WEIGHT, t.shape())),
                reason);
    }

    private static void checkUnique(List<TensorSpec> tensors) {
        Set<String> seen = new HashSet<>();
        for (TensorSpec t : tensors) {
            if (!seen.add(t.name())) {
                throw new InvalidInputException("tensor " + t.name() + " is listed twice; names must be unique");
            }
        }
    }
}
