package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model of ../shared/ground-truth/hf-architectures.json (built by transformers 5.17 on the meta device), from
 * both the full config dict and the minimal save_pretrained diff: parameters, parameters counting tied names twice,
 * buffers, per-class parameters and the class built must all match exactly.
 */
class HfArchitecturesGroundTruthTest {

    static Stream<Arguments> cases() {
        JsonObject all = SharedFixtures.json(SharedFixtures.groundTruth("hf-architectures.json"));
        return all.members().entrySet().stream().flatMap(e -> {
            JsonObject entry = (JsonObject) e.getValue();
            return Stream.of(
                    Arguments.of(e.getKey(), "config_full", entry), Arguments.of(e.getKey(), "config_diff", entry));
        });
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("cases")
    void matchesTransformers(String model, String shape, JsonObject entry) {
        JsonObject config = entry.getObject(shape).orElseThrow();
        HfArchitecture arch = HfArchitectures.count(config);
        ArchitectureCounts counts = arch.counts();

        assertThat(arch.modelClass()).as("model class").isEqualTo(entry.getString("model_class", null));
        assertThat(counts.parameters()).as("params").isEqualTo(entry.getLong("params", -1));
        assertThat(counts.parametersCountingTiedTwice())
                .as("params counting tied twice")
                .isEqualTo(entry.getLong("params_counting_tied_twice", -1));
        assertThat(counts.buffers()).as("buffers").isEqualTo(entry.getLong("buffers", -1));

        Map<String, Long> expected = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> c :
                entry.getObject("by_class").orElseThrow().members().entrySet()) {
            expected.put(c.getKey(), ((JsonValue.JsonNumber) c.getValue()).longValueExact(c.getKey()));
        }
        assertThat(counts.byClass()).as("by_class").containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(counts.byKind().values().stream().mapToLong(Long::longValue).sum())
                .as("by kind sums to params")
                .isEqualTo(counts.parameters());
    }
}
