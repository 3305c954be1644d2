package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** Start-up builds only the subcommand a run names; help, no command or an unknown word get them all. */
class HeftCommandLineTest {
    @Test
    void everyCommandIsRegisteredInHelpOrder() {
        CommandLine all = HeftCli.newCommandLine();
        assertThat(List.copyOf(all.getSubcommands().keySet())).isEqualTo(HeftCli.COMMANDS);
        for (String name : HeftCli.COMMANDS) {
            // The switch in HeftCli.command and each class's @Command(name) must agree.
            assertThat(all.getSubcommands().get(name).getCommandName()).isEqualTo(name);
        }
    }

    /**
     * heft turns off picocli's Groovy closure lookup (a failed class lookup that opened the jar on every command) in
     * HeftCli's static initialiser, so before any picocli class initialises.
     */
    @Test
    void picocliIsToldThereIsNoGroovy() {
        HeftCli.newCommandLine("inspect", "x");
        assertThat(System.getProperty(HeftCli.NO_GROOVY_CLOSURES)).isEqualTo("true");
    }

    /**
     * heft leaves out picocli's java.sql and java.time converters (registered by reflection on every run), so no
     * option may take such a type through picocli's built-in converters: every option's types, in every command, are
     * outside the exclusion, or the option brings its own converter.
     */
    @Test
    void noOptionNeedsAnExcludedBuiltInConverter() {
        HeftCli.newCommandLine("inspect", "x");
        assertThat(System.getProperty(HeftCli.CONVERTER_EXCLUDES)).isEqualTo(HeftCli.UNUSED_CONVERTERS);
        assertThat("java.time.Duration").matches(HeftCli.UNUSED_CONVERTERS);
        assertThat("java.sql.Timestamp").matches(HeftCli.UNUSED_CONVERTERS);
        assertThat("java.nio.file.Path").doesNotMatch(HeftCli.UNUSED_CONVERTERS);
        List<CommandLine> commands = new ArrayList<>();
        commands.add(HeftCli.newCommandLine());
        commands.addAll(commands.getFirst().getSubcommands().values());
        int checked = 0;
        for (CommandLine cl : commands) {
            for (ArgSpec arg : cl.getCommandSpec().args()) {
                if (arg.converters().length > 0) {
                    continue;
                }
                List<Class<?>> types = new ArrayList<>(List.of(arg.auxiliaryTypes()));
                types.add(arg.type());
                for (Class<?> type : types) {
                    assertThat(type.getName())
                            .as("%s %s", cl.getCommandName(), arg)
                            .doesNotMatch(HeftCli.UNUSED_CONVERTERS);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(HeftCli.COMMANDS.size());
    }

    /** The one option of a type from picocli's reflective converters that heft keeps. */
    @Test
    void theDevicesFileIsStillAPath() {
        CommandLine cl = HeftCli.newCommandLine("--devices-file", "d.json", "inspect", "x");
        CommandLine.ParseResult parsed = cl.parseArgs("--devices-file", "d.json", "inspect", "x");
        Path devices = parsed.matchedOptionValue("--devices-file", null);
        assertThat(devices).isEqualTo(Path.of("d.json"));
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        for (String name : HeftCli.COMMANDS) {
            if (name.equals("help")) {
                continue;
            }
            CommandLine cl = HeftCli.newCommandLine("--debug", name, "--json", "x");
            assertThat(cl.getSubcommands().keySet()).containsExactly(name);
            // Root options marked INHERIT still reach a subcommand added in code.
            assertThat(cl.getSubcommands().get(name).getCommandSpec().findOption("--debug"))
                    .isNotNull();
        }
    }

    @Test
    void theValueOfDevicesFileIsNotTakenForTheCommand() {
        assertThat(HeftCli.newCommandLine("--devices-file", "fit", "inspect", "x")
                        .getSubcommands()
                        .keySet())
                .containsExactly("inspect");
    }

    @Test
    void helpNoCommandOrAnUnknownWordBuildEverything() {
        for (String[] args : List.of(
                new String[] {"help", "inspect"}, new String[] {"--help"}, new String[] {}, new String[] {"inspec", "x"
                })) {
            assertThat(List.copyOf(HeftCli.newCommandLine(args).getSubcommands().keySet()))
                    .isEqualTo(HeftCli.COMMANDS);
        }
    }
}
