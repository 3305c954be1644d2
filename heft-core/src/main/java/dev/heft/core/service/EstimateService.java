package dev.heft.core.service;

import dev.heft.core.api.report.EstimateReport;
import dev.heft.core.api.report.EstimateReport.Flops;
import dev.heft.core.api.report.EstimateReport.HfTensorEntry;
import dev.heft.core.api.report.EstimateReport.ScalingRow;
import dev.heft.core.api.request.EstimateRequest;
import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.hf.CountAccuracy;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfTensor;
import dev.heft.core.arch.hf.HfTensors;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.arch.torch.FlopCounter;
import dev.heft.core.arch.torch.FlopReport;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.memory.KvCache;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heft estimate}: exact counts and FLOPs from an architecture, and how each quantity scales with context:
 * parameters are constant, the KV cache linear, attention FLOPs per token linear (quadratic over a sequence).
 */
public final class EstimateService {
    public static final String CONVENTION = "FLOPs as torch.utils.flop_counter.FlopCounterMode counts them: 2 per "
            + "multiply-accumulate, matrix products only (no norms, activations, softmax or bias adds)";

    private EstimateService() {}

    public static EstimateReport run(ResolvedModel resolved, ModelProfile profile, EstimateRequest request) {
        if (resolved instanceof ResolvedModel.Network n) {
            return network(n, request);
        }
        HfArchitecture a = profile.architecture()
                .orElseThrow(() -> new InvalidInputException(resolved.label()
                        + ": no architecture to estimate from (give a config.json, a catalog name, or a folder with one); "
                        + "for the weights in a file use 'inspect'"));
        if (request.input().isPresent()) {
            throw new InvalidInputException("input: an input shape applies to torch.nn networks (vision models, layer "
                    + "specs); a transformer is sized by --context");
        }
        if (request.layers()) {
            throw new InvalidInputException("layers: the per-layer table is for torch.nn networks (torchvision models, "
                    + "layer specs); for a transformer, --tensors lists its weights and the table below its FLOPs");
        }
        ArchitectureCounts c = a.counts();
        TransformerShape s = a.shape();
        List<ScalingRow> scaling = new ArrayList<>();
        for (long n : request.contexts()) {
            TransformerShape.FlopsPerToken f = s.flopsPerToken(n);
            scaling.add(new ScalingRow(
                    n,
                    c.parameters(),
                    profile.generative() ? KvCache.of(s, 1, n, DType.BF16, n).bytes() : 0L,
                    f.weightFlops(),
                    f.attentionFlops(),
                    f.total(),
                    forwardFlops(s, n),
                    request.macs() ? Optional.of(f.total() / 2) : Optional.empty()));
        }
        Optional<List<HfTensorEntry>> tensors = Optional.empty();
        if (request.tensors()) {
            Optional<List<HfTensor>> listed = resolved instanceof ResolvedModel.Described d
                    ? d.config().flatMap(HfTensors::list)
                    : Optional.empty();
            if (listed.isEmpty()) {
                throw new InvalidInputException("tensors: a per-tensor listing is available for the Llama-style "
                        + "families described by a config (the counts above cover every family)");
            }
            tensors = Optional.of(listed.get().stream()
                    .map(x -> new HfTensorEntry(
                            x.name(), x.shape(), x.kind().displayName(), x.moduleClass(), x.elements(), x.tiedTo()))
                    .toList());
        }
        Flops flops = new Flops(
                CONVENTION,
                Optional.of(request.contexts().getFirst()),
                Optional.of(scaling.getFirst()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        Optional<EstimateReport.Approximation> approximation = a.accuracy() instanceof CountAccuracy.Approximate ap
                ? Optional.of(
                        new EstimateReport.Approximation(ap.tier(), ap.typicalBound(), ap.worstSeen(), ap.basis()))
                : Optional.empty();
        Optional<List<EstimateReport.Part>> parts = a.parts().isEmpty()
                ? Optional.empty()
                : Optional.of(a.parts().stream()
                        .map(p -> new EstimateReport.Part(p.name(), p.role(), p.parameters()))
                        .toList());
        return new EstimateReport(
                profile.label(),
                Optional.of(a.modelType()),
                Optional.of(a.modelClass()),
                resolved instanceof ResolvedModel.Described d ? d.source() : resolved.label(),
                a.exact(),
                approximation,
                parts,
                c.parameters(),
                c.parametersCountingTiedTwice(),
                c.buffers(),
                c.embeddingParameters(),
                c.nonEmbeddingParameters(),
                c.biasParameters(),
                byKind(c),
                c.byClass(),
                Optional.of(a.checkpointOnlyParameters()),
                flops,
                Optional.of(scaling),
                withContextWarning(c.notes(), profile, request.contexts()),
                tensors,
                Optional.empty(),
                s.maxPositions() > 0 ? Optional.of(s.maxPositions()) : Optional.empty());
    }

    /** The counts' notes, and a warning when a context asked for is past the model's limit. */
    private static List<String> withContextWarning(List<String> notes, ModelProfile profile, List<Long> contexts) {
        long longest = contexts.stream().mapToLong(Long::longValue).max().orElse(0);
        List<String> warnings = profile.contextWarnings(longest, Optional.empty());
        if (warnings.isEmpty()) {
            return notes;
        }
        List<String> out = new java.util.ArrayList<>(notes);
        out.add(profile.contextLimit()
                .map(l -> "contexts above " + dev.heft.core.report.Units.exact(l.tokens())
                        + " are past " + profile.label() + "'s limit (" + l.basis() + "): the rows beyond it describe "
                        + "sequences the model has no trained positions for")
                .orElseThrow());
        return out;
    }

    /** A torch.nn network (torchvision model or layer spec): counts, and FLOPs of one forward pass at an input. */
    private static EstimateReport network(ResolvedModel.Network n, EstimateRequest request) {
        if (request.tensors()) {
            throw new InvalidInputException("tensors: a per-tensor listing is available for the Llama-style families "
                    + "described by a config");
        }
        Optional<Shape> input = request.input().map(Shape::new).or(n::defaultInput);
        ArchitectureCounts c = n.counts().apply(input);
        Flops flops = new Flops(
                CONVENTION,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        if (input.isPresent()) {
            FlopReport f = n.flops().apply(input.get());
            // FlopReport keeps its ops in a hash map; the report lists them in the counter's own order.
            Map<String, Long> byOp = new LinkedHashMap<>();
            for (FlopCounter.Op op : FlopCounter.Op.values()) {
                Long v = f.byOp().get(op);
                if (v != null) {
                    byOp.put(op.name().toLowerCase(Locale.ROOT), v);
                }
            }
            flops = new Flops(
                    CONVENTION,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(f.input().dims()),
                    Optional.of(f.output().dims()),
                    Optional.of(f.flops()),
                    Optional.of(f.macs()),
                    Optional.of(byOp),
                    Optional.of(f.notes()));
        }
        Optional<EstimateReport.Layers> layers = Optional.empty();
        if (request.layers()) {
            layers = Optional.of(NetworkLayers.table(
                    n,
                    input.orElseThrow(() -> new InvalidInputException("layers: the "
                            + "table needs an input shape: --input N,C,H,W (or an \"input\" in the spec)"))));
        }
        return new EstimateReport(
                n.label(),
                Optional.empty(),
                Optional.empty(),
                n.source(),
                true,
                Optional.empty(),
                Optional.empty(),
                c.parameters(),
                c.parametersCountingTiedTwice(),
                c.buffers(),
                c.embeddingParameters(),
                c.nonEmbeddingParameters(),
                c.biasParameters(),
                byKind(c),
                c.byClass(),
                Optional.empty(),
                flops,
                Optional.empty(),
                c.notes(),
                Optional.empty(),
                layers,
                Optional.empty());
    }

    private static Map<String, Long> byKind(ArchitectureCounts c) {
        Map<String, Long> byKind = new LinkedHashMap<>();
        c.byKind().forEach((k, v) -> byKind.put(k.displayName(), v));
        return byKind;
    }

    /** FLOPs of one forward pass over {@code n} tokens: weights for each token, attention over n x keys pairs. */
    public static double forwardFlops(TransformerShape s, long n) {
        TransformerShape.FlopsPerToken f = s.flopsPerToken(n);
        return (double) f.weightFlops() * n + (double) f.attentionFlops() * n;
    }
}
