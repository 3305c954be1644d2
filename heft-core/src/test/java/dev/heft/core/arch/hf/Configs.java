package dev.heft.core.arch.hf;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds config.json objects for tests without going through text. */
final class Configs {
    private final Map<String, JsonValue> members = new LinkedHashMap<>();

    static Configs of(String modelType) {
        Configs c = new Configs();
        c.members.put("model_type", new JsonValue.JsonString(modelType));
        return c;
    }

    Configs put(String key, long v) {
        members.put(key, JsonValue.JsonNumber.of(v));
        return this;
    }

    Configs put(String key, boolean v) {
        members.put(key, new JsonValue.JsonBoolean(v));
        return this;
    }

    Configs put(String key, String v) {
        members.put(key, new JsonValue.JsonString(v));
        return this;
    }

    Configs putNull(String key) {
        members.put(key, JsonValue.JsonNull.INSTANCE);
        return this;
    }

    Configs put(String key, JsonValue v) {
        members.put(key, v);
        return this;
    }

    JsonObject json() {
        return new JsonObject(members);
    }

    HfArchitecture count() {
        return HfArchitectures.count(json());
    }
}
