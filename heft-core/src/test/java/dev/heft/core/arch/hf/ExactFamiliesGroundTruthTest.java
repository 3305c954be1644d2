package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every family heft claims exact, against transformers 5.18's own counts: each config of
 * ../shared/ground-truth/hf-all-types and of hf-family-counts.json (scripts/hf_family_counts.py) whose model_type is
 * exact, from its default and its shrunken config, as the full dict and (where recorded) as the save_pretrained diff.
 * The class built, parameters, parameters counting tied names twice, every buffer and the per-class split must match.
 */
class ExactFamiliesGroundTruthTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (GroundTruthCases.Case c : GroundTruthCases.all()) {
            if (HfModelType.of(c.modelType()).isEmpty()) {
                continue;
            }
            out.add(Arguments.of(c.id() + " (full)", c, c.config()));
            c.diff().ifPresent(d -> out.add(Arguments.of(c.id() + " (diff)", c, d)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTransformers(String name, GroundTruthCases.Case c, JsonObject config) {
        HfArchitecture arch = HfArchitectures.count(config);
        ArchitectureCounts counts = arch.counts();
        assertThat(arch.exact()).as(name + " claimed exact").isTrue();
        assertThat(arch.modelClass()).as(name + " model class").isEqualTo(c.modelClass());
        assertThat(counts.parameters()).as(name + " params").isEqualTo(c.params());
        assertThat(counts.parametersCountingTiedTwice())
                .as(name + " params counting tied twice")
                .isEqualTo(c.paramsTiedTwice());
        assertThat(counts.buffers()).as(name + " buffers").isEqualTo(c.buffersAll());
        c.byClass()
                .ifPresent(expected -> assertThat(counts.byClass())
                        .as(name + " by_class")
                        .containsExactlyInAnyOrderEntriesOf(expected));
        assertThat(counts.byKind().values().stream().mapToLong(Long::longValue).sum())
                .as("by kind sums to params")
                .isEqualTo(counts.parameters());
    }
}
