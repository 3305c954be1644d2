package dev.heft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code heft} command: how heavy a neural network is, and what that weight costs. */
@Command(name = "heft",
        mixinStandardHelpOptions = true,
        versionProvider = Heft.Version.class,
        description = {"How heavy a neural network is, and what that weight costs.", ""},
        subcommands = {InspectCommand.class, EstimateCommand.class, MemoryCommand.class, FitCommand.class,
                SpeedCommand.class, CompressCommand.class, QuantErrorCommand.class, CompareCommand.class,
                CatalogCommand.class,
                DevicesCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "MODEL is a model file, a directory of weights, a config.json, or a catalog name.",
                "Run 'heft COMMAND --help' for a command's options."})
public final class Heft implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces for errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Your own devices, shaped like the built-in catalog ({"devices": [...]}); usable by id in every command. */
    @Option(names = "--devices-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "A JSON file of extra devices ({\"devices\": [...]}, as in 'heft devices --json').")
    void devicesFile(java.nio.file.Path file) throws java.io.IOException {
        dev.heft.core.hardware.DeviceCatalog.addUserDevices(dev.heft.core.hardware.DeviceCatalog.fromFile(file));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line: tests use this with their own writers. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Heft());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Heft.class.getPackage().getImplementationVersion();
            return new String[] {"heft " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
