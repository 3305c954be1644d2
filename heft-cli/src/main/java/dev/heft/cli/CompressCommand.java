package dev.heft.cli;

import dev.heft.core.service.CompressService;
import dev.heft.core.service.Options;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compress", description = {"What quantization, pruning and distillation buy: parameters, bytes, bits "
        + "per weight and memory before and after, and the devices the model newly fits."})
final class CompressCommand implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    Heft root;

    @Parameters(paramLabel = "MODEL", description = "A model file or directory, a config.json, or a catalog name.")
    String model;

    @Option(names = "--quant", description = "Q4_K_M, Q8_0, int4-g128, gptq-4bit-g128, awq, nf4, fp8, mxfp4, ...")
    String quant;

    @Option(names = "--prune", description = "Unstructured: 50%% or 2:4. Structured: heads=N, channels=F, layers=N, "
            + "experts=N (a new architecture, counted by the engine).")
    String prune;

    @Option(names = "--sparse-format", description = "Storage of unstructured sparsity: dense, bitmask (default), csr, "
            + "coo, 2:4.")
    String sparseFormat;

    @Option(names = "--distill", description = "A student: layers=0.5,width=0.75 of the teacher, or a catalog id.")
    String distill;

    @Option(names = "--keep", description = "Tensors to keep out of --quant: embeddings,head=bf16 (groups: embeddings, "
            + "head, attention, mlp, experts, router, norms; default dtype bf16).")
    String keep;

    @Option(names = "--devices", description = "Devices to check fits on (default: a spread from H200 to a phone).")
    String devices;

    @Mixin
    InferenceFlags inference;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> o = new HashMap<>();
        o.put("quant", quant);
        o.put("prune", prune);
        o.put("sparse-format", sparseFormat);
        o.put("distill", distill);
        o.put("keep", keep);
        o.put("devices", devices);
        inference.putInto(o);
        return output.print(CompressService.run(Models.resolve(model), Options.of(o).withDevices(Heft.devices(root))));
    }
}
