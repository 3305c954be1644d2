package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Java library" program compiles and runs exactly as written. */
class JavaLibraryReadmeTest {
    @Test
    void theReadmeProgramCompilesAndRuns(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Java library");
        assertThat(section).as("README has a 'Java library' section").isNotNegative();
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find(section)).as("a java block in the section").isTrue();
        String source = block.group(1);
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(cls.find()).isTrue();
        Path file = tmp.resolve(cls.group(1) + ".java");
        Files.writeString(file, source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(
                null,
                diagnostics,
                diagnostics,
                "-d",
                tmp.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                file.toString());
        assertThat(rc).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {tmp.toUri().toURL()}, JavaLibraryReadmeTest.class.getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            loader.loadClass(cls.group(1)).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.getFirst()).startsWith("llama-3-8b at Q4_K_M needs ").endsWith(" bytes at context 4096");
        // Llama-3-8B in bf16 needs about 16.5 GiB at 4k tokens: not on a 12 GB RTX 3060, at Q4_K_M it does fit.
        assertThat(lines.subList(1, lines.size()))
                .containsExactly(
                        "rtx-3060 bf16: does not fit",
                        "rtx-3060 Q4_K_M: fits",
                        "h100-sxm bf16: fits",
                        "h100-sxm Q4_K_M: fits");
    }
}
