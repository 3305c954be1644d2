package dev.heft.core.service;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.report.Units;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code heft speed}: decode (memory-bound) and prefill (compute-bound) on one device, with the factors stated. */
public final class SpeedService {
    public static final Set<String> OPTIONS = Set.of("device", "dtype", "prompt", "batch", "context", "phase",
            "attention", "logits", "kv-dtype", "runtime", "encoder-context");

    private SpeedService() {
    }

    public static Result run(ResolvedModel model, Options opts) {
        opts.requireOnly(OPTIONS);
        if (model instanceof ResolvedModel.Network n) {
            return NetworkServices.speed(n, opts);
        }
        ModelProfile m = ModelProfile.of(model);
        Device d = opts.devices().find(opts.string("device").orElseThrow(() ->
                new InvalidInputException("device: required (see the device catalog)")));
        if (!d.ratesKnown()) {
            throw new InvalidInputException(d.name() + ": memory bandwidth and throughput are unknown, so no speed "
                    + "can be estimated ('heft devices' says what was detected); describe the device with "
                    + "custom:mem=..,bw=..,bf16=..");
        }
        WeightPlan w = WeightPlan.of(m, opts.string("dtype").orElse(null));
        InferenceOptions o = opts.inference();
        long promptTokens = opts.tokens("prompt", o.context());
        SpeedEstimate s = Deployment.speed(m, w, d, o, promptTokens).orElseThrow(() -> new InvalidInputException(
                m.label() + ": speed is modelled for transformer architectures (a config.json, "
                + "an LLM catalog model or GGUF metadata); for a torch.nn network 'estimate' gives its FLOPs"));
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.speed/1");
        j.put("model", m.label());
        j.put("device", d.id());
        j.put("dtype", w.format());
        j.put("batch", o.batch());
        j.put("context", o.context());
        j.put("prompt_tokens", promptTokens);
        j.put("decode_bytes_per_step", s.decodeBytesPerStep());
        j.put("decode_ms_per_token", Math.round(s.decodeMsPerToken() * 1e4) / 1e4);
        j.put("decode_tokens_per_s", FitService.round(s.decodeTokensPerSecond()));
        j.put("prefill_flops", s.prefillFlops());
        j.put("prefill_tokens_per_s", FitService.round(s.prefillTokensPerSecond()));
        j.put("time_to_first_token_s", Math.round(s.timeToFirstTokenSeconds() * 1e4) / 1e4);
        j.put("assumptions", s.assumptions());
        StringBuilder out = new StringBuilder();
        out.append("Model    ").append(m.label()).append(" as ").append(w.format()).append(" (")
                .append(Units.bytes(w.bytes())).append(")\n");
        out.append("Device   ").append(d.name()).append(": ").append(Units.fixed(d.bandwidth() / 1e9, 0))
                .append(" GB/s, ").append(Units.fixed(d.peakFlopsFor(w.computeKey()) / 1e12, 1)).append(" TFLOP/s ")
                .append(w.computeKey()).append('\n');
        out.append("Batch    ").append(o.batch()).append(", context ").append(o.context()).append(", prompt ")
                .append(promptTokens).append("\n\n");
        out.append("Decode   ").append(Units.fixed(s.decodeMsPerToken(), 3)).append(" ms per step = ")
                .append(Units.bytes(s.decodeBytesPerStep())).append(" read per step -> ")
                .append(Units.fixed(s.decodeTokensPerSecond(), 1)).append(" tokens/s (")
                .append(Units.fixed(s.decodeTokensPerSecond() / o.batch(), 1)).append(" per sequence)\n");
        out.append("Prefill  ").append(Units.fixed(s.prefillFlops() / 1e12, 2)).append(" TFLOP for the prompt -> ")
                .append(Units.fixed(s.prefillTokensPerSecond(), 0)).append(" tokens/s; time to first token ")
                .append(FitService.seconds(s.timeToFirstTokenSeconds())).append("\n\nAssumptions\n");
        s.assumptions().forEach(a -> out.append("- ").append(a).append('\n'));
        return new Result(j, out.toString());
    }
}
