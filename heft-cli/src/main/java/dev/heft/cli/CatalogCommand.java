package dev.heft.cli;

import dev.heft.core.service.CatalogService;
import dev.heft.core.service.Options;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "catalog", description = {"The built-in models: published configs, counted by the engine (no stored "
        + "totals). Use the ids as MODEL in any command."})
final class CatalogCommand implements Callable<Integer> {
    @Option(names = "--families", description = "List the Hugging Face model_types counted exactly, and how every "
            + "other one is approximated (with its measured error).")
    boolean families;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        return output.print(CatalogService.run(families ? Options.of(Map.of("families", true)) : Options.empty()));
    }
}
