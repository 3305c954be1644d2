package dev.heft.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code heft} command: how heavy a neural network is, and what that weight costs. */
@Command(name = "heft",
        mixinStandardHelpOptions = true,
        versionProvider = Heft.Version.class,
        description = {"How heavy a neural network is, and what that weight costs.", ""},
        footer = {"", "MODEL is a model file, a directory of weights, a config.json, a catalog name, hf://OWNER/NAME, "
                + "an https:// URL of a weight file, or ollama://NAME[:TAG].",
                "Run 'heft COMMAND --help' for a command's options."})
public final class Heft implements Runnable {
    /**
     * The subcommands in the order help lists them. They are registered in code, not in {@code @Command(subcommands)},
     * so that a run of one command builds only that command's model: picocli reflects over every registered command's
     * annotations at start-up, which cost about as much CPU as reading a 191-shard checkpoint (bench/RESULTS.md).
     */
    static final List<String> COMMANDS = List.of("inspect", "estimate", "memory", "fit", "speed", "compress",
            "quant-error", "compare", "catalog", "models", "devices", "serve", "help");

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
        System.exit(newCommandLine(args).execute(args));
    }

    /** The configured command line with every subcommand: tests use this with their own writers. */
    public static CommandLine newCommandLine() {
        return configure(new CommandLine(new Heft()), COMMANDS);
    }

    /**
     * The command line for these arguments: when they name a subcommand (the first argument that is neither an option
     * nor the value of {@code --devices-file}), only that subcommand is registered; otherwise (no command,
     * {@code help}, a typo picocli should answer with suggestions) all of them are.
     */
    public static CommandLine newCommandLine(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--devices-file")) {
                i++; // the root option's value, not a command
            } else if (!a.startsWith("-")) {
                return configure(new CommandLine(new Heft()),
                        !a.equals("help") && COMMANDS.contains(a) ? List.of(a) : COMMANDS);
            }
        }
        return newCommandLine();
    }

    /** Adds the named subcommands, then applies settings (picocli's setters reach only subcommands already added). */
    private static CommandLine configure(CommandLine cl, List<String> commands) {
        for (String name : commands) {
            cl.addSubcommand(command(name));
        }
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    /** A new instance of the subcommand called {@code name} (one of {@link #COMMANDS}). */
    static Object command(String name) {
        return switch (name) {
            case "inspect" -> new InspectCommand();
            case "estimate" -> new EstimateCommand();
            case "memory" -> new MemoryCommand();
            case "fit" -> new FitCommand();
            case "speed" -> new SpeedCommand();
            case "compress" -> new CompressCommand();
            case "quant-error" -> new QuantErrorCommand();
            case "compare" -> new CompareCommand();
            case "catalog" -> new CatalogCommand();
            case "models" -> new ModelsCommand();
            case "devices" -> new DevicesCommand();
            case "serve" -> new ServeCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no heft command '" + name + "'");
        };
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Heft.class.getPackage().getImplementationVersion();
            return new String[] {"heft " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
