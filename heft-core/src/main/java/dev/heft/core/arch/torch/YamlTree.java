package dev.heft.core.arch.torch;

import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Loads YAML (snakeyaml-engine, YAML 1.2 core schema: no arbitrary object construction) into the same
 * {@link JsonValue} tree a JSON spec gives, so one reader serves both. Duplicate keys and alias bombs are refused.
 */
final class YamlTree {
    private static final int MAX_DEPTH = 256;

    private YamlTree() {}

    static JsonValue parse(String text) {
        LoadSettings settings = LoadSettings.builder()
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(50)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(Math.toIntExact(LayerSpec.MAX_SPEC_BYTES))
                .build();
        Object tree;
        try {
            tree = new Load(settings).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new JsonException(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // snakeyaml-engine 2.10 also fails on some malformed input with plain runtime exceptions (a fuzz campaign
            // found NumberFormatException for '\\u' without digits and for '%' escapes in tags, and
            // IllegalArgumentException for tags with spaces): malformed YAML all the same.
            throw new JsonException("not valid YAML ("
                    + e.getClass().getSimpleName().replace("Exception", "").replace("Error", "") + ": " + e.getMessage()
                    + ")");
        }
        return convert(tree, 0);
    }

    private static JsonValue convert(Object o, int depth) {
        if (depth > MAX_DEPTH) {
            throw new JsonException("YAML nested deeper than " + MAX_DEPTH);
        }
        return switch (o) {
            case null -> JsonValue.JsonNull.INSTANCE;
            case Map<?, ?> m -> {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new JsonException("YAML keys must be strings, found " + e.getKey());
                    }
                    members.put(key, convert(e.getValue(), depth + 1));
                }
                yield new JsonValue.JsonObject(members);
            }
            case List<?> l -> {
                List<JsonValue> elements = new ArrayList<>(l.size());
                for (Object x : l) {
                    elements.add(convert(x, depth + 1));
                }
                yield new JsonValue.JsonArray(elements);
            }
            case Boolean b -> new JsonValue.JsonBoolean(b);
            case String s -> new JsonValue.JsonString(s);
            case Integer i -> JsonValue.JsonNumber.of(i.longValue());
            case Long l -> JsonValue.JsonNumber.of(l);
            case BigInteger bi -> new JsonValue.JsonNumber(new BigDecimal(bi));
            case Double d when Double.isFinite(d) -> JsonValue.JsonNumber.of(d);
            default ->
                throw new JsonException(
                        "unsupported YAML value " + o + " (" + o.getClass().getSimpleName() + ")");
        };
    }
}
