package dev.heft.cli;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.memory.InferenceMemory;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.memory.MemoryPart;
import dev.heft.core.memory.Runtime;
import dev.heft.core.memory.TrainingMemory;
import dev.heft.core.memory.TrainingOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.plan.Deployment;
import dev.heft.core.plan.WeightPlan;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "memory", description = {"What a model costs in memory: weights at each precision, and inference "
        + "(weights + KV cache + activations + overhead) or training (+ gradients + optimizer states) memory, each part "
        + "with its formula."})
final class MemoryCommand implements Callable<Integer> {
    static final String DEFAULT_TABLE = "fp32,bf16,fp8,int8,Q8_0,Q6_K,Q5_K_M,Q4_K_M,Q3_K_M,Q2_K,IQ4_XS,"
            + "gptq-4bit-g128,awq-4bit-g128,nf4-dq,mxfp4";

    @Parameters(paramLabel = "MODEL", description = "A model file or directory, a config.json, or a catalog name.")
    String model;

    @Option(names = "--dtype", description = "Weight precision or quantization format: bf16, fp8, int8, q4_k_m, "
            + "int4-g128, nf4, mxfp4, ... (default: as stored, bf16 for descriptions).")
    String dtype;

    @Option(names = "--dtypes", arity = "0..1", fallbackValue = DEFAULT_TABLE, description = "Print the precision table "
            + "for these formats (comma-separated; without a value: a standard list).")
    String dtypes;

    @Option(names = "--budget", description = "A memory budget (24GB, 80GiB) or a device id: print the largest context "
            + "and batch that fit.")
    String budget;

    @Mixin
    InferenceFlags inference;

    @Option(names = "--train", description = "Estimate training instead of inference.")
    boolean train;

    @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw, adam8bit, sgd, adafactor.")
    String optimizer;

    @Option(names = "--recipe", defaultValue = "mixed", description = "bf16, mixed (fp32 master + bf16 autocast), "
            + "fp16-mixed, fp32 (default ${DEFAULT-VALUE}).")
    String recipe;

    @Option(names = "--checkpointing", description = "Gradient checkpointing per layer.")
    boolean checkpointing;

    @Option(names = "--zero", defaultValue = "0", description = "ZeRO stage 0-3 (3 = FSDP full shard).")
    int zero;

    @Option(names = "--gpus", defaultValue = "1", description = "GPUs the ZeRO/FSDP states are sharded over.")
    int gpus;

    @Option(names = "--offload", description = "Offload optimizer states to CPU memory.")
    boolean offload;

    @Option(names = "--lora", defaultValue = "0", description = "LoRA rank (0: full fine-tuning).")
    int lora;

    @Option(names = "--qlora", description = "LoRA over an NF4 base (QLoRA); needs --lora.")
    boolean qlora;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        ModelProfile m = Models.profile(model);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", "heft.memory/1");
        json.put("model", m.label());
        json.put("parameters", m.parameters());
        PrintWriter out = output.out();
        if (!output.json) {
            out.println("Model       " + m.label() + "  (" + Units.count(m.parameters()) + " parameters)");
        }
        if (train) {
            trainingReport(m, json, out);
        } else {
            inferenceReport(m, json, out);
        }
        if (dtypes != null) {
            precisionTable(m, json, out);
        }
        if (output.json) {
            out.println(JsonWriter.write(json));
        }
        out.flush();
        return 0;
    }

    private void inferenceReport(ModelProfile m, Map<String, Object> json, PrintWriter out) {
        WeightPlan w = WeightPlan.of(m, dtype);
        InferenceOptions o = inference.options();
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
        if (!output.json) {
            out.println("Weights     " + w.format() + ", " + Units.fixed(w.bitsPerWeight(), 3) + " bits per weight");
            out.println("Inference   batch " + o.batch() + ", context " + o.context() + ", "
                    + o.phase().name().toLowerCase(Locale.ROOT) + ", " + o.attention().name().toLowerCase(Locale.ROOT)
                    + " attention, logits " + o.logits().name().toLowerCase(Locale.ROOT) + ", KV "
                    + o.kvDtype().displayName() + ", runtime " + o.runtime().name().toLowerCase(Locale.ROOT));
            out.println();
            printParts(out, e);
        }
        if (budget != null && m.shape().isPresent()) {
            long bytes = budgetBytes(budget);
            long maxContext = InferenceMemory.maxContext(m.shape().get(), w.bytes(), o, bytes, 1L << 24);
            long maxBatch = InferenceMemory.maxBatch(m.shape().get(), w.bytes(), o, bytes, 1L << 20);
            json.put("budget_bytes", bytes);
            json.put("max_context", maxContext);
            json.put("max_batch", maxBatch);
            if (!output.json) {
                out.println();
                out.println("Budget " + Units.bytes(bytes) + ": largest context at batch " + o.batch() + " = "
                        + Units.exact(maxContext) + " tokens; largest batch at context " + o.context() + " = "
                        + Units.exact(maxBatch));
            }
        }
    }

    private void trainingReport(ModelProfile m, Map<String, Object> json, PrintWriter out) {
        if (m.shape().isEmpty()) {
            throw new InvalidInputException(m.label() + ": training memory needs the architecture (a config.json, "
                    + "catalog name or GGUF metadata)");
        }
        TrainingOptions t = new TrainingOptions(inference.batch, inference.context,
                TrainingOptions.Optimizer.parse(optimizer), TrainingOptions.Recipe.parse(recipe), checkpointing, zero,
                gpus, offload, lora, qlora);
        MemoryEstimate e = TrainingMemory.estimate(m.shape().get(), m.parameters(), m.embeddingParameters(), t,
                Runtime.parse(inference.runtime));
        json.put("train", true);
        json.put("optimizer", t.optimizer().name().toLowerCase(Locale.ROOT));
        json.put("recipe", recipe);
        json.put("batch", t.batch());
        json.put("context", t.sequence());
        json.put("checkpointing", checkpointing);
        json.put("zero", zero);
        json.put("gpus", gpus);
        json.put("lora_rank", lora);
        putParts(json, e);
        json.put("kv_cache_bytes", 0L);
        json.put("activation_bytes", e.bytes(MemoryPart.Component.ACTIVATIONS) + e.bytes(MemoryPart.Component.LOGITS));
        json.put("total_bytes", e.total());
        json.put("peak_bytes", e.peak());
        json.put("assumptions", e.assumptions());
        if (!output.json) {
            out.println("Training    " + t.optimizer().name().toLowerCase(Locale.ROOT) + ", recipe " + recipe
                    + ", micro-batch " + t.batch() + " x " + t.sequence() + " tokens"
                    + (checkpointing ? ", gradient checkpointing" : "") + (zero > 0 ? ", ZeRO-" + zero + " over "
                    + gpus + " GPUs" : "") + (offload ? ", CPU offload" : "") + (lora > 0 ? ", LoRA r=" + lora
                    + (qlora ? " (QLoRA)" : "") : ""));
            out.println();
            printParts(out, e);
        }
    }

    static void putParts(Map<String, Object> json, MemoryEstimate e) {
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

    static void printParts(PrintWriter out, MemoryEstimate e) {
        TextTable t = new TextTable("part", "bytes", "", "how");
        for (MemoryPart p : e.parts()) {
            t.row(p.component().key(), Units.exact(p.bytes()), Units.bytes(p.bytes()), p.formula());
        }
        t.row("total", Units.exact(e.total()), Units.bytes(e.total()), "sum of the parts");
        if (e.peak() != e.total()) {
            t.row("peak", Units.exact(e.peak()), Units.bytes(e.peak()), "parts that coexist at the worst moment");
        }
        out.print(t.render());
        if (!e.assumptions().isEmpty()) {
            out.println();
            out.println("Assumptions");
            for (String a : e.assumptions()) {
                out.println("- " + a);
            }
        }
    }

    private void precisionTable(ModelProfile m, Map<String, Object> json, PrintWriter out) {
        InferenceOptions o = inference.options();
        List<Object> rows = new ArrayList<>();
        TextTable t = new TextTable("format", "bits/weight", "weights", "vs fp16", "total at context " + o.context());
        long fp16 = m.parameters() * 2;
        for (String f : dtypes.split(",")) {
            WeightPlan w;
            try {
                w = WeightPlan.of(m, f.trim());
            } catch (InvalidInputException ex) {
                throw new InvalidInputException("--dtypes: " + ex.getMessage(), ex);
            }
            MemoryEstimate e = Deployment.memory(m, w, o);
            double savings = fp16 == 0 ? 0 : 1.0 - (double) w.bytes() / fp16;
            t.row(w.format(), Units.fixed(w.bitsPerWeight(), 3), Units.bytes(w.bytes()),
                    (Math.abs(savings) < 5e-5 ? "" : savings > 0 ? "-" : "+") + Units.percent(Math.abs(savings)), Units.bytes(e.peak()));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("dtype", w.format());
            r.put("bits_per_weight", Math.round(w.bitsPerWeight() * 1e4) / 1e4);
            r.put("weights_bytes", w.bytes());
            r.put("savings_vs_fp16", Math.round(savings * 1e4) / 1e4);
            r.put("total_bytes", e.peak());
            rows.add(r);
        }
        json.put("precisions", rows);
        if (!output.json) {
            out.println();
            out.println("Precisions (exact per-tensor plans; llama.cpp types follow llama-quantize's rules)");
            out.print(t.render());
        }
    }

    static long budgetBytes(String s) {
        if (Character.isDigit(s.charAt(0)) && !s.contains("x")) {
            return DeviceCatalog.parseBytes(s);
        }
        return DeviceCatalog.find(s).usableBytes();
    }
}
