package dev.heft.core.compress;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.testing.SharedFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ../shared/fixtures/gguf/expected.json (written by gguf-py's GGUFReader from files llama-quantize made) into
 * planner inputs and expectations. Until the GGUF reader is merged this is where the tensor lists come from; they are
 * ground truth either way.
 */
final class GgufFixturePlans {
    private static JsonObject expected;

    private GgufFixturePlans() {}

    static synchronized JsonObject file(String fileName) {
        if (expected == null) {
            expected = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"));
        }
        return expected.getObject("files")
                .orElseThrow()
                .getObject(fileName)
                .orElseThrow(() -> new IllegalStateException("expected.json has no entry for " + fileName));
    }

    /** The file's tensors as planner input, shapes turned from ggml order to logical order, types as stored. */
    static List<TensorSpec> tensors(String fileName) {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonValue v : file(fileName).getArray("tensors").orElseThrow().elements()) {
            JsonObject t = (JsonObject) v;
            JsonArray dims = t.getArray("shape").orElseThrow();
            long[] ne = new long[dims.size()];
            for (int i = 0; i < ne.length; i++) {
                ne[i] = ((JsonNumber) dims.get(i)).longValueExact("shape");
            }
            DType type = DType.fromGgmlId(t.getLong("ggml_type_id", -1)).orElseThrow();
            out.add(new TensorSpec(t.getString("name", null), Shapes.fromGgmlOrder(ne), type));
        }
        return out;
    }

    /** name -> ggml type name as llama-quantize wrote it. */
    static Map<String, String> types(String fileName) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonValue v : file(fileName).getArray("tensors").orElseThrow().elements()) {
            JsonObject t = (JsonObject) v;
            out.put(t.getString("name", null), t.getString("ggml_type", null));
        }
        return out;
    }

    /** name -> n_bytes as llama-quantize wrote it. */
    static Map<String, Long> bytes(String fileName) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (JsonValue v : file(fileName).getArray("tensors").orElseThrow().elements()) {
            JsonObject t = (JsonObject) v;
            out.put(t.getString("name", null), t.getLong("n_bytes", -1));
        }
        return out;
    }

    /** The tensor names in the order llama-quantize wrote them. */
    static List<String> order(String fileName) {
        return new ArrayList<>(types(fileName).keySet());
    }

    static Map<String, Object> metadata(String fileName) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e :
                file(fileName).getObject("metadata").orElseThrow().members().entrySet()) {
            if (e.getValue() instanceof JsonNumber n) {
                out.put(
                        e.getKey(),
                        n.isIntegral()
                                ? (Object) n.longValueExact(e.getKey())
                                : n.value().doubleValue());
            } else if (e.getValue() instanceof JsonString s) {
                out.put(e.getKey(), s.value());
            }
        }
        return out;
    }
}
