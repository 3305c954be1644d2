package dev.heft.core.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.safetensors.SafetensorsWriter.Spec;
import dev.heft.core.tensor.Tensor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-order read and the pooled read give the same headers in the order asked, and both report the first broken
 * shard in that order whatever the thread timing.
 */
class ParallelHeadersTest {
    @TempDir
    Path dir;

    private List<Path> shards(int n) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve("s" + i + ".safetensors");
            SafetensorsWriter.write(f, SafetensorsWriter.file(Map.of(), new Spec("t" + i, "F32", i + 1L, 2)));
            files.add(f);
        }
        return files;
    }

    private static List<String> names(List<SafetensorsHeader> headers) {
        return headers.stream()
                .flatMap(h -> h.tensors().stream())
                .map(Tensor::name)
                .toList();
    }

    @Test
    void inOrderAndPooledReadsAgree() throws IOException {
        List<Path> files = shards(40);
        List<SafetensorsHeader> inOrder = ParallelHeaders.read(files);
        List<SafetensorsHeader> pooled = ParallelHeaders.readInParallel(files);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("t" + i);
        }
        assertThat(names(inOrder)).containsExactlyElementsOf(expected);
        assertThat(names(pooled)).containsExactlyElementsOf(expected);
        assertThat(pooled.get(39).tensors().getFirst().bytes()).isEqualTo(40L * 2 * 4);
        assertThat(inOrder.stream().map(SafetensorsHeader::file).toList()).isEqualTo(files);
    }

    @Test
    void firstBrokenShardInOrderIsReportedByBothReads() throws IOException {
        List<Path> files = shards(30);
        for (int broken : new int[] {29, 7}) {
            SafetensorsWriter.write(files.get(broken), SafetensorsWriter.file("{\"x\":1}", 0));
        }
        assertThatThrownBy(() -> ParallelHeaders.read(files))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("s7.safetensors");
        assertThatThrownBy(() -> ParallelHeaders.readInParallel(files))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("s7.safetensors");
    }

    @Test
    void busyCpuIsNotSlowStorage() {
        long ms = 1_000_000L;
        long[] wall = new long[ParallelHeaders.WINDOW];
        java.util.Arrays.fill(wall, 10 * ms);
        // 80 ms for 8 reads, of which 5 ms on a CPU and 74 ms waiting for one (load 17 on 2 cores): 1 ms blocked.
        assertThat(ParallelHeaders.waitsOnStorage(
                        wall, 80 * ms, new long[] {100 * ms, 900 * ms}, new long[] {105 * ms, 974 * ms}))
                .isFalse();
        // The same 80 ms with the CPU free: 75 ms blocked, over 9 ms a read, is storage.
        assertThat(ParallelHeaders.waitsOnStorage(
                        wall, 80 * ms, new long[] {100 * ms, 900 * ms}, new long[] {105 * ms, 900 * ms}))
                .isTrue();
        // Without schedstat the median wall time decides: one slow read is not enough, most reads slow are.
        long[] oneSpike = new long[ParallelHeaders.WINDOW];
        java.util.Arrays.fill(oneSpike, ms / 2);
        oneSpike[3] = 50 * ms;
        assertThat(ParallelHeaders.waitsOnStorage(oneSpike, 53 * ms, null, null))
                .isFalse();
        assertThat(ParallelHeaders.waitsOnStorage(wall, 80 * ms, null, null)).isTrue();
    }

    @Test
    void poolHasNoMoreThreadsThanCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(ParallelHeaders.threads(191)).isEqualTo(Math.min(cores, 16));
        assertThat(ParallelHeaders.threads(1)).isEqualTo(1);
    }

    @Test
    void schedstatLineGivesCpuAndRunqueueNanos() {
        assertThat(ThreadSchedule.parse("3983753 16305834 2\n")).containsExactly(3983753L, 16305834L);
        assertThat(ThreadSchedule.parse("")).isNull();
        assertThat(ThreadSchedule.parse("x y z")).isNull();
        if (java.nio.file.Files.isReadable(Path.of("/proc/thread-self/schedstat"))) {
            try (ThreadSchedule schedule = ThreadSchedule.open()) {
                long[] before = schedule.current();
                assertThat(before).isNotNull();
                assertThat(before[0]).isPositive();
                // The file stays open: a read at offset 0 must give fresh numbers, not the first read's. Linux adds a
                // running thread's CPU time at scheduler ticks (1-10 ms), so 50 ms of CPU shows.
                long until = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + 50_000_000L;
                long spin = 0;
                while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < until) {
                    spin++;
                }
                long[] after = schedule.current();
                assertThat(spin).isPositive();
                assertThat(after[0]).isGreaterThan(before[0]);
            }
        }
    }
}
