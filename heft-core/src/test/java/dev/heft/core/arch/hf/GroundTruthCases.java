package dev.heft.core.arch.hf;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Transformers' own meta-device counts, from two sources, as one list of cases: ../shared/ground-truth/hf-all-types
 * (transformers 5.18.0: every model type it could build from its default config, and a shrunken config) and
 * hf-family-counts.json beside this class (scripts/hf_family_counts.py, transformers 5.18.0: the families, heads and
 * options the shared file lacks).
 */
final class GroundTruthCases {
    private GroundTruthCases() {}

    /**
     * One counted config.
     *
     * @param id        where it comes from: "shared:olmo", "family:bert-mlm-untied", with "/small" for a shrunken config
     * @param modelType the config's model_type
     * @param config    the config as transformers holds it ({@code to_dict()})
     * @param diff      what save_pretrained writes (only values that differ from the class defaults), when recorded
     */
    record Case(
            String id,
            String modelType,
            JsonObject config,
            Optional<JsonObject> diff,
            String modelClass,
            long params,
            long paramsTiedTwice,
            long buffersAll,
            Optional<Map<String, Long>> byClass) {}

    static List<Case> shared() {
        JsonObject root = SharedFixtures.json(SharedFixtures.groundTruth("hf-all-types/hf-all-types.json"));
        List<Case> out = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e :
                root.getObject("models").orElseThrow().members().entrySet()) {
            JsonObject m = (JsonObject) e.getValue();
            out.add(sharedCase("shared:" + e.getKey(), m, m.getObject("config").orElseThrow()));
            Optional<JsonObject> small = m.getObject("small");
            if (small.isPresent() && !small.get().getBoolean("same_as_default", false)) {
                out.add(sharedCase(
                        "shared:" + e.getKey() + "/small",
                        small.get(),
                        small.get().getObject("config").orElseThrow()));
            }
        }
        return out;
    }

    private static Case sharedCase(String id, JsonObject m, JsonObject config) {
        return new Case(
                id,
                config.getString("model_type", ""),
                config,
                Optional.empty(),
                m.getString("model_class", ""),
                m.getLong("params", -1),
                m.getLong("params_tied_twice", -1),
                m.getLong("buffers_all", -1),
                Optional.empty());
    }

    static List<Case> families() {
        JsonObject root;
        try (InputStream in = GroundTruthCases.class.getResourceAsStream("hf-family-counts.json")) {
            root = Json.parse(in.readAllBytes()).asObject("hf-family-counts.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> out = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e :
                root.getObject("cases").orElseThrow().members().entrySet()) {
            JsonObject m = (JsonObject) e.getValue();
            if (m.has("error")) {
                continue; // this transformers could not build it: recorded in the file, nothing to test
            }
            out.add(familyCase("family:" + e.getKey(), m));
            m.getObject("small").ifPresent(s -> out.add(familyCase("family:" + e.getKey() + "/small", s)));
        }
        return out;
    }

    private static Case familyCase(String id, JsonObject m) {
        JsonObject full = m.getObject("config_full").orElseThrow();
        Map<String, Long> byClass = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> c :
                m.getObject("by_class").orElseThrow().members().entrySet()) {
            byClass.put(c.getKey(), ((JsonValue.JsonNumber) c.getValue()).longValueExact(c.getKey()));
        }
        return new Case(
                id,
                full.getString("model_type", ""),
                full,
                m.getObject("config_diff"),
                m.getString("model_class", ""),
                m.getLong("params", -1),
                m.getLong("params_tied_twice", -1),
                m.getLong("buffers_all", -1),
                Optional.of(byClass));
    }

    static List<Case> all() {
        List<Case> out = new ArrayList<>(shared());
        out.addAll(families());
        return out;
    }
}
