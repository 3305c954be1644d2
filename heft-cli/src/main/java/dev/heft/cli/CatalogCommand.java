package dev.heft.cli;

import dev.heft.core.service.CatalogService;
import dev.heft.core.service.Options;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "catalog", description = {"The built-in models: published configs, counted by the engine (no stored "
        + "totals). Use the ids as MODEL in any command."})
final class CatalogCommand implements Callable<Integer> {
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        return output.print(CatalogService.run(Options.empty()));
    }
}
