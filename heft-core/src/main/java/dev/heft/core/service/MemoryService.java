package dev.heft.core.service;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.memory.InferenceMemory;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.memory.MemoryPart;
import dev.heft.core.memory.Runtime;
import dev.heft.core.memory.TrainingMemory;
import dev.heft.core.memory.TrainingOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code heft memory}: weights at a precision, then inference (weights + KV cache + activations + overhead) or training
 * (+ gradients + optimizer states) memory, every part with its formula; optionally the precision table and the largest
 * context and batch within a budget.
 */
public final class MemoryService {
    public static final String DEFAULT_TABLE = "fp32,bf16,fp8,int8,Q8_0,Q6_K,Q5_K_M,Q4_K_M,Q3_K_M,Q2_K,IQ4_XS,"
            + "gptq-4bit-g128,awq-4bit-g128,nf4-dq";
    public static final Set<String> OPTIONS = Set.of("dtype", "dtypes", "budget", "batch", "context", "phase",
            "attention", "logits", "kv-dtype", "runtime", "encoder-context", "train", "optimizer", "recipe",
            "checkpointing", "zero", "gpus", "offload", "lora", "qlora");

    private MemoryService() {
    }

    public static Result run(ResolvedModel model, Options o) {
        o.requireOnly(OPTIONS);
        if (model instanceof ResolvedModel.Network n) {
            return NetworkServices.memory(n, o); // vision and other non-LLM networks: their own precisions and parts
        }
        ModelProfile m = ModelProfile.of(model);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", "heft.memory/1");
        json.put("model", m.label());
        json.put("parameters", m.parameters());
        StringBuilder text = new StringBuilder();
        text.append("Model       ").append(m.label()).append("  (").append(Units.count(m.parameters()))
                .append(" parameters)\n");
        if (o.flag("train")) {
            training(m, o, json, text);
        } else {
            inference(m, o, json, text);
        }
        o.string("dtypes").ifPresent(list -> precisionTable(m, o, list.isBlank() || list.equals("true")
                ? DEFAULT_TABLE : list, json, text));
        return new Result(json, text.toString());
    }

    private static void inference(ModelProfile m, Options opts, Map<String, Object> json, StringBuilder out) {
        WeightPlan w = WeightPlan.of(m, opts.string("dtype").orElse(null));
        InferenceOptions o = opts.inference();
        MemoryEstimate e = Deployment.memory(m, w, o);
        json.put("dtype", w.format());
        json.put("bits_per_weight", Math.round(w.bitsPerWeight() * 1e4) / 1e4);
        json.put("batch", o.batch());
        json.put("context", o.context());
        json.put("phase", o.phase().name().toLowerCase(Locale.ROOT));
        json.put("attention", o.attention().name().toLowerCase(Locale.ROOT));
        json.put("kv_dtype", o.kvDtype().displayName());
        putParts(json, e);
        json.put("activation_bytes", e.bytes(MemoryPart.Component.ACTIVATIONS) + e.bytes(MemoryPart.Component.LOGITS));
        json.put("total_bytes", e.total());
        json.put("assumptions", e.assumptions());
        out.append("Weights     ").append(w.format()).append(", ").append(Units.fixed(w.bitsPerWeight(), 3))
                .append(" bits per weight\n");
        out.append("Inference   batch ").append(o.batch()).append(", context ").append(o.context()).append(", ")
                .append(o.phase().name().toLowerCase(Locale.ROOT)).append(", ")
                .append(o.attention().name().toLowerCase(Locale.ROOT)).append(" attention, logits ")
                .append(o.logits().name().toLowerCase(Locale.ROOT)).append(", KV ").append(o.kvDtype().displayName())
                .append("\n\n");
        printParts(out, e);
        if (opts.string("budget").isPresent() && m.shape().isPresent()) {
            long bytes = budgetBytes(opts.string("budget").get(), opts.devices());
            long maxContext = InferenceMemory.maxContext(m.shape().get(), w.bytes(), o, bytes, 1L << 24);
            long maxBatch = InferenceMemory.maxBatch(m.shape().get(), w.bytes(), o, bytes, 1L << 20);
            json.put("budget_bytes", bytes);
            json.put("max_context", maxContext);
            json.put("max_batch", maxBatch);
            out.append("\nBudget ").append(Units.bytes(bytes)).append(": largest context at batch ").append(o.batch())
                    .append(" = ").append(Units.exact(maxContext)).append(" tokens; largest batch at context ")
                    .append(o.context()).append(" = ").append(Units.exact(maxBatch)).append('\n');
        }
    }

    private static void training(ModelProfile m, Options opts, Map<String, Object> json, StringBuilder out) {
        if (m.shape().isEmpty()) {
            throw new InvalidInputException(m.label() + ": training memory is modelled for transformer architectures "
                    + "(a config.json, an LLM catalog model or GGUF metadata); for a torch.nn network heft gives its "
                    + "weights (memory --dtype) and FLOPs (estimate)");
        }
        TrainingOptions t = opts.training();
        MemoryEstimate e = TrainingMemory.estimate(m.shape().get(), m.parameters(), m.embeddingParameters(), t,
                Runtime.parse(opts.string("runtime", "auto")));
        json.put("train", true);
        json.put("optimizer", t.optimizer().name().toLowerCase(Locale.ROOT));
        json.put("recipe", t.recipe().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        json.put("batch", t.batch());
        json.put("context", t.sequence());
        json.put("checkpointing", t.checkpointing());
        json.put("zero", t.zero());
        json.put("gpus", t.gpus());
        json.put("lora_rank", t.loraRank());
        putParts(json, e);
        json.put("kv_cache_bytes", 0L);
        json.put("activation_bytes", e.bytes(MemoryPart.Component.ACTIVATIONS) + e.bytes(MemoryPart.Component.LOGITS));
        json.put("total_bytes", e.total());
        json.put("peak_bytes", e.peak());
        json.put("assumptions", e.assumptions());
        out.append("Training    ").append(t.optimizer().name().toLowerCase(Locale.ROOT)).append(", recipe ")
                .append(json.get("recipe")).append(", micro-batch ").append(t.batch()).append(" x ")
                .append(t.sequence()).append(" tokens").append(t.checkpointing() ? ", gradient checkpointing" : "")
                .append(t.zero() > 0 ? ", ZeRO-" + t.zero() + " over " + t.gpus() + " GPUs" : "")
                .append(t.cpuOffload() ? ", CPU offload" : "")
                .append(t.loraRank() > 0 ? ", LoRA r=" + t.loraRank() + (t.qlora() ? " (QLoRA)" : "") : "")
                .append("\n\n");
        printParts(out, e);
    }

    public static void putParts(Map<String, Object> json, MemoryEstimate e) {
        for (MemoryPart.Component c : MemoryPart.Component.values()) {
            json.put(c.key() + "_bytes", e.bytes(c));
        }
        List<Object> parts = new ArrayList<>();
        for (MemoryPart p : e.parts()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("part", p.component().key());
            pm.put("bytes", p.bytes());
            pm.put("formula", p.formula());
            parts.add(pm);
        }
        json.put("parts", parts);
    }

    static void printParts(StringBuilder out, MemoryEstimate e) {
        TextTable t = new TextTable("part", "bytes", "", "how");
        for (MemoryPart p : e.parts()) {
            t.row(p.component().key(), Units.exact(p.bytes()), Units.bytes(p.bytes()), p.formula());
        }
        t.row("total", Units.exact(e.total()), Units.bytes(e.total()), "sum of the parts");
        if (e.peak() != e.total()) {
            t.row("peak", Units.exact(e.peak()), Units.bytes(e.peak()), "parts that coexist at the worst moment");
        }
        out.append(t.render());
        if (!e.assumptions().isEmpty()) {
            out.append("\nAssumptions\n");
            for (String a : e.assumptions()) {
                out.append("- ").append(a).append('\n');
            }
        }
    }

    private static void precisionTable(ModelProfile m, Options opts, String formats, Map<String, Object> json,
                                       StringBuilder out) {
        InferenceOptions o = opts.inference();
        List<Object> rows = new ArrayList<>();
        TextTable t = new TextTable("format", "bits/weight", "weights", "vs fp16", "total at context " + o.context());
        long fp16 = m.parameters() * 2;
        for (String f : formats.split(",")) {
            WeightPlan w;
            try {
                w = WeightPlan.of(m, f.trim());
            } catch (InvalidInputException ex) {
                throw new InvalidInputException("dtypes: " + ex.getMessage(), ex);
            }
            MemoryEstimate e = Deployment.memory(m, w, o);
            double savings = fp16 == 0 ? 0 : 1.0 - (double) w.bytes() / fp16;
            t.row(w.format(), Units.fixed(w.bitsPerWeight(), 3), Units.bytes(w.bytes()),
                    (Math.abs(savings) < 5e-5 ? "" : savings > 0 ? "-" : "+") + Units.percent(Math.abs(savings)),
                    Units.bytes(e.peak()));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("dtype", w.format());
            r.put("bits_per_weight", Math.round(w.bitsPerWeight() * 1e4) / 1e4);
            r.put("weights_bytes", w.bytes());
            r.put("savings_vs_fp16", Math.round(savings * 1e4) / 1e4);
            r.put("total_bytes", e.peak());
            rows.add(r);
        }
        json.put("precisions", rows);
        out.append("\nPrecisions (exact per-tensor plans; llama.cpp types follow llama-quantize's rules)\n")
                .append(t.render());
    }

    /** A budget is a size (24GB, 80GiB) or a device id (its usable memory). */
    public static long budgetBytes(String s) {
        return budgetBytes(s, dev.heft.core.hardware.DeviceRegistry.builtIn());
    }

    /** A budget is a size (24GB, 80GiB) or a device id in {@code devices} (its usable memory). */
    public static long budgetBytes(String s, dev.heft.core.hardware.DeviceRegistry devices) {
        if (!s.isEmpty() && Character.isDigit(s.charAt(0)) && !s.contains("x")) {
            return DeviceCatalog.parseBytes(s);
        }
        return devices.find(s).usableBytes();
    }
}
