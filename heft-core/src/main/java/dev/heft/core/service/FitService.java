package dev.heft.core.service;

import dev.heft.core.api.report.FitReport;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.compress.Applicability;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.hardware.SpeedResult;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.TrainingOptions;
import dev.heft.core.model.ContextLimit;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.FitRow;
import dev.heft.core.plan.OffloadPlan;
import dev.heft.core.plan.Verdict;
import dev.heft.core.plan.Verdicts;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.plan.WeightPlans;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code heft fit}: devices x precisions, with headroom, longest context, and estimated speed. */
public final class FitService {
    private FitService() {}

    public static FitReport run(ModelProfile m, FitRequest request, DeviceRegistry registry) {
        List<String> sizedAt = new ArrayList<>();
        dev.heft.core.api.request.Workload workload = Workloads.forModel(m, request.workload(), sizedAt);
        InferenceOptions o = Workloads.inference(workload);
        List<Device> devices = new ArrayList<>();
        for (String d : request.devices()) {
            devices.add(registry.find(d.trim()));
        }
        List<WeightPlan> listed = WeightPlans.of(m, request.dtypes());
        List<WeightPlan> plans =
                listed.stream().filter(FitService::storesSomething).toList();
        // The longest context a row reports: the model's limit when known, never more.
        long limit = m.contextLimit()
                .map(ContextLimit::tokens)
                .orElseGet(() -> m.shape()
                        .map(s -> Math.max(s.maxPositions(), o.context()))
                        .orElse(o.context()));
        Optional<Device> host = request.host().map(registry::find);
        List<FitRow> all = Deployment.fitAll(m, plans, devices, o, limit, host);
        List<FitReport.Row> rows = new ArrayList<>();
        for (FitRow r : all) {
            if (!request.onlyFitting() || r.fits()) {
                rows.add(row(r, m.generative()));
            }
        }
        List<FitReport.Verdict> verdicts =
                Verdicts.perDevice(all).stream().map(FitService::verdict).toList();
        Optional<List<FitReport.Verdict>> training = request.training().map(t -> {
            TrainingOptions base = Workloads.training(t);
            return devices.stream()
                    .map(d -> verdict(Verdicts.training(m, d, base)))
                    .toList();
        });
        List<String> notes = new ArrayList<>(sizedAt);
        notes.addAll(m.notes());
        if (!m.generative() && m.shape().isPresent()) {
            notes.add(Deployment.ENCODER_ONLY);
        }
        List<FitReport.NotApplicable> notApplicable = new ArrayList<>();
        for (WeightPlan w : listed) {
            if (!storesSomething(w) && w.plan().get().applicability() instanceof Applicability.NotApplicable na) {
                notes.add(w.format() + ": n/a, " + na.reason());
                notApplicable.add(new FitReport.NotApplicable(w.format(), false, na.reason()));
            }
        }
        // T4 and V100 have no bf16 units: a bf16 model is fitted and timed there as fp16 (same bytes), and the notes
        // say so.
        for (Device d : devices) {
            for (WeightPlan w : plans) {
                if (w.computeKey().equals("bf16")) {
                    d.substitutionNote(w.computeKey())
                            .filter(n -> !notes.contains(n))
                            .ifPresent(notes::add);
                }
            }
        }
        return new FitReport(
                m.label(),
                m.parameters(),
                o.batch(),
                o.context(),
                rows,
                verdicts,
                training,
                notes,
                o.kvDtype().displayName(),
                m.contextWarnings(o.context(), MemoryService.encoderContext(m, workload)),
                m.contextLimit().map(ContextLimit::tokens),
                notApplicable.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(notApplicable)));
    }

    /**
     * Whether a plan stores something: a format that quantizes nothing in this model (mxfp4 on a dense model, a
     * layout none of whose rows divide into its blocks) gets no rows, only a note saying why, and the rest go on.
     * The model's own precision always has its rows.
     */
    private static boolean storesSomething(WeightPlan w) {
        return w.isNative()
                || w.plan().isEmpty()
                || !(w.plan().get().applicability() instanceof Applicability.NotApplicable);
    }

    /** A row; an encoder (not generative) gets its prefill rate only: no decode rate, no time to first token. */
    private static FitReport.Row row(FitRow r, boolean generative) {
        Optional<SpeedEstimate> s = r.speed();
        Optional<SpeedEstimate> decode = generative ? s : Optional.empty();
        return new FitReport.Row(
                r.device().id(),
                r.weights().format(),
                r.fits(),
                r.weights().bytes(),
                r.runtime().deviceBytes(),
                r.device().usableBytes(),
                r.headroom(),
                r.maxContext(),
                decode.map(SpeedEstimate::decodeTokensPerSecond).map(FitService::round1),
                s.map(SpeedEstimate::prefillTokensPerSecond).map(FitService::round1),
                decode.map(SpeedEstimate::timeToFirstTokenSeconds)
                        .filter(Double::isFinite)
                        .map(FitService::round4),
                r.why(),
                r.runtimeKind().id(),
                r.runtime().deviceBytes(),
                r.runtime().hostBytes(),
                r.speedResult() instanceof SpeedResult.Estimated e ? Optional.of(e.placement()) : Optional.empty(),
                r.speedResult() instanceof SpeedResult.NoSpeed n ? Optional.of(n.reason()) : Optional.empty(),
                r.offload().map(FitService::offload),
                MemoryService.origin(r.weights()));
    }

    private static FitReport.Offload offload(OffloadPlan p) {
        return new FitReport.Offload(
                p.kind().name().toLowerCase(Locale.ROOT),
                p.gpuLayers(),
                p.totalLayers(),
                p.cpuMoeLayers(),
                p.deviceBytes(),
                p.hostBytes(),
                p.flag(),
                p.assumptions());
    }

    private static FitReport.Verdict verdict(Verdict v) {
        return new FitReport.Verdict(v.device(), v.outcome().name().toLowerCase(Locale.ROOT), v.text());
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round4(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
