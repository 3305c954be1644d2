package dev.heft.core.arch.torch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.tensor.TensorRole;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of ground-truth/torch-layers.json (single torch.nn layers built by torch 2.11): the case's class and
 * constructor arguments become a one-layer spec, and heft must give torch's parameter count, buffer count and every
 * parameter's name and shape.
 */
class TorchLayersGroundTruthTest {

    static Stream<Arguments> cases() throws IOException {
        JsonArray all = (JsonArray) Json.parse(Files.readAllBytes(SharedFixtures.groundTruth("torch-layers.json")));
        assertThat(all.size()).isEqualTo(80);
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            JsonObject c = all.get(i).asObject("case " + i);
            out.add(Arguments.of(i + ": " + c.getString("layer", "?"), c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorch(String name, JsonObject c) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("type", c.getString("layer", null));
        c.getObject("spec").orElseThrow().members().forEach((k, v) -> layer.put(k, v));
        String spec = JsonWriter.write(Map.of("layers", List.of(layer)));
        CustomNetwork net = LayerSpec.parse(spec, LayerSpec.Format.JSON);
        ArchitectureCounts counts = net.counts();

        assertThat(counts.parameters()).as("params").isEqualTo(c.getLong("params", -1));
        assertThat(counts.buffers()).as("buffers").isEqualTo(c.getLong("buffers", -1));
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        c.getObject("tensors").orElseThrow().members().forEach((k, v) -> {
            List<Long> dims = new ArrayList<>();
            for (JsonValue d : ((JsonArray) v).elements()) {
                dims.add(((JsonValue.JsonNumber) d).longValueExact(k));
            }
            expected.put(k, dims);
        });
        Map<String, List<Long>> actual = new LinkedHashMap<>();
        for (NamedTensor t : net.tensors()) {
            if (t.role() == TensorRole.WEIGHT) {
                assertThat(t.name()).startsWith("0.");
                actual.put(t.name().substring(2), t.shape().dims());
            }
        }
        assertThat(actual).isEqualTo(expected);
    }
}
