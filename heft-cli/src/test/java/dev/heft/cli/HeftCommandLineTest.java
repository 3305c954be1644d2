package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
