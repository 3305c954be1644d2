package dev.heft.cli;

import dev.heft.core.json.JsonWriter;
import dev.heft.core.service.Result;
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

    /** Prints a service result as JSON or text; --json output is the JSON object and nothing else. */
    int print(Result r) {
        PrintWriter out = out();
        if (json) {
            out.println(JsonWriter.write(r.json()));
        } else {
            out.print(r.text());
        }
        out.flush();
        return 0;
    }
}
