package dev.heft.core.service;

import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code heft catalog}: the built-in models, counted by the engine from their published configs. */
public final class CatalogService {
    public static final Set<String> OPTIONS = Set.of();

    private CatalogService() {
    }

    public static Result run(Options o) {
        o.requireOnly(OPTIONS);
        List<Object> rows = new ArrayList<>();
        TextTable t = new TextTable("id", "name", "type", "parameters", "source");
        for (CatalogEntry e : LlmCatalog.all()) {
            HfArchitecture a = e.architecture();
            t.row(e.id(), e.name(), a.modelType(), Units.count(a.counts().parameters()), e.source());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", e.id());
            r.put("name", e.name());
            r.put("kind", "llm");
            r.put("model_type", a.modelType());
            r.put("parameters", a.counts().parameters());
            r.put("source", e.source());
            rows.add(r);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "heft.catalog/1");
        root.put("models", rows);
        return new Result(root, t.render());
    }
}
