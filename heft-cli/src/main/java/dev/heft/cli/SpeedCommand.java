package dev.heft.cli;

import dev.heft.core.service.Options;
import dev.heft.core.service.SpeedService;
import java.util.HashMap;
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

    @Option(names = "--prompt", description = "Prompt tokens for prefill and time to first token (default: --context).")
    String prompt;

    @Option(names = "--host", description = "Host memory for layers offloaded by llama.cpp: a CPU device id "
            + "(default cpu-ddr5's bandwidth).")
    String host;

    @Mixin
    InferenceFlags inference;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> o = new HashMap<>();
        o.put("device", device);
        o.put("dtype", dtype);
        o.put("prompt", prompt);
        o.put("host", host);
        inference.putInto(o);
        return output.print(SpeedService.run(Models.resolve(model), Options.of(o)));
    }
}
