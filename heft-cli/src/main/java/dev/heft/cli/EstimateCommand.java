package dev.heft.cli;

import dev.heft.core.service.EstimateService;
import dev.heft.core.service.Options;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "estimate", description = {"Exact parameter counts and FLOPs from an architecture: a config.json, a "
        + "catalog name, or the config beside a model file. Parameters do not depend on the context; the KV cache "
        + "grows linearly with it and attention FLOPs quadratically."})
final class EstimateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "A config.json, a catalog name, or a model directory with a "
            + "config.json.")
    String model;

    @Option(names = "--context", description = "Context length(s): 4096 (default), or a list such as 1k,8k,128k for a "
            + "scaling table.")
    String context;

    @Option(names = "--input", description = "Input shape N,C,H,W for torch.nn networks (default 1,3,224,224; 299 for "
            + "inception_v3).")
    String input;

    @Option(names = "--macs", description = "Also print multiply-accumulates (FLOPs / 2).")
    boolean macs;

    @Option(names = "--tensors", description = "List every weight as transformers names it (Llama-style families).")
    boolean tensors;

    @Option(names = "--layers", description = "torch.nn networks: a torchinfo-style table, one row per module call "
            + "(output shape, parameters, FLOPs, activation bytes).")
    boolean layers;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> o = new HashMap<>();
        o.put("context", context);
        o.put("input", input);
        if (macs) {
            o.put("macs", true);
        }
        if (tensors) {
            o.put("tensors", true);
        }
        if (layers) {
            o.put("layers", true);
        }
        return output.print(EstimateService.run(Models.resolve(model), Options.of(o)));
    }
}
