package dev.heft.cli;

import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.FitRow;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fit", description = {"Which devices run a model, at which precision: fits or not (with the "
        + "headroom), the longest context at batch 1, and estimated decode and prefill speed."})
final class FitCommand implements Callable<Integer> {
    static final String DEFAULT_DEVICES = "h200,h100-sxm,a100-80gb,a100-40gb,l40s,l4,rtx-5090,rtx-4090,rtx-3090,"
            + "rtx-4070,m3-max,m4-pro,m2,cpu-ddr5,jetson-orin,rpi5,snapdragon-8g3,a17-pro,webgpu";

    @Parameters(paramLabel = "MODEL", description = "A model file or directory, a config.json, or a catalog name.")
    String model;

    @Option(names = "--devices", defaultValue = DEFAULT_DEVICES, description = "Comma-separated device ids; Nxid for "
            + "tensor-parallel splits (8xh100-sxm); custom:mem=..,bw=..,bf16=.. for your own.")
    String devices;

    @Option(names = "--dtypes", defaultValue = "bf16,fp8,Q8_0,Q4_K_M", description = "Precisions to try "
            + "(default ${DEFAULT-VALUE}).")
    String dtypes;

    @Option(names = "--only-fitting", description = "Hide rows that do not fit.")
    boolean onlyFitting;

    @Mixin
    InferenceFlags inference;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        ModelProfile m = Models.profile(model);
        InferenceOptions o = inference.options();
        List<Device> devs = new ArrayList<>();
        for (String d : devices.split(",")) {
            devs.add(DeviceCatalog.find(d.trim()));
        }
        List<WeightPlan> plans = new ArrayList<>();
        for (String f : dtypes.split(",")) {
            plans.add(WeightPlan.of(m, f.trim()));
        }
        long limit = m.shape().map(s -> Math.max(s.maxPositions(), o.context())).orElse(o.context());
        List<FitRow> rows = Deployment.fitAll(m, plans, devs, o, limit);
        PrintWriter out = output.out();
        if (output.json) {
            List<Object> list = new ArrayList<>();
            for (FitRow r : rows) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("device", r.device().id());
                j.put("dtype", r.weights().format());
                j.put("fits", r.fits());
                j.put("weights_bytes", r.weights().bytes());
                j.put("total_bytes", r.memory().peak());
                j.put("usable_bytes", r.device().usableBytes());
                j.put("headroom_bytes", r.headroom());
                j.put("max_context", r.maxContext());
                j.put("decode_tokens_per_s", r.speed().map(SpeedEstimate::decodeTokensPerSecond).map(FitCommand::round)
                        .orElse(null));
                j.put("prefill_tokens_per_s", r.speed().map(SpeedEstimate::prefillTokensPerSecond)
                        .map(FitCommand::round).orElse(null));
                j.put("time_to_first_token_s", r.speed().map(SpeedEstimate::timeToFirstTokenSeconds)
                        .map(v -> Math.round(v * 1e4) / 1e4).orElse(null));
                j.put("why", r.why());
                list.add(j);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("schema", "heft.fit/1");
            root.put("model", m.label());
            root.put("parameters", m.parameters());
            root.put("batch", o.batch());
            root.put("context", o.context());
            root.put("rows", list);
            out.println(JsonWriter.write(root));
        } else {
            out.println("Model  " + m.label() + "  (" + Units.count(m.parameters()) + " parameters), batch " + o.batch()
                    + ", context " + o.context() + ", KV " + o.kvDtype().displayName());
            out.println();
            TextTable t = new TextTable("device", "dtype", "fits", "needs", "usable", "headroom", "max context",
                    "decode tok/s", "prefill tok/s", "TTFT");
            for (FitRow r : rows) {
                if (onlyFitting && !r.fits()) {
                    continue;
                }
                t.row(r.device().id(), r.weights().format(), r.fits() ? "yes" : "no", Units.bytes(r.memory().peak()),
                        Units.bytes(r.device().usableBytes()),
                        (r.headroom() < 0 ? "-" : "") + Units.bytes(Math.abs(r.headroom())),
                        r.maxContext() == 0 ? "-" : Units.exact(r.maxContext()),
                        r.speed().map(s -> Units.fixed(s.decodeTokensPerSecond(), 1)).orElse("?"),
                        r.speed().map(s -> Units.fixed(s.prefillTokensPerSecond(), 0)).orElse("?"),
                        r.speed().map(s -> seconds(s.timeToFirstTokenSeconds())).orElse("?"));
            }
            out.print(t.render());
            out.println();
            out.println("needs = weights + KV cache + activations + runtime overhead at the batch and context above; "
                    + "'heft memory' shows the parts.");
            out.println("Speeds are roofline estimates calibrated on H200 measurements; 'heft speed' states the "
                    + "assumptions.");
            if (!m.notes().isEmpty()) {
                out.println();
                m.notes().forEach(n -> out.println("- " + n));
            }
        }
        out.flush();
        return 0;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static String seconds(double s) {
        if (Double.isInfinite(s)) {
            return "-";
        }
        return s < 1 ? Units.fixed(s * 1000, 0) + " ms" : Units.fixed(s, 1) + " s";
    }
}
