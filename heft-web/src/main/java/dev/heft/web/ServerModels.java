package dev.heft.web;

import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.HfArchitectures;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.model.ResolvedModel;

/**
 * Model resolution for requests: a catalog id or an inline config.json, nothing else. Unlike the CLI's
 * {@link dev.heft.core.model.ModelResolver}, a request's model is never a path: {@code "model": "/etc/passwd"} is an
 * unknown catalog model, and no file is opened on a request's behalf.
 */
final class ServerModels {
    private ServerModels() {
    }

    static ResolvedModel catalog(String id) {
        CatalogEntry e = LlmCatalog.lookup(id).orElse(null);
        if (e == null) {
            if (id.length() > 200 || !id.matches("[A-Za-z0-9._:+-]+")) {
                // Not even shaped like a catalog id (a path, say): say so without echoing it to the catalog's guesser.
                throw new InvalidInputException("unknown catalog model '" + shorten(id) + "'; the server resolves "
                        + "catalog ids and inline configs only, never paths (see /api/catalog)");
            }
            try {
                e = LlmCatalog.find(id);
            } catch (InvalidInputException ex) {
                throw new InvalidInputException("unknown catalog model: " + ex.getMessage(), ex);
            }
        }
        return new ResolvedModel.Described(e.id(), e.architecture(), e.source());
    }

    static ResolvedModel config(JsonValue.JsonObject config, String label) {
        try {
            return new ResolvedModel.Described(label, HfArchitectures.count(config), "inline config.json");
        } catch (InvalidInputException e) {
            throw new InvalidInputException("config: " + e.getMessage(), e);
        }
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
