package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A vision-language composite's parts equal what transformers 5.18 holds under each top-level module
 * (hf-family-counts.json by_module2: model.vision_tower, model.multi_modal_projector, model.language_model and an
 * untied lm_head), from the default and the shrunken config.
 */
class CompositePartsTest {

    @Test
    void partsMatchTransformersModules() throws Exception {
        JsonObject cases;
        try (InputStream in = getClass().getResourceAsStream("hf-family-counts.json")) {
            cases = Json.parse(in.readAllBytes()).asObject("counts").getObject("cases").orElseThrow();
        }
        int checked = 0;
        for (String id : new String[] {"llava", "llava_next", "paligemma"}) {
            JsonObject entry = cases.getObject(id).orElseThrow();
            for (JsonObject e : new JsonObject[] {entry, entry.getObject("small").orElseThrow()}) {
                HfArchitecture a = HfArchitectures.count(e.getObject("config_diff").orElseThrow());
                Map<String, JsonValue> modules = e.getObject("by_module2").orElseThrow().members();
                long language = number(modules, "model.language_model") + number(modules, "lm_head.weight");
                assertThat(a.parts()).extracting(HfArchitecture.Part::name, HfArchitecture.Part::parameters)
                        .contains(org.assertj.core.groups.Tuple.tuple("model.vision_tower",
                                        number(modules, "model.vision_tower")),
                                org.assertj.core.groups.Tuple.tuple("model.multi_modal_projector",
                                        number(modules, "model.multi_modal_projector")),
                                org.assertj.core.groups.Tuple.tuple("model.language_model + lm_head", language));
                assertThat(a.parts().stream().mapToLong(HfArchitecture.Part::parameters).sum())
                        .isEqualTo(a.counts().parameters());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6);
    }

    private static long number(Map<String, JsonValue> m, String key) {
        JsonValue v = m.get(key);
        return v == null ? 0 : ((JsonValue.JsonNumber) v).longValueExact(key);
    }
}
