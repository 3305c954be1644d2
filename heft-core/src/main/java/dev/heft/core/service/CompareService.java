package dev.heft.core.service;

import dev.heft.core.api.report.CompareReport;
import dev.heft.core.api.request.CompareRequest;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code heft compare A B [C...]}: side-by-side columns for any MODEL arguments (a catalog model next to a file on
 * disk, a teacher next to a student): parameters and where they sit, weight bytes, KV cache per token, FLOPs per token
 * and inference memory at one context.
 */
public final class CompareService {
    private CompareService() {}

    public static CompareReport run(List<ModelProfile> models, CompareRequest request) {
        InferenceOptions io = Workloads.inference(request.workload());
        List<CompareReport.Column> columns = new ArrayList<>();
        for (ModelProfile p : models) {
            WeightPlan w = WeightPlan.of(p, request.dtype().orElse(null));
            MemoryEstimate mem = Deployment.memory(p, w, io);
            columns.add(new CompareReport.Column(
                    p.label(),
                    p.parameters(),
                    p.parameters() - p.embeddingParameters(),
                    p.byKind(),
                    w.format(),
                    w.bytes(),
                    p.shape()
                            .filter(s -> p.generative())
                            .map(s -> KvCache.of(s, 1, 1, io.kvDtype(), 0).bytes()),
                    p.shape().map(s -> s.flopsPerToken(io.context()).total()),
                    mem.peak()));
        }
        return new CompareReport(io.context(), io.batch(), columns, io.kvDtype().displayName());
    }
}
