package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./heft} launcher script itself, run by bash in a copy of the repository's layout with a stand-in JDK (a
 * {@code java} script that logs its arguments and writes the AOT cache it is asked for) and a stand-in {@code mvn}
 * that logs the build and writes the jar. What it guarantees: a changed main source, resource or pom rebuilds the jar
 * (also a file added or removed, and hidden files), a test source does not; an up-to-date checkout builds nothing; the
 * AOT cache is trained after a build and is only ever used complete, a failed training is not retried until the jar
 * changes.
 */
class LauncherTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path root;

    private Path jar;
    private Path aot;

    @BeforeEach
    void layout() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")));
        Files.copy(REPO.resolve("heft"), root.resolve("heft"));
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(REPO.resolve("scripts/jdk.sh"), root.resolve("scripts/jdk.sh"));
        for (String module : List.of("heft-core", "heft-web", "heft-cli")) {
            write(module + "/src/main/java/dev/heft/A.java", "class A {}");
            write(module + "/src/main/resources/r.txt", "r");
            write(module + "/src/test/java/dev/heft/ATest.java", "class ATest {}");
            write(module + "/pom.xml", "<project/>");
        }
        write("pom.xml", "<project/>");
        // A stand-in JDK 25: the launcher reads its version from the release file.
        write("jdk/release", "JAVA_VERSION=\"25.0.3\"\n");
        script("jdk/bin/java", """
                #!/bin/bash
                echo "$*" >> "%s"
                for a in "$@"; do
                  case "$a" in
                    -XX:AOTCacheOutput=*)
                      [ -f "%s" ] && exit 1
                      echo cache > "${a#-XX:AOTCacheOutput=}" ;;
                  esac
                done
                exit 0
                """.formatted(root.resolve("java.log"), root.resolve("fail-training")));
        script("bin/mvn", """
                #!/bin/bash
                echo build >> "%s"
                mkdir -p heft-cli/target && echo jar > heft-cli/target/heft.jar
                """.formatted(root.resolve("mvn.log")));
        jar = root.resolve("heft-cli/target/heft.jar");
        aot = root.resolve("heft-cli/target/heft.aot");
    }

    @Test
    void aFreshCheckoutBuildsTrainsAndRunsFromTheCache() throws Exception {
        run();
        assertThat(builds()).isEqualTo(1);
        assertThat(aot).hasContent("cache");
        List<String> java = javaCalls();
        assertThat(java).hasSize(2);
        assertThat(java.get(0)).contains("-XX:AOTCacheOutput=" + aot + ".").contains("-Dheft.aot.training=true");
        assertThat(java.get(1)).contains("-XX:AOTCache=" + aot).endsWith("-jar " + jar + " inspect model");
        try (Stream<Path> files = Files.list(jar.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("heft.jar", "heft.aot");
        }
    }

    /**
     * quant-error trains and uses its own cache and starts from its own entry class with {@code -cp} (the kernel's
     * prelink thread before the CLI's static initialisation; no manifest handling), the cache's training with the same
     * class path.
     */
    @Test
    void quantErrorRunsFromItsOwnEntryClassAndCache() throws Exception {
        run("quant-error", "--scheme", "q8_0", "model");
        Path quantAot = root.resolve("heft-cli/target/heft-quant.aot");
        assertThat(quantAot).hasContent("cache");
        List<String> java = javaCalls();
        assertThat(java).hasSize(3); // the header commands' cache, quant-error's cache, the run
        assertThat(java.get(1))
                .contains("-XX:AOTCacheOutput=" + quantAot + ".")
                .contains("--add-modules jdk.incubator.vector")
                .endsWith("-cp " + jar + " dev.heft.cli.QuantCdsTraining");
        assertThat(java.get(2))
                .contains("-XX:AOTCache=" + quantAot)
                .contains("--add-modules jdk.incubator.vector -XX:-TieredCompilation")
                .endsWith("-cp " + jar + " dev.heft.cli.QuantErrorMain quant-error --scheme q8_0 model");
    }

    @Test
    void anUpToDateCheckoutBuildsNothing() throws Exception {
        run();
        settle();
        run();
        assertThat(builds()).isEqualTo(1);
        assertThat(javaCalls()).hasSize(3); // training, then one run each
    }

    @Test
    void aChangedMainSourceResourceOrPomRebuilds() throws Exception {
        run();
        int expected = 1;
        for (String changed : List.of(
                "heft-core/src/main/java/dev/heft/A.java",
                "heft-web/src/main/resources/r.txt",
                "heft-cli/pom.xml",
                "pom.xml")) {
            settle();
            write(changed, "changed in place"); // an in-place write leaves the folder's time alone
            run();
            assertThat(builds()).as(changed).isEqualTo(++expected);
        }
    }

    @Test
    void anAddedRemovedOrHiddenFileRebuilds() throws Exception {
        run();
        settle();
        write("heft-core/src/main/java/dev/heft/deep/er/B.java", "class B {}");
        run();
        assertThat(builds()).isEqualTo(2);
        settle();
        Files.delete(root.resolve("heft-cli/src/main/resources/r.txt"));
        run();
        assertThat(builds()).isEqualTo(3);
        write("heft-web/src/main/resources/.hidden", "x");
        settle();
        write("heft-web/src/main/resources/.hidden", "changed");
        run();
        assertThat(builds()).isEqualTo(4);
    }

    @Test
    void aChangedTestSourceDoesNotRebuild() throws Exception {
        run();
        settle();
        write("heft-core/src/test/java/dev/heft/ATest.java", "class ATest { int x; }");
        run();
        assertThat(builds()).isEqualTo(1);
    }

    @Test
    void aFailedTrainingIsMarkedAndNotRetriedUntilTheJarChanges() throws Exception {
        write("fail-training", "");
        run();
        assertThat(aot).doesNotExist();
        assertThat(root.resolve("heft-cli/target/heft.aot.failed")).exists();
        assertThat(javaCalls().getLast()).doesNotContain("-XX:AOTCache=");
        run();
        assertThat(javaCalls()).hasSize(3); // the failed training and two runs: no second training
        Files.delete(root.resolve("fail-training"));
        settle();
        write("heft-core/src/main/java/dev/heft/A.java", "class A { int y; }");
        run();
        assertThat(aot).hasContent("cache");
        assertThat(javaCalls().getLast()).contains("-XX:AOTCache=" + aot);
    }

    /** Moves every file's time a minute back, so the next write is newer than the jar whatever the clock's grain. */
    private void settle() throws IOException {
        FileTime past = FileTime.from(Instant.now().minusSeconds(60));
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, past);
            }
        }
        // The jar (and its cache) newest of what it was built from, as after a real build.
        FileTime built = FileTime.from(Instant.now().minusSeconds(30));
        Files.setLastModifiedTime(jar, built);
        for (Path p : List.of(aot, root.resolve("heft-cli/target/heft.aot.failed"))) {
            if (Files.exists(p)) {
                Files.setLastModifiedTime(p, built);
            }
        }
    }

    private void run() throws IOException, InterruptedException {
        run("inspect", "model");
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("bash", root.resolve("heft").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HEFT_JAVA_HOME", root.resolve("jdk").toString());
        env.remove("JAVA_HOME");
        env.put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private int builds() throws IOException {
        Path log = root.resolve("mvn.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private List<String> javaCalls() throws IOException {
        return Files.readAllLines(root.resolve("java.log"));
    }

    private void write(String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void script(String relative, String text) throws IOException {
        write(relative, text);
        Files.setPosixFilePermissions(root.resolve(relative), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
