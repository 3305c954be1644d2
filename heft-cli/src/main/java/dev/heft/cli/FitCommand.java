package dev.heft.cli;

import dev.heft.core.service.FitService;
import dev.heft.core.service.Options;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fit", description = {"Which devices run a model, at which precision: fits or not (with the "
        + "headroom), the longest context at batch 1, and estimated decode and prefill speed."})
final class FitCommand implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    Heft root;

    @Parameters(paramLabel = "MODEL", description = "A model file or directory, a config.json, or a catalog name.")
    String model;

    @Option(names = "--devices", description = "Comma-separated device ids; Nxid for tensor-parallel splits "
            + "(8xh100-sxm); custom:mem=..,bw=..,bf16=.. for your own. Default: a spread from H200 to a phone.")
    String devices;

    @Option(names = "--dtypes", description = "Precisions to try (default " + FitService.DEFAULT_DTYPES + ").")
    String dtypes;

    @Option(names = "--only-fitting", description = "Hide rows that do not fit.")
    boolean onlyFitting;

    @Mixin
    InferenceFlags inference;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> o = new HashMap<>();
        o.put("devices", devices);
        o.put("dtypes", dtypes);
        if (onlyFitting) {
            o.put("only-fitting", true);
        }
        inference.putInto(o);
        return output.print(FitService.run(Models.resolve(model), Options.of(o).withDevices(Heft.devices(root))));
    }
}
