package dev.heft.cli;

import dev.heft.core.service.MemoryService;
import dev.heft.core.service.Options;
import java.util.HashMap;
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
    @picocli.CommandLine.ParentCommand
    Heft root;

    @Parameters(paramLabel = "MODEL", description = "A model file or directory, a config.json, or a catalog name.")
    String model;

    @Option(names = "--dtype", description = "Weight precision or quantization format: bf16, fp8, int8, q4_k_m, "
            + "int4-g128, nf4, mxfp4, ... (default: as stored, bf16 for descriptions).")
    String dtype;

    @Option(names = "--dtypes", arity = "0..1", fallbackValue = MemoryService.DEFAULT_TABLE, description = "Print the "
            + "precision table for these formats (comma-separated; without a value: a standard list).")
    String dtypes;

    @Option(names = "--budget", description = "A memory budget (24GB, 80GiB) or a device id: print the largest context "
            + "and batch that fit.")
    String budget;

    @Mixin
    InferenceFlags inference;

    @Option(names = "--train", description = "Estimate training instead of inference.")
    boolean train;

    @Option(names = "--optimizer", description = "adamw (default), adam8bit, sgd, adafactor.")
    String optimizer;

    @Option(names = "--recipe", description = "bf16, mixed (fp32 master + bf16 autocast; default), fp16-mixed, fp32.")
    String recipe;

    @Option(names = "--checkpointing", description = "Gradient checkpointing per layer.")
    boolean checkpointing;

    @Option(names = "--zero", description = "ZeRO stage 0-3 (3 = FSDP full shard).")
    String zero;

    @Option(names = "--gpus", description = "GPUs the ZeRO/FSDP states are sharded over.")
    String gpus;

    @Option(names = "--offload", description = "Offload optimizer states to CPU memory.")
    boolean offload;

    @Option(names = "--lora", description = "LoRA rank (0: full fine-tuning).")
    String lora;

    @Option(names = "--qlora", description = "LoRA over an NF4 base (QLoRA); needs --lora.")
    boolean qlora;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> o = new HashMap<>();
        o.put("dtype", dtype);
        o.put("dtypes", dtypes);
        o.put("budget", budget);
        inference.putInto(o);
        if (train) {
            o.put("train", true);
        }
        o.put("optimizer", optimizer);
        o.put("recipe", recipe);
        if (checkpointing) {
            o.put("checkpointing", true);
        }
        o.put("zero", zero);
        o.put("gpus", gpus);
        if (offload) {
            o.put("offload", true);
        }
        o.put("lora", lora);
        if (qlora) {
            o.put("qlora", true);
        }
        return output.print(MemoryService.run(Models.resolve(model), Options.of(o).withDevices(Heft.devices(root))));
    }
}
