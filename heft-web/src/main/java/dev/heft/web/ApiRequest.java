package dev.heft.web;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One API request's model and options, whether it came as a JSON body ({@code {"model": "llama-3-8b", "context":
 * 8192}}) or as query parameters ({@code ?model=llama-3-8b&context=8192}). Option keys are the CLI flags without
 * dashes, with values as a user would type them (lists comma-separated); the operation's {@code Param}s convert them,
 * exactly as the CLI does. {@code model} (a catalog id) and {@code config} (a config.json object, or its JSON text in a
 * query) name the model.
 */
record ApiRequest(Optional<String> model, Optional<JsonValue.JsonObject> config, Map<String, String> options) {
    static final String MODEL = "model";
    static final String CONFIG = "config";

    static ApiRequest fromJson(byte[] body) {
        JsonValue v = Json.parse(body);
        if (!(v instanceof JsonValue.JsonObject o)) {
            throw new InvalidInputException("request body must be a JSON object, found " + v.typeName());
        }
        Map<String, String> options = new LinkedHashMap<>();
        Optional<String> model = Optional.empty();
        Optional<JsonValue.JsonObject> config = Optional.empty();
        for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
            String k = e.getKey();
            JsonValue x = e.getValue();
            if (k.equals(MODEL)) {
                if (!(x instanceof JsonValue.JsonString s)) {
                    throw new InvalidInputException("model: expected a catalog id (a string), found " + x.typeName());
                }
                model = Optional.of(s.value());
            } else if (k.equals(CONFIG)) {
                if (!(x instanceof JsonValue.JsonObject c)) {
                    throw new InvalidInputException("config: expected a config.json object, found " + x.typeName());
                }
                config = Optional.of(c);
            } else {
                String value = scalar(k, x);
                if (value != null) {
                    options.put(k, value);
                }
            }
        }
        return new ApiRequest(model, config, options);
    }

    static ApiRequest fromQuery(String rawQuery) {
        Map<String, String> options = new LinkedHashMap<>();
        Optional<String> model = Optional.empty();
        Optional<JsonValue.JsonObject> config = Optional.empty();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (options.containsKey(k)
                        || (k.equals(MODEL) && model.isPresent())
                        || (k.equals(CONFIG) && config.isPresent())) {
                    throw new InvalidInputException(k + ": given more than once");
                }
                if (k.equals(MODEL)) {
                    model = Optional.of(v);
                } else if (k.equals(CONFIG)) {
                    JsonValue c = Json.parse(v);
                    if (!(c instanceof JsonValue.JsonObject co)) {
                        throw new InvalidInputException("config: expected a config.json object");
                    }
                    config = Optional.of(co);
                } else {
                    options.put(k, v);
                }
            }
        }
        return new ApiRequest(model, config, options);
    }

    /** Option values as the CLI would see them typed: numbers in plain notation, lists joined with commas. */
    private static String scalar(String key, JsonValue x) {
        return switch (x) {
            case JsonValue.JsonString s -> s.value();
            case JsonValue.JsonNumber n -> n.value().toPlainString();
            case JsonValue.JsonBoolean b -> String.valueOf(b.value());
            case JsonValue.JsonNull n -> null;
            case JsonValue.JsonArray a -> {
                StringBuilder sb = new StringBuilder();
                for (JsonValue e : a.elements()) {
                    if (e instanceof JsonValue.JsonArray || e instanceof JsonValue.JsonObject) {
                        throw new InvalidInputException(key + ": a list may hold only strings and numbers");
                    }
                    sb.append(sb.isEmpty() ? "" : ",").append(scalar(key, e));
                }
                yield sb.toString();
            }
            case JsonValue.JsonObject o -> throw new InvalidInputException(key + ": expected a value, found an object");
        };
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("malformed query parameter encoding: " + e.getMessage());
        }
    }
}
