package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command answers --help; reports print as text, JSON, Markdown and CSV; errors follow the chosen format. */
class HelpAndFormatsTest {
    static java.util.List<String> commands() {
        return HeftCli.COMMANDS.stream().filter(c -> !c.equals("help")).toList();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersHelpWithItsOptionsAndDefaults(String command) {
        CliTestSupport.Result r = CliTestSupport.run(command, "--help");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("Usage: heft " + command)
                .contains("--help")
                .doesNotContain("${");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void helpShowsDefaultsAndCandidatesFromTheEngine() {
        // Help wraps lines at the terminal's width; compare with the whitespace folded.
        String help = CliTestSupport.run("memory", "--help").out().replaceAll("\\s+", " ");
        assertThat(help)
                .contains("--context=TOKENS")
                .contains("(default: 4096, or the model's limit when that is shorter)")
                .contains("auto, pytorch, vllm, llama.cpp, llama.cpp-cpu, none");
    }

    @Test
    void markdownAndCsvCarryTheSameTables() {
        CliTestSupport.Result md = CliTestSupport.run(
                "fit", "llama-3-8b", "--devices", "h200,rtx-4090", "--dtypes", "bf16", "--format", "md");
        assertThat(md.exitCode()).as(md.err()).isZero();
        assertThat(md.out())
                .contains("| device | dtype | runtime | fits |")
                .contains("| h200 | bf16 (as published) | pytorch | yes |");
        CliTestSupport.Result csv = CliTestSupport.run(
                "fit", "llama-3-8b", "--devices", "h200,rtx-4090", "--dtypes", "bf16", "--format", "csv");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        // Exact bytes in CSV, where the text shows "16.49 GiB".
        assertThat(csv.out())
                .contains("device,dtype,runtime,fits,needs,usable")
                .containsPattern("h200,bf16 \\(as published\\),pytorch,yes,\\d{11},");
    }

    @Test
    void errorsAreJsonWhenJsonWasAsked() {
        CliTestSupport.Result r = CliTestSupport.run("estimate", "lama-3-8b", "--json");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        JsonValue.JsonObject e = Json.parse(r.err().strip()).asObject("error");
        assertThat(e.getString("error", "")).contains("did you mean 'llama-3-8b'");
        assertThat(e.getLong("exit_code", 0)).isEqualTo(1);
        CliTestSupport.Result usage = CliTestSupport.run("memory", "llama-3-8b", "--batch", "zero", "--json");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(Json.parse(usage.err().strip()).asObject("error").getString("error", ""))
                .contains("--batch")
                .contains("'zero'");
    }

    @Test
    void trainingOptionsWithoutTrainAreRefusedNotIgnored() {
        CliTestSupport.Result r = CliTestSupport.run("memory", "llama-3-8b", "--lora", "16");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("heft: --lora applies to training: add --train\n");
    }

    @Test
    void completionScriptCoversEveryCommand() {
        CliTestSupport.Result r = CliTestSupport.run("completion");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("complete -F").contains("quant-error").contains("--kv-dtype");
    }
}
