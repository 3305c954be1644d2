package dev.heft.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.testing.HostileCase;
import dev.heft.core.testing.HostileCorpus;
import dev.heft.core.testing.HostileCorpusRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory bound by input, not by declared sizes: the whole hostile corpus (2^63 counts, shapes whose element count
 * overflows, header lengths past the end of the file, 4 GiB string lengths, zip entries claiming a terabyte, pickle
 * bombs, HDF5 datasets of 2^62 never-written elements, GGUF arrays of 2^40 strings, flatbuffer vectors past the end) is
 * read in a JVM whose heap is 64 MiB. Every input must end with its typed error, or be read; an OutOfMemoryError in
 * the child (or any other untyped throwable) fails the test with the case named.
 */
class BoundedMemoryTest {
    @TempDir
    Path root;

    @Test
    void theHostileCorpusIsAnsweredInA64MiBHeap() throws IOException, InterruptedException {
        Map<HostileCase, Path> corpus = HostileCorpus.writeAll(root);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                HostileCorpusRunner.class.getName()));
        corpus.values().forEach(p -> command.add(p.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS))
                .as("the child finished")
                .isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        for (Map.Entry<HostileCase, Path> e : corpus.entrySet()) {
            String line = out.lines()
                    .filter(l -> l.contains(" " + e.getValue() + " ") || l.endsWith(" " + e.getValue()))
                    .findFirst()
                    .orElse("(no answer)");
            String expected = e.getKey().expected() == HostileCase.Expected.READ ? "OK " : "TYPED ";
            assertThat(line).as(e.getKey().id() + ": " + e.getKey().claim()).startsWith(expected);
        }
    }
}
