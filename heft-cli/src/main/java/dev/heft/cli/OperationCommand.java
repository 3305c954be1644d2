package dev.heft.cli;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.api.Operation;
import dev.heft.core.api.Param;
import dev.heft.core.api.ParamValues;
import dev.heft.core.api.Progress;
import dev.heft.core.api.render.Format;
import dev.heft.core.api.request.Choice;
import dev.heft.core.error.InvalidInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A heft-core {@link Operation} as a picocli command: each {@link Param} becomes an option with its real type, its
 * converter, default and completion candidates; the parsed values become the operation's request; the report is
 * printed as text, JSON, Markdown or CSV. Built through picocli's programmatic API, so no annotations are reflected
 * over at start-up.
 */
final class OperationCommand implements Callable<Integer> {
    private final Operation<?> operation;
    private final Map<Param<?>, OptionSpec> options = new IdentityHashMap<>();
    private CommandSpec spec;
    private PositionalParamSpec models;
    private OptionSpec json;
    private OptionSpec format;

    private OperationCommand(Operation<?> operation) {
        this.operation = operation;
    }

    static CommandSpec spec(Operation<?> op) {
        OperationCommand command = new OperationCommand(op);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        command.spec = spec;
        spec.name(op.name());
        HeftCli.addStandardHelpOptions(spec);
        spec.usageMessage().description(op.description()).headerHeading("").sortOptions(false);
        switch (op.models()) {
            case ONE ->
                command.models = PositionalParamSpec.builder()
                        .paramLabel("MODEL")
                        .arity("1")
                        .type(String.class)
                        .description("A model file or directory, a config.json, a layer spec, a "
                                + "catalog name, hf://OWNER/NAME[@REV][/PATH], an https:// weight file, or "
                                + "ollama://NAME[:TAG].")
                        .build();
            case TWO_OR_MORE ->
                command.models = PositionalParamSpec.builder()
                        .paramLabel("MODEL")
                        .arity("2..*")
                        .type(List.class)
                        .auxiliaryTypes(String.class)
                        .description("Two or more models (any kind MODEL takes).")
                        .build();
            case NONE -> command.models = null;
        }
        if (command.models != null) {
            spec.addPositional(command.models);
        }
        for (Param<?> p : op.params()) {
            OptionSpec o = option(p);
            command.options.put(p, o);
            spec.addOption(o);
        }
        command.json = OptionSpec.builder(Options.JSON)
                .arity("0")
                .type(boolean.class)
                .description("Print one JSON object (a stable, documented schema) instead of tables.")
                .build();
        command.format = OptionSpec.builder(Options.FORMAT)
                .paramLabel("FORMAT")
                .type(Format.class)
                .converters(s -> convert(null, () -> Format.parse(s)))
                .completionCandidates(Choice.ids(Format.class))
                .description(
                        "Output format: text (default), json, md (Markdown) or csv (the tables, " + "exact numbers).")
                .build();
        spec.addOption(command.json);
        spec.addOption(command.format);
        return spec;
    }

    /** The picocli option for one {@link Param}: same name, type, converter, default and candidates. */
    private static OptionSpec option(Param<?> p) {
        OptionSpec.Builder b = OptionSpec.builder("--" + p.name()).description(p.rawDescription());
        switch (p.kind()) {
            case FLAG -> b.arity("0").type(boolean.class);
            case VALUE ->
                b.type(p.elementType()).paramLabel(p.label()).converters(s -> convert(p, () -> p.convertElement(s)));
            case LIST ->
                b.type(List.class)
                        .auxiliaryTypes(p.elementType())
                        .paramLabel(p.label())
                        // The synopsis shows a plain comma, not the regex (--devices keeps custom:mem=24GB,bw=936
                        // whole).
                        .splitRegex(p.split().pattern())
                        .splitRegexSynopsisLabel(",")
                        .converters(s -> convert(p, () -> p.convertElement(s)));
        }
        p.defaultText().ifPresent(d -> {
            if (p.kind() != Param.Kind.FLAG) {
                b.defaultValue(d);
            }
        });
        p.fallbackText().ifPresent(f -> b.arity("0..1").fallbackValue(f));
        if (!p.candidates().isEmpty()) {
            b.completionCandidates(p.candidates());
        }
        if (p.isRequired()) {
            b.required(true);
        }
        return b.build();
    }

    /**
     * A heft-core conversion error as picocli's, so it is reported as a usage error; picocli names the option itself,
     * so the message loses its own {@code name:} prefix.
     */
    private static Object convert(Param<?> p, java.util.function.Supplier<Object> conversion) {
        try {
            return conversion.get();
        } catch (InvalidInputException e) {
            String m = e.getMessage();
            if (p != null && m.startsWith(p.name() + ": ")) {
                m = m.substring(p.name().length() + 2);
            }
            throw new CommandLine.TypeConversionException(m);
        }
    }

    @Override
    public Integer call() {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        Format f = outputFormat(pr);
        // Made first: opening a remote model (hf://, https://) fetches headers and reports its progress too.
        ProgressLine progress = ProgressLine.forTerminal(f);
        // On the command line 'local' names this machine (detected only when a command asks for it).
        Heft.Builder builder = Heft.builder().localDevice();
        devicesFile().ifPresent(builder::devicesFile);
        if (globalFlag(Options.OFFLINE)) {
            builder.offline(true);
        }
        if (globalFlag(Options.HEADER_CACHE)) {
            builder.headerCache(true);
        }
        if (progress != null) {
            builder.progress(progress);
        }
        Heft heft = builder.build();
        Operation.Result result;
        try {
            List<Model> opened = new ArrayList<>();
            if (models != null) {
                Object value = models.getValue();
                List<?> names = value instanceof List<?> list ? list : List.of(value);
                for (Object name : names) {
                    opened.add(heft.open((String) name));
                }
            }
            Map<Param<?>, Object> given = new IdentityHashMap<>();
            options.forEach((p, o) -> {
                if (pr.hasMatchedOption(o)) {
                    given.put(p, o.getValue());
                }
            });
            ParamValues values = ParamValues.of(operation.params(), given);
            result = operation.run(heft, opened, values, progress == null ? Progress.NONE : progress);
        } finally {
            // Also when opening failed: an error must not be printed after a half-drawn progress line.
            if (progress != null) {
                progress.finish();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(result.render(f));
        out.flush();
        return 0;
    }

    /** {@code --devices-file}, given before the command ({@code heft --devices-file F fit}) or after it. */
    private java.util.Optional<Path> devicesFile() {
        for (CommandLine cl = spec.commandLine(); cl != null; cl = cl.getParent()) {
            CommandLine.ParseResult pr = cl.getParseResult();
            if (pr != null && pr.hasMatchedOption(Options.DEVICES_FILE)) {
                return java.util.Optional.of(pr.matchedOptionValue(Options.DEVICES_FILE, (Path) null));
            }
        }
        return java.util.Optional.empty();
    }

    /** A flag the CLI adds to every command ({@code --offline}), given on this command or before it. */
    private boolean globalFlag(String name) {
        for (CommandLine cl = spec.commandLine(); cl != null; cl = cl.getParent()) {
            CommandLine.ParseResult pr = cl.getParseResult();
            if (pr != null && pr.hasMatchedOption(name) && Boolean.TRUE.equals(pr.matchedOptionValue(name, false))) {
                return true;
            }
        }
        return false;
    }

    /** {@code --json} wins over {@code --format}; text by default. */
    static Format outputFormat(CommandLine.ParseResult pr) {
        if (pr.hasMatchedOption(Options.JSON) && Boolean.TRUE.equals(pr.matchedOptionValue(Options.JSON, false))) {
            return Format.JSON;
        }
        return pr.hasMatchedOption(Options.FORMAT) ? pr.matchedOptionValue(Options.FORMAT, Format.TEXT) : Format.TEXT;
    }
}
