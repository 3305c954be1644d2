package dev.heft.core.format.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.report.InspectReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras stores variables by layer and position; the reader's aliases let the classifier place them. The generated
 * Dense -> BatchNormalization -> Dropout -> Dense model has, by construction, IN*HIDDEN+HIDDEN and HIDDEN*OUT+OUT dense
 * parameters and 4*HIDDEN BatchNorm values, and nothing unclassified.
 */
class KerasKindsTest {
    @TempDir
    Path tmp;

    @Test
    void keras3AndLegacyLayoutsBreakDownIntoDenseAndNorm() throws Exception {
        for (Path file : new Path[] {
            KerasFixtures.keras3Weights(tmp.resolve("a.weights.h5"), false),
            KerasFixtures.legacyModel(tmp.resolve("b.h5"), false)
        }) {
            InspectReport r = InspectReport.of(new KerasReader().read(file));
            assertThat(r.byKind()).as(file.toString()).doesNotContainKey(LayerKind.OTHER);
            long dense = (long) KerasFixtures.IN * KerasFixtures.HIDDEN
                    + KerasFixtures.HIDDEN
                    + (long) KerasFixtures.HIDDEN * KerasFixtures.OUT
                    + KerasFixtures.OUT;
            assertThat(r.byKind().get(LayerKind.MLP).parameters())
                    .as(file.toString())
                    .isEqualTo(dense);
            assertThat(r.byKind().get(LayerKind.NORM).parameters()).isEqualTo(4L * KerasFixtures.HIDDEN);
            assertThat(r.biasParameters()).isEqualTo(KerasFixtures.HIDDEN + KerasFixtures.OUT + KerasFixtures.HIDDEN);
        }
    }
}
