package dev.heft.core.service;

import dev.heft.core.api.report.SpeedReport;
import dev.heft.core.api.request.SpeedRequest;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.hardware.SpeedResult;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import java.util.List;
import java.util.Optional;

/** {@code heft speed}: decode (memory-bound) and prefill (compute-bound) on one device, with the factors stated. */
public final class SpeedService {
    private SpeedService() {}

    /** The context warnings of a workload. */
    private static List<String> warnings(ModelProfile m, dev.heft.core.api.request.Workload w) {
        return m.contextWarnings(w.context(), MemoryService.encoderContext(m, w));
    }

    public static SpeedReport run(ModelProfile m, SpeedRequest request, DeviceRegistry devices) {
        Device d = devices.find(request.device());
        if (!d.ratesKnown()) {
            throw unknownRates(d);
        }
        WeightPlan w = WeightPlan.of(m, request.dtype().orElse(null));
        List<String> sizedAt = new java.util.ArrayList<>();
        dev.heft.core.api.request.Workload workload = Workloads.forModel(m, request.workload(), sizedAt);
        InferenceOptions o = Workloads.inference(workload);
        long prompt = request.prompt().orElse(o.context());
        if (prompt > o.context()) {
            throw new InvalidInputException("prompt: " + prompt + " tokens do not fit in a context of " + o.context()
                    + " (raise --context or shorten --prompt)");
        }
        if (m.shape().isEmpty()) {
            throw new InvalidInputException(m.label() + ": speed is modelled for transformer architectures (a "
                    + "config.json, an LLM catalog model or GGUF metadata); for a torch.nn network 'estimate' gives "
                    + "its FLOPs");
        }
        SpeedResult result =
                Deployment.speedOn(m, w, d, o, prompt, request.host().map(devices::find));
        Optional<SpeedEstimate> s = result.estimated();
        // An encoder (BERT, ViT) runs one forward pass per input: it has a prefill rate, no decode and no first token.
        Optional<SpeedEstimate> decode = m.generative() ? s : Optional.empty();
        List<String> assumptions = new java.util.ArrayList<>(sizedAt);
        assumptions.addAll(s.map(SpeedEstimate::assumptions).orElse(List.of()));
        if (!m.generative() && s.isPresent()) {
            assumptions.add(Deployment.ENCODER_ONLY);
        }
        return new SpeedReport(
                m.label(),
                d.id(),
                w.format(),
                o.batch(),
                o.context(),
                prompt,
                decode.map(SpeedEstimate::decodeBytesPerStep),
                decode.map(x -> FitService.round4(x.decodeMsPerToken())),
                decode.map(x -> FitService.round1(x.decodeTokensPerSecond())),
                s.map(SpeedEstimate::prefillFlops),
                s.map(x -> FitService.round1(x.prefillTokensPerSecond())),
                decode.map(x -> FitService.round4(x.timeToFirstTokenSeconds())),
                assumptions,
                w.bytes(),
                d.name(),
                (long) d.bandwidth(),
                d.peakFlopsFor(w.computeKey()) / 1e12,
                w.computeKey(),
                result instanceof SpeedResult.Estimated e ? Optional.of(e.placement()) : Optional.empty(),
                result instanceof SpeedResult.NoSpeed n ? Optional.of(n.reason()) : Optional.empty(),
                warnings(m, workload),
                MemoryService.origin(w));
    }

    /** A detected machine whose bandwidth or throughput the catalog does not know: no speed, and what to do. */
    static InvalidInputException unknownRates(Device d) {
        return new InvalidInputException(d.name() + ": memory bandwidth and throughput are unknown, so no speed can be "
                + "estimated ('heft devices' says what was detected); describe the device with "
                + "custom:mem=..,bw=..,bf16=..");
    }
}
