package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.render.Printable;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.testing.HostileCase;
import dev.heft.core.testing.HostileCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No stack traces anywhere (issue 16, item 6): every command that takes a MODEL, run on every fixture the real
 * libraries wrote and on every hostile input of {@link HostileCorpus}, ends in a typed outcome: exit 0, or exit 1
 * (bad input) or 2 (usage) with exactly one line on stderr; never 70 ("internal error"), never a stack trace, and
 * nothing on stdout or stderr that a terminal would act on. Adding a command to {@link HeftCli#COMMANDS} or a case to the
 * corpus extends this test.
 */
class NoStackTracesTest {
    /** Commands that take one MODEL argument (compare takes two: it gets the same one twice). */
    static final List<String> MODEL_COMMANDS =
            List.of("inspect", "estimate", "memory", "fit", "speed", "compress", "quant-error", "compare");

    @TempDir
    static Path corpusRoot;
    /** The written inputs by case id. */
    static final Map<String, Path> corpus = new java.util.HashMap<>();

    @BeforeAll
    static void writeCorpus() throws IOException {
        HostileCorpus.writeAll(corpusRoot).forEach((c, p) -> corpus.put(c.id(), p));
    }

    @Test
    void everyModelCommandIsCovered() {
        assertThat(MODEL_COMMANDS).allMatch(HeftCli.COMMANDS::contains);
        assertThat(HeftCli.COMMANDS)
                .filteredOn(c -> !MODEL_COMMANDS.contains(c))
                .containsExactlyInAnyOrder("catalog", "models", "devices", "serve", "completion", "help");
    }

    /** Every file and model folder under ../shared/fixtures, and the bundled example. */
    static Stream<Path> fixtures() throws IOException {
        List<Path> inputs = new ArrayList<>();
        Path fixtures = CliTestSupport.shared().resolve("fixtures");
        try (Stream<Path> walk = Files.walk(fixtures, 3)) {
            walk.filter(p -> !p.equals(fixtures))
                    .filter(p -> !p.getFileName().toString().endsWith(".md")
                            && !p.getFileName().toString().endsWith(".py")
                            && !p.toString().contains("/tools")
                            && !p.getFileName().toString().endsWith(".txt"))
                    .sorted()
                    .forEach(inputs::add);
        }
        inputs.add(Path.of("..", "examples", "tiny-llama-Q4_K_M.gguf")
                .toAbsolutePath()
                .normalize());
        return inputs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixturesGiveTypedOutcomes(Path input) {
        assertTypedOutcomes(input.toString(), null, true);
    }

    static Stream<HostileCase> hostile() {
        return HostileCorpus.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileInputsGiveTypedOutcomes(HostileCase c) {
        Path input = corpus.get(c.id());
        // A refused input fails where the model is read, the same for --json and tables: once per command is enough
        // (the pickle bombs take seconds each); a read one is rendered both ways.
        assertTypedOutcomes(input.toString(), c, c.expected() == HostileCase.Expected.READ);
        if (c.expected() == HostileCase.Expected.REFUSED) {
            CliTestSupport.Result r = CliTestSupport.run("inspect", input.toString());
            assertThat(r.exitCode()).as(c.claim() + ": " + r.err()).isEqualTo(ErrorHandler.INPUT_ERROR);
        } else {
            CliTestSupport.Result r = CliTestSupport.run("inspect", "--tensors", input.toString());
            assertThat(r.exitCode()).as(c.claim() + ": " + r.err()).isZero();
            if (c.id().endsWith("control-names")) {
                assertThat(r.out())
                        .as("names printed escaped")
                        .contains("\\x1b]0;pwned\\x07")
                        .contains("\\nheft: fake");
            }
        }
    }

    @Test
    void commandsWithoutAModelToo() {
        for (String[] args : List.of(
                new String[] {"catalog"},
                new String[] {"devices"},
                new String[] {"catalog", "--json"},
                new String[] {"devices", "--json"},
                new String[] {"nope"},
                new String[] {})) {
            CliTestSupport.Result r = CliTestSupport.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isIn(0, 2);
            assertThat(r.err()).doesNotContain("\tat ");
        }
    }

    private static void assertTypedOutcomes(String input, HostileCase c, boolean bothRenderings) {
        SoftAssertions soft = new SoftAssertions();
        for (String command : MODEL_COMMANDS) {
            for (boolean json : bothRenderings ? new boolean[] {false, true} : new boolean[] {false}) {
                List<String> args = new ArrayList<>(List.of(command, input));
                if (command.equals("compare")) {
                    args.add(input);
                }
                if (command.equals("speed")) {
                    args.addAll(List.of("--device", "h100-sxm")); // required: without it, a usage error
                }
                if (json) {
                    args.add("--json");
                }
                CliTestSupport.Result r = CliTestSupport.run(args.toArray(String[]::new));
                String what = String.join(" ", args) + (c == null ? "" : " (" + c.claim() + ")");
                soft.assertThat(r.exitCode()).as(what + "\n" + r.err()).isIn(0, 1, 2);
                soft.assertThat(r.err()).as(what).doesNotContain("\tat ").doesNotContain("internal error");
                if (r.exitCode() == ErrorHandler.INPUT_ERROR) {
                    soft.assertThat(r.err().lines().toList())
                            .as(what + ": one line on stderr")
                            .hasSize(1);
                    if (json) {
                        // --json errors are one JSON object on stderr (ErrorHandler), as scripts parse them
                        JsonValue.JsonObject error = Json.parse(r.err().strip()).asObject("stderr");
                        soft.assertThat(error.getString("error", "")).as(what).isNotBlank();
                        soft.assertThat(error.getLong("exit_code", -1)).as(what).isEqualTo(r.exitCode());
                    } else {
                        soft.assertThat(r.err()).as(what).startsWith("heft: ");
                    }
                }
                for (String line : (r.out() + r.err()).lines().toList()) {
                    soft.assertThat(Printable.isSafe(line))
                            .as(what + ": a line a terminal would act on: " + line)
                            .isTrue();
                    soft.assertThat(line).as(what).doesNotStartWith("heft: fake");
                }
            }
        }
        soft.assertAll();
    }
}
