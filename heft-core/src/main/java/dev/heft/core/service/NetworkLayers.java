package dev.heft.core.service;

import dev.heft.core.api.report.EstimateReport;
import dev.heft.core.arch.torch.LayerTrace;
import dev.heft.core.arch.torch.ModuleTree;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.model.ResolvedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code estimate --layers}: a torch.nn network's module calls as torchinfo lists them, with FlopCounterMode's
 * per-module FLOPs and each output's bytes (checked against both in {@code VisionLayersGroundTruthTest}).
 */
final class NetworkLayers {
    /** torchinfo counts output bytes in the tensors' own dtype; torchvision models run in fp32. */
    private static final int FP32_BYTES = 4;

    static final List<String> CONVENTIONS = List.of(
            "one row per module call in call order, as torchinfo's forward "
                    + "hooks list them (depth, class, attribute name, output shape)",
            "parameters: a leaf's parameters, or what a container registers itself (torchinfo prints containers' own "
                    + "parameters the same way); a repeated call counts none",
            "FLOPs: FlopCounterMode's per-module count, children included (2 per multiply-accumulate, matrix products "
                    + "and convolutions only)",
            "activation: the output tensor's bytes in fp32 (torchinfo's output_bytes)");

    private NetworkLayers() {}

    static EstimateReport.Layers table(ResolvedModel.Network n, Shape input) {
        LayerTrace trace = ModuleTree.trace(n.module().apply(input), input, FP32_BYTES);
        List<EstimateReport.LayerRow> rows = new ArrayList<>();
        long multAdds = 0;
        for (LayerTrace.Row r : trace.rows()) {
            if (r.leaf()) {
                multAdds = Math.addExact(multAdds, r.multAdds());
            }
            rows.add(new EstimateReport.LayerRow(
                    r.depth(),
                    r.name(),
                    r.torchClass(),
                    r.output().dims(),
                    r.repeated() ? 0 : r.leaf() ? r.parameters() : r.ownParameters(),
                    r.parameters(),
                    r.repeated(),
                    r.flops(),
                    r.outputBytes(),
                    r.leaf() ? Optional.of(r.multAdds()) : Optional.empty()));
        }
        return new EstimateReport.Layers(input.dims(), rows, "fp32", multAdds, trace.peakBytes(), CONVENTIONS);
    }
}
