package dev.heft.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Output flags every command shares; all output goes through the command's writer so tests can capture it. */
final class OutputOptions {
    @Option(names = "--json", description = "Print one JSON object (a stable, documented schema) instead of tables.")
    boolean json;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
