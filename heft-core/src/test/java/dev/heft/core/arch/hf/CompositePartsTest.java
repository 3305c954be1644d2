package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A composite's parts equal what transformers 5.18 holds under each top-level module (hf-family-counts.json
 * by_module2: the parameters under the first two levels of names), from the default and the shrunken config of every
 * composite case heft counts exactly. A part named {@code "model.language_model + lm_head"} is the sum of the modules
 * under each prefix.
 */
class CompositePartsTest {

    @Test
    void partsMatchTransformersModules() throws Exception {
        JsonObject cases;
        try (InputStream in = getClass().getResourceAsStream("hf-family-counts.json")) {
            cases = Json.parse(in.readAllBytes())
                    .asObject("counts")
                    .getObject("cases")
                    .orElseThrow();
        }
        int checked = 0;
        for (Map.Entry<String, JsonValue> c : cases.members().entrySet()) {
            JsonObject entry = (JsonObject) c.getValue();
            if (entry.has("error")) {
                continue;
            }
            for (JsonObject e :
                    new JsonObject[] {entry, entry.getObject("small").orElse(null)}) {
                if (e == null
                        || HfModelType.of(
                                        e.getObject("config_full").orElseThrow().getString("model_type", ""))
                                .isEmpty()) {
                    continue;
                }
                HfArchitecture a =
                        HfArchitectures.count(e.getObject("config_diff").orElseThrow());
                if (a.parts().isEmpty()) {
                    continue;
                }
                Map<String, JsonValue> modules =
                        e.getObject("by_module2").orElseThrow().members();
                for (HfArchitecture.Part part : a.parts()) {
                    assertThat(part.parameters())
                            .as(c.getKey() + " " + part.name())
                            .isEqualTo(under(modules, part.name()));
                }
                assertThat(a.parts().stream()
                                .mapToLong(HfArchitecture.Part::parameters)
                                .sum())
                        .as(c.getKey() + " parts sum")
                        .isEqualTo(a.counts().parameters());
                checked++;
            }
        }
        assertThat(checked).as("composite configs checked").isGreaterThanOrEqualTo(30);
    }

    /** Parameters under every " + "-separated prefix of a part name. */
    private static long under(Map<String, JsonValue> modules, String partName) {
        long sum = 0;
        for (String prefix : partName.split(" \\+ ")) {
            for (Map.Entry<String, JsonValue> m : modules.entrySet()) {
                if (m.getKey().equals(prefix) || m.getKey().startsWith(prefix + ".")) {
                    sum += ((JsonValue.JsonNumber) m.getValue()).longValueExact(m.getKey());
                }
            }
        }
        return sum;
    }
}
