package dev.heft.core.arch.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model in ground-truth/vision-models.json (torchvision 0.26 with weights=None; flops_total from
 * FlopCounterMode): params, buffers, by_class and FLOPs must match exactly.
 */
class VisionGroundTruthTest {

    static Stream<Arguments> models() {
        JsonObject all = SharedFixtures.json(SharedFixtures.groundTruth("vision-models.json"));
        List<Arguments> out = new ArrayList<>();
        all.members().forEach((k, v) -> out.add(Arguments.of(k.replaceFirst("^tv:", ""), v.asObject(k))));
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesTorchvision(String name, JsonObject expected) {
        VisionModel model = VisionCatalog.get(name);
        ArchitectureCounts counts = model.counts();
        assertThat(counts.parameters()).as("params").isEqualTo(expected.getLong("params", -1));
        assertThat(counts.buffers()).as("buffers").isEqualTo(expected.getLong("buffers", -1));
        Map<String, Long> byClass = new LinkedHashMap<>();
        expected.getObject("by_class")
                .orElseThrow()
                .members()
                .forEach((k, v) -> byClass.put(k, ((JsonValue.JsonNumber) v).longValueExact(k)));
        assertThat(counts.byClass()).isEqualTo(byClass);
        long[] input = expected.getArray("input").orElseThrow().elements().stream()
                .mapToLong(v -> ((JsonValue.JsonNumber) v).longValueExact("input"))
                .toArray();
        assertThat(model.flops(Shape.of(input)).flops())
                .as("flops_total")
                .isEqualTo(expected.getLong("flops_total", -1));
    }
}
