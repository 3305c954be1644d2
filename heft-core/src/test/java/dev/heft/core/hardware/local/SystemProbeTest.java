package dev.heft.core.hardware.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs({OS.LINUX, OS.MAC})
class SystemProbeTest {
    // Generous for the tools that finish (a loaded CI box can take seconds to fork); the hung-tool test uses its own.
    private final SystemProbe probe = new SystemProbe(Duration.ofSeconds(20));

    @Test
    void anAbsentToolIsQuietlyEmpty() {
        assertThat(probe.run(List.of("heft-no-such-tool-" + System.nanoTime()))).isEmpty();
    }

    @Test
    void aFailingToolIsEmptyAndASucceedingOneIsRead() {
        assertThat(probe.run(List.of("sh", "-c", "echo partial; exit 3"))).isEmpty();
        assertThat(probe.run(List.of("sh", "-c", "echo hello"))).contains("hello\n");
    }

    @Test
    void aHungToolIsStoppedAtTheTimeout() {
        long start = System.nanoTime();
        assertThat(new SystemProbe(Duration.ofMillis(500)).run(List.of("sh", "-c", "sleep 30")))
                .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void outputIsCapped() {
        String out = probe.run(List.of("sh", "-c", "yes x | head -c 1000000")).orElseThrow();
        assertThat(out).hasSize(SystemProbe.MAX_BYTES);
    }

    @Test
    void missingFilesAreEmpty() {
        assertThat(probe.read("/no/such/file/heft")).isEmpty();
    }
}
