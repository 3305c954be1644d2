package dev.heft.cli;

import dev.heft.core.model.ResolvedModel;
import dev.heft.core.service.CompareService;
import dev.heft.core.service.Options;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", description = {"Side-by-side columns for any MODEL arguments: a catalog model next to a file "
        + "on disk, a teacher next to a student."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", arity = "2..*", description = "Two or more models.")
    List<String> models;

    @Option(names = "--dtype", description = "Weight precision for every column (default: each as stored, bf16 for "
            + "descriptions).")
    String dtype;

    @Mixin
    InferenceFlags inference;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<ResolvedModel> resolved = new ArrayList<>();
        for (String m : models) {
            resolved.add(Models.resolve(m));
        }
        Map<String, Object> o = new HashMap<>();
        o.put("dtype", dtype);
        inference.putInto(o);
        return output.print(CompareService.run(resolved, Options.of(o)));
    }
}
