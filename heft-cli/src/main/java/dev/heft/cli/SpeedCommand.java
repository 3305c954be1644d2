package dev.heft.cli;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.report.Units;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "speed", description = {"How fast a model runs on a device: decode is memory-bound (bytes read per "
        + "step / bandwidth), prefill compute-bound (FLOPs / peak), with the efficiency factors stated."})
final class SpeedCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "A model file or directory, a config.json, or a catalog name.")
    String model;

    @Option(names = "--device", required = true, description = "Device id (see 'heft devices'), Nxid, or custom:...")
    String device;

    @Option(names = "--dtype", description = "Weight precision (default: as stored, bf16 for descriptions).")
    String dtype;

    @Option(names = "--prompt", description = "Prompt tokens for prefill and time to first token (default: --context).",
            converter = Sizes.TokenCount.class)
    Long prompt;

    @Mixin
    InferenceFlags inference;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        ModelProfile m = Models.profile(model);
        Device d = DeviceCatalog.find(device);
        WeightPlan w = WeightPlan.of(m, dtype);
        InferenceOptions o = inference.options();
        long promptTokens = prompt == null ? o.context() : prompt;
        SpeedEstimate s = Deployment.speed(m, w, d, o, promptTokens).orElseThrow(() -> new InvalidInputException(
                m.label() + ": speed needs the architecture (a config.json, catalog name or GGUF metadata)"));
        PrintWriter out = output.out();
        if (output.json) {
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
            j.put("decode_tokens_per_s", FitCommand.round(s.decodeTokensPerSecond()));
            j.put("prefill_flops", s.prefillFlops());
            j.put("prefill_tokens_per_s", FitCommand.round(s.prefillTokensPerSecond()));
            j.put("time_to_first_token_s", Math.round(s.timeToFirstTokenSeconds() * 1e4) / 1e4);
            j.put("assumptions", s.assumptions());
            out.println(JsonWriter.write(j));
        } else {
            out.println("Model    " + m.label() + " as " + w.format() + " (" + Units.bytes(w.bytes()) + ")");
            out.println("Device   " + d.name() + ": " + Units.fixed(d.bandwidth() / 1e9, 0) + " GB/s, "
                    + Units.fixed(d.peakFlopsFor(w.computeKey()) / 1e12, 1) + " TFLOP/s " + w.computeKey());
            out.println("Batch    " + o.batch() + ", context " + o.context() + ", prompt " + promptTokens);
            out.println();
            out.println("Decode   " + Units.fixed(s.decodeMsPerToken(), 3) + " ms per step = "
                    + Units.bytes(s.decodeBytesPerStep()) + " read per step -> "
                    + Units.fixed(s.decodeTokensPerSecond(), 1) + " tokens/s (" + Units.fixed(
                    s.decodeTokensPerSecond() / o.batch(), 1) + " per sequence)");
            out.println("Prefill  " + Units.fixed(s.prefillFlops() / 1e12, 2) + " TFLOP for the prompt -> "
                    + Units.fixed(s.prefillTokensPerSecond(), 0) + " tokens/s; time to first token "
                    + FitCommand.seconds(s.timeToFirstTokenSeconds()));
            out.println();
            out.println("Assumptions");
            s.assumptions().forEach(a -> out.println("- " + a));
        }
        out.flush();
        return 0;
    }
}
