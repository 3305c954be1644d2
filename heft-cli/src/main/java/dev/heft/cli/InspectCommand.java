package dev.heft.cli;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.report.InspectJson;
import dev.heft.core.report.InspectReport;
import dev.heft.core.report.InspectText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect",
        description = {"Exact weight accounting of a model file: parameters, bytes, dtypes, and where the "
                + "parameters sit (embeddings, attention, MLP, experts, norms, ...). Reads headers only."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "A model file (safetensors, GGUF, ...) or a directory of weights.")
    String model;

    @Option(names = "--tensors", description = "List every tensor.")
    boolean tensors;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        ResolvedModel resolved = new ModelResolver().resolve(model);
        if (!(resolved instanceof ResolvedModel.Stored stored)) {
            throw new InvalidInputException("'" + model + "' is an architecture description, not a file: use "
                    + "'heft estimate " + model + "'");
        }
        InspectReport report = InspectReport.of(stored.inventory());
        if (output.json) {
            output.out().println(JsonWriter.write(InspectJson.toMap(report, tensors)));
        } else {
            output.out().print(InspectText.render(report, tensors));
        }
        output.out().flush();
        return 0;
    }
}
