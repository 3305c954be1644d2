package dev.heft.core.service;

import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.SpeedEstimate;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.FitRow;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code heft fit}: devices x precisions, with headroom, longest context, and estimated speed. */
public final class FitService {
    public static final String DEFAULT_DEVICES = "h200,h100-sxm,a100-80gb,a100-40gb,l40s,l4,rtx-5090,rtx-4090,"
            + "rtx-3090,rtx-4070,m3-max,m4-pro,m2,cpu-ddr5,jetson-orin,rpi5,snapdragon-8g3,a17-pro,webgpu";
    public static final String DEFAULT_DTYPES = "bf16,fp8,Q8_0,Q4_K_M";
    public static final Set<String> OPTIONS = Set.of("devices", "dtypes", "only-fitting", "batch", "context",
            "phase", "attention", "logits", "kv-dtype", "runtime", "encoder-context");

    private FitService() {
    }

    public static Result run(ResolvedModel model, Options opts) {
        opts.requireOnly(OPTIONS);
        if (model instanceof ResolvedModel.Network n) {
            return NetworkServices.fit(n, opts);
        }
        ModelProfile m = ModelProfile.of(model);
        InferenceOptions o = opts.inference();
        List<Device> devs = new ArrayList<>();
        for (String d : opts.string("devices", DEFAULT_DEVICES).split(",")) {
            devs.add(opts.devices().find(d.trim()));
        }
        List<WeightPlan> plans = new ArrayList<>();
        for (String f : opts.string("dtypes", DEFAULT_DTYPES).split(",")) {
            plans.add(WeightPlan.of(m, f.trim()));
        }
        long limit = m.shape().map(s -> Math.max(s.maxPositions(), o.context())).orElse(o.context());
        List<FitRow> rows = Deployment.fitAll(m, plans, devs, o, limit);
        boolean onlyFitting = opts.flag("only-fitting");

        List<Object> list = new ArrayList<>();
        TextTable t = new TextTable("device", "dtype", "fits", "needs", "usable", "headroom", "max context",
                "decode tok/s", "prefill tok/s", "TTFT");
        for (FitRow r : rows) {
            if (onlyFitting && !r.fits()) {
                continue;
            }
            list.add(row(r));
            t.row(r.device().id(), r.weights().format(), r.fits() ? "yes" : "no", Units.bytes(r.memory().peak()),
                    Units.bytes(r.device().usableBytes()),
                    (r.headroom() < 0 ? "-" : "") + Units.bytes(Math.abs(r.headroom())),
                    r.maxContext() == 0 ? "-" : Units.exact(r.maxContext()),
                    r.speed().map(s -> Units.fixed(s.decodeTokensPerSecond(), 1)).orElse("?"),
                    r.speed().map(s -> Units.fixed(s.prefillTokensPerSecond(), 0)).orElse("?"),
                    r.speed().map(s -> seconds(s.timeToFirstTokenSeconds())).orElse("?"));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "heft.fit/1");
        root.put("model", m.label());
        root.put("parameters", m.parameters());
        root.put("batch", o.batch());
        root.put("context", o.context());
        root.put("rows", list);
        // T4 and V100 have no bf16 units: a bf16 model is fitted and timed as fp16 (same bytes), and the table says so.
        List<String> notes = new ArrayList<>(m.notes());
        for (Device d : devs) {
            for (WeightPlan w : plans) {
                d.substitutionNote(w.computeKey()).filter(n -> w.computeKey().equals("bf16") && !notes.contains(n))
                        .ifPresent(notes::add);
            }
        }
        root.put("notes", notes);
        StringBuilder text = new StringBuilder();
        text.append("Model  ").append(m.label()).append("  (").append(Units.count(m.parameters()))
                .append(" parameters), batch ").append(o.batch()).append(", context ").append(o.context())
                .append(", KV ").append(o.kvDtype().displayName()).append("\n\n").append(t.render()).append('\n');
        text.append("needs = weights + KV cache + activations + runtime overhead at the batch and context above; "
                + "'heft memory' shows the parts.\nSpeeds are roofline estimates calibrated on H200 measurements; "
                + "'heft speed' states the assumptions.\n");
        if (!notes.isEmpty()) {
            text.append('\n');
            notes.forEach(n -> text.append("- ").append(n).append('\n'));
        }
        return new Result(root, text.toString());
    }

    private static Map<String, Object> row(FitRow r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("device", r.device().id());
        j.put("dtype", r.weights().format());
        j.put("fits", r.fits());
        j.put("weights_bytes", r.weights().bytes());
        j.put("total_bytes", r.memory().peak());
        j.put("usable_bytes", r.device().usableBytes());
        j.put("headroom_bytes", r.headroom());
        j.put("max_context", r.maxContext());
        j.put("decode_tokens_per_s", r.speed().map(SpeedEstimate::decodeTokensPerSecond).map(FitService::round)
                .orElse(null));
        j.put("prefill_tokens_per_s", r.speed().map(SpeedEstimate::prefillTokensPerSecond).map(FitService::round)
                .orElse(null));
        j.put("time_to_first_token_s", r.speed().map(SpeedEstimate::timeToFirstTokenSeconds)
                .map(v -> Double.isInfinite(v) ? null : Math.round(v * 1e4) / 1e4).orElse(null));
        j.put("why", r.why());
        return j;
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
