package dev.heft.core.format.keras;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The layers a Keras model config declares, by name: {@code {"class_name": "Dense", "config": {"name": "dense",
 * "trainable": true, ...}}} entries, found wherever they nest (Sequential/Functional {@code config.layers}, wrapper
 * {@code config.layer}, nested models). Keras 3 {@code config.json} and the legacy h5 {@code model_config} attribute
 * share this shape.
 *
 * @param modelClass the top-level class_name (Sequential, Functional, a subclass), or empty
 */
record KerasLayers(Optional<String> modelClass, Map<String, Layer> byName) {

    record Layer(String name, String className, boolean trainable) {}

    static final KerasLayers NONE = new KerasLayers(Optional.empty(), Map.of());

    static KerasLayers of(JsonObject config) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        collect(config, layers);
        Optional<String> top = config.members().get("class_name") instanceof JsonValue.JsonString s
                ? Optional.of(s.value())
                : Optional.empty();
        return new KerasLayers(top, layers);
    }

    Optional<Layer> layer(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private static void collect(JsonValue v, Map<String, Layer> out) {
        switch (v) {
            case JsonObject o -> {
                if (o.members().get("class_name") instanceof JsonValue.JsonString cls
                        && o.members().get("config") instanceof JsonObject cfg
                        && cfg.members().get("name") instanceof JsonValue.JsonString name) {
                    boolean trainable =
                            !(cfg.members().get("trainable") instanceof JsonValue.JsonBoolean b) || b.value();
                    out.putIfAbsent(name.value(), new Layer(name.value(), cls.value(), trainable));
                }
                for (JsonValue child : o.members().values()) {
                    collect(child, out);
                }
            }
            case JsonArray a -> a.elements().forEach(e -> collect(e, out));
            default -> {}
        }
    }
}
