package dev.heft.core.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.safetensors.SafetensorsWriter.Spec;
import dev.heft.core.tensor.Tensor;
import java.io.IOException;
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
        return headers.stream().flatMap(h -> h.tensors().stream()).map(Tensor::name).toList();
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
        assertThatThrownBy(() -> ParallelHeaders.read(files)).isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("s7.safetensors");
        assertThatThrownBy(() -> ParallelHeaders.readInParallel(files)).isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("s7.safetensors");
    }
}
