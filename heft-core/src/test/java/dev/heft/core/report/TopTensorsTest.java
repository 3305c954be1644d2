package dev.heft.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass top-k gives exactly what the full sort it replaced gave (bytes descending, then name). */
class TopTensorsTest {

    @Test
    void equalsTheFullSort() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = rnd.nextInt(40);
            List<Tensor> tensors = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long rows = 1 + rnd.nextInt(4); // many ties on bytes
                tensors.add(Tensor.weight(
                        "t" + rnd.nextInt(50) + "." + i, new long[] {rows, 8}, DType.F32, 0, rows * 32, null));
            }
            int k = rnd.nextInt(12);
            TopTensors top = new TopTensors(k);
            tensors.forEach(top::offer);
            List<Tensor> sorted = tensors.stream()
                    .sorted(Comparator.comparingLong(Tensor::bytes).reversed().thenComparing(Tensor::name))
                    .limit(k)
                    .toList();
            assertThat(top.inOrder()).isEqualTo(sorted);
        }
    }
}
