package dev.heft.cli;

import dev.heft.core.service.InspectService;
import dev.heft.core.service.Options;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect",
        description = {"Exact weight accounting of a model file: parameters, bytes, dtypes, and where the "
                + "parameters sit (embeddings, attention, MLP, experts, norms, ...). Reads headers only."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "A model file (safetensors, GGUF, ONNX, ...) or a directory of "
            + "weights.")
    String model;

    @Option(names = "--tensors", description = "List every tensor.")
    boolean tensors;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> o = new HashMap<>();
        if (tensors) {
            o.put("tensors", true);
        }
        return output.print(InspectService.run(Models.resolve(model), Options.of(o)));
    }
}
