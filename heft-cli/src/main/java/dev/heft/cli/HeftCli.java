package dev.heft.cli;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Operation;
import dev.heft.core.api.Operations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code heft} command line. Every command but {@code serve}, {@code completion} and {@code help} is generated from
 * an {@link Operation} of heft-core (its options, defaults, completion candidates and help text), so the CLI, the
 * HTTP API and the OpenAPI document describe the same options.
 */
public final class HeftCli {
    /** picocli's switch for its Groovy closure support ({@code CommandLine.DefaultFactory}). */
    static final String NO_GROOVY_CLOSURES = "picocli.disable.closures";

    /** The commands in the order help lists them. */
    static final List<String> COMMANDS;

    static {
        // picocli's DefaultFactory, initialised with picocli's first class, looks up Groovy's Closure class unless told
        // not to. heft has no Groovy: the lookup failed on every command, after opening heft.jar again through the
        // class path (the AOT cache serves every class heft loads, so nothing else opens it) and throwing a
        // ClassNotFoundException, 2-5 ms of every command's start (-Xlog:class+init, issue 12). Set before any
        // picocli class is touched.
        if (System.getProperty(NO_GROOVY_CLOSURES) == null) {
            System.setProperty(NO_GROOVY_CLOSURES, "true");
        }
        List<String> names = new ArrayList<>();
        Operations.ALL.forEach(o -> names.add(o.name()));
        names.addAll(List.of("serve", "completion", "help"));
        COMMANDS = List.copyOf(names);
    }

    private HeftCli() {}

    public static void main(String[] args) throws IOException {
        // The launcher's AOT training run starts the jar exactly as a user's command does (java ... -jar heft.jar), so
        // that the JDK launcher's own start-up path (its manifest handling spins two lambdas) is archived too; with
        // -cp ... CdsTraining every run spun them again.
        if (Boolean.getBoolean(CdsTraining.PROPERTY)) {
            CdsTraining.main(args);
            return;
        }
        if (args.length > 0 && "quant-error".equals(args[0])) {
            // Links the Vector API's call sites on the second core while this thread parses the command and the
            // model's header (quant-error's JVM cannot use archived lambdas; bench/RESULTS-quant.md, session 6).
            Heft.prepareQuantError();
        }
        int code;
        try {
            code = newCommandLine(args).execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // Errors pass through picocli's handlers. Readers bound what a file can make heft allocate, so this is a
            // bug or a machine short of memory: one line either way, never a JVM stack trace.
            System.err.println(
                    "heft: internal error: " + (e instanceof OutOfMemoryError ? "out of memory" : "stack overflow")
                            + " (please report it with the model that caused it)");
            code = ErrorHandler.INTERNAL_ERROR;
        }
        // On success main just returns: every thread heft starts is a daemon, so the JVM ends here with status 0.
        // System.exit would also do, but since JDK 21 Runtime.exit first looks up a System.Logger to log the exit
        // (JDK-8301627), which loads and initialises the logging framework: about 20 ms of CPU on every run.
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * {@code -h/--help} and {@code -V/--version} as picocli's {@code mixinStandardHelpOptions} declares them, built
     * through the programmatic API: the mixin is an annotated class that picocli reflects over (annotation proxies,
     * method scans) on every run, for two options.
     */
    static void addStandardHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("Show this help message and exit.")
                .build());
        spec.addOption(OptionSpec.builder("-V", "--version")
                .versionHelp(true)
                .description("Print version information and exit.")
                .build());
    }

    /** The command line with every command: help and tests use this. */
    public static CommandLine newCommandLine() {
        return configure(root(), COMMANDS);
    }

    /**
     * The command line for these arguments: when they name a command (the first argument that is neither an option
     * nor the value of {@code --devices-file}), only that command is built, since a run needs no other; otherwise (no
     * command, {@code help}, a typo picocli answers with suggestions) all of them are.
     */
    public static CommandLine newCommandLine(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--devices-file")) {
                i++; // the root option's value, not a command
            } else if (!a.startsWith("-")) {
                return configure(root(), !a.equals("help") && COMMANDS.contains(a) ? List.of(a) : COMMANDS);
            }
        }
        return newCommandLine();
    }

    /** The root command: its own help, version and the options every command inherits. */
    private static CommandSpec root() {
        CommandSpec spec = CommandSpec.wrapWithoutInspection((Runnable) () -> {});
        spec.name("heft").versionProvider(HeftCli::version);
        addStandardHelpOptions(spec);
        spec.usageMessage()
                .description("How heavy a neural network is, and what that weight costs.", "")
                .footer(
                        "",
                        "MODEL is a model file, a directory of weights, a config.json, a layer spec, a catalog "
                                + "name, hf://OWNER/NAME (the HF cache, else the Hub over HTTP), an https:// weight file, or "
                                + "ollama://NAME[:TAG].",
                        "Run 'heft COMMAND --help' for a command's options.");
        spec.addOption(OptionSpec.builder(Options.DEBUG)
                .scopeType(ScopeType.INHERIT)
                .arity("0")
                .type(boolean.class)
                .description("Print stack traces for errors.")
                .build());
        spec.addOption(OptionSpec.builder(Options.DEVICES_FILE)
                .scopeType(ScopeType.INHERIT)
                .paramLabel("FILE")
                .type(java.nio.file.Path.class)
                .description("A JSON file of extra devices ({\"devices\": [...]}, as in "
                        + "'heft devices --json'), usable by id in every command.")
                .build());
        spec.addOption(OptionSpec.builder(Options.OFFLINE)
                .scopeType(ScopeType.INHERIT)
                .arity("0")
                .type(boolean.class)
                .description("Never open a network connection, as HF_HUB_OFFLINE=1 (Hub repos in the HF cache still "
                        + "open).")
                .build());
        spec.addOption(OptionSpec.builder(Options.HEADER_CACHE)
                .scopeType(ScopeType.INHERIT)
                .arity("0")
                .type(boolean.class)
                .description("Keep the headers fetched over HTTP under heft's cache folder "
                        + "(HEFT_CACHE_DIR, default ~/.cache/heft), as HEFT_HEADER_CACHE=1, so a second run is one "
                        + "listing request; 'heft models --clear-header-cache' empties it.")
                .build());
        return spec;
    }

    private static String[] version() {
        String v = HeftCli.class.getPackage().getImplementationVersion();
        return new String[] {"heft " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }

    /** Adds the named commands, then applies settings (picocli's setters reach only commands already added). */
    private static CommandLine configure(CommandSpec rootSpec, List<String> commands) {
        CommandLine root = new CommandLine(rootSpec);
        for (String name : commands) {
            root.addSubcommand(name, command(name));
        }
        root.setExecutionExceptionHandler(new ErrorHandler());
        root.setParameterExceptionHandler(new ErrorHandler());
        // JVM errors in a command, as one line (or one JSON object) like every other failure, also in-process.
        root.setExecutionStrategy(ErrorHandler.guard(root.getExecutionStrategy()));
        root.setCaseInsensitiveEnumValuesAllowed(true);
        root.setUsageHelpAutoWidth(true);
        return root;
    }

    /** A new instance of the command called {@code name} (one of {@link #COMMANDS}). */
    static Object command(String name) {
        Optional<Operation<?>> op = Operations.named(name);
        if (op.isPresent()) {
            return OperationCommand.spec(op.get());
        }
        return switch (name) {
            case "serve" -> new ServeCommand();
            case "completion" -> new CompletionCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no heft command '" + name + "'");
        };
    }

    /** {@code heft completion}: the bash/zsh completion script, generated from the commands themselves. */
    @CommandLine.Command(
            name = "completion",
            mixinStandardHelpOptions = true,
            description = {
                "Print the bash/zsh "
                        + "completion script: source <(heft completion), or save it to /etc/bash_completion.d/heft."
            })
    static final class CompletionCommand implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            // Completion covers every command, so build them all (this run registered only 'completion').
            String script = AutoComplete.bash("heft", newCommandLine());
            spec.commandLine().getOut().print(script);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
