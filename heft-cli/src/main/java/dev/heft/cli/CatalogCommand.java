package dev.heft.cli;

import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "catalog", description = {"The built-in models: published configs, counted by the engine (no stored "
        + "totals). Use the ids as MODEL in any command."})
final class CatalogCommand implements Callable<Integer> {
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
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
        if (output.json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("schema", "heft.catalog/1");
            root.put("models", rows);
            output.out().println(JsonWriter.write(root));
        } else {
            output.out().print(t.render());
        }
        output.out().flush();
        return 0;
    }
}
