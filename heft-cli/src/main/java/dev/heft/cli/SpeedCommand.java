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
    @picocli.CommandLine.ParentCommand
    Heft root;

    @Parameters(paramLabel = "MODEL", description = "A model file or directory, a config.json, or a catalog name.")
    String model;

    @Option(names = "--device", required = true, description = "Device id (see 'heft devices'), Nxid, or custom:...")
    String device;

    @Option(names = "--dtype", description = "Weight precision (default: as stored, bf16 for descriptions).")
    String dtype;

    @Option(names = "--prompt", description = "Prompt tokens for prefill and time to first token (default: --context).")
    String prompt;

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
        inference.putInto(o);
        return output.print(SpeedService.run(Models.resolve(model), Options.of(o).withDevices(Heft.devices(root))));
    }
}
