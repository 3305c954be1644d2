package dev.heft.core.service;

import dev.heft.core.model.LocalModels;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code heft models}: the models on this machine (HF cache, Ollama, LM Studio), read header-only by
 * {@link LocalModels}. JSON: {@code {"schema", "models": [{"source", "id", "model", "path", "format", "parameters",
 * "bytes"}, ...]}}, plus {@code "error"} on a row that could not be read (its format and parameters are then null).
 */
public final class ModelsService {
    public static final String SCHEMA = "heft.models/1";

    private ModelsService() {
    }

    public static Result run(List<LocalModels.Row> rows, List<String> searched) {
        List<Object> json = new ArrayList<>();
        TextTable t = new TextTable("source", "id", "format", "parameters", "on disk", "MODEL");
        List<String> errors = new ArrayList<>();
        for (LocalModels.Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", r.source().jsonName());
            m.put("id", r.id());
            m.put("model", r.model());
            m.put("path", r.path().toString());
            m.put("format", r.format().orElse(null));
            m.put("parameters", r.parameters().isPresent() ? (Object) r.parameters().getAsLong() : null);
            m.put("bytes", r.bytes());
            r.error().ifPresent(e -> m.put("error", e));
            json.add(m);
            t.row(r.source().jsonName(), r.id(), r.format().orElse("error"),
                    r.parameters().isPresent() ? Units.count(r.parameters().getAsLong()) : "-", Units.bytes(r.bytes()),
                    r.model());
            r.error().ifPresent(e -> errors.add(r.id() + ": " + e));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("models", json);
        StringBuilder text = new StringBuilder();
        if (rows.isEmpty()) {
            text.append("No models found in ").append(String.join(", ", searched)).append('\n');
        } else {
            text.append(t.render());
            if (!errors.isEmpty()) {
                text.append("\nCould not read\n");
                errors.forEach(e -> text.append("- ").append(e).append('\n'));
            }
        }
        return new Result(root, text.toString());
    }
}
