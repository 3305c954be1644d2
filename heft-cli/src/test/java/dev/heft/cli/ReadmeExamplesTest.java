package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code $ ./heft ...} example in the README runs as shown: each {@code <!-- run: CMD -->} block is run in the
 * repository root, the way a reader types it, and must print what the README says it prints ({@code | head -N} and
 * {@code | tail -N} as in the shell). When output changes on purpose, {@code python3 scripts/update-readme.py}
 * refreshes the blocks.
 */
class ReadmeExamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK =
            Pattern.compile("<!-- run: (.+?) -->\\n```text\\n\\$ (.+?)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PIPE = Pattern.compile("^(.*?)(?: \\| (head|tail) -(\\d+))?$");

    record Example(String command, String expected) {
        @Override
        public String toString() {
            return command;
        }
    }

    static Stream<Example> examples() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<Example> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            // The block shows the command it runs; a '| head -N' is shown as a closing '...' line instead.
            assertThat(m.group(2)).isEqualTo(m.group(1).replaceFirst(" \\| head -\\d+$", ""));
            out.add(new Example(m.group(1), m.group(3)));
        }
        assertThat(out).as("README examples").hasSizeGreaterThan(10);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void runsAsShown(Example example) throws Exception {
        Matcher pipe = PIPE.matcher(example.command());
        assertThat(pipe.matches()).isTrue();
        List<String> args = new ArrayList<>(Arrays.asList(pipe.group(1).trim().split(" +")));
        assertThat(args.removeFirst()).as("an example runs ./heft").isEqualTo("./heft");
        String out = run(args);
        List<String> lines = new ArrayList<>(out.lines().toList());
        if (pipe.group(2) != null) {
            int n = Integer.parseInt(pipe.group(3));
            if (pipe.group(2).equals("head") && lines.size() > n) {
                lines = new ArrayList<>(lines.subList(0, n));
                lines.add("...");
            } else if (pipe.group(2).equals("tail") && lines.size() > n) {
                lines = new ArrayList<>(lines.subList(lines.size() - n, lines.size()));
            }
        }
        assertThat(String.join("\n", lines) + "\n").isEqualTo(example.expected());
    }

    /**
     * The CLI in a JVM of its own, started in the repository root so relative paths mean what they mean to a reader,
     * with the launcher's module flags: quant-error gets the Vector API, and the launcher drops the JVM's warning line
     * about it.
     */
    private static String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        if (args.getFirst().equals("quant-error")) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HeftCli.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.equals("WARNING: Using incubator modules: jdk.incubator.vector"))
                .map(l -> l + "\n")
                .reduce("", String::concat);
    }
}
