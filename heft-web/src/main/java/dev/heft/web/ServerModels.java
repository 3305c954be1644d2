package dev.heft.web;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;

/**
 * Model resolution for requests: a catalog id or an inline config.json, nothing else. Unlike the CLI's
 * {@link ModelResolver#resolve}, a request's model is never a path: {@code "model": "/etc/passwd"} is an
 * unknown catalog model, and no file is opened on a request's behalf.
 */
final class ServerModels {
    private ServerModels() {
    }

    static ResolvedModel catalog(String id) {
        if (id.length() > 200 || !id.matches("[A-Za-z0-9._:+-]+")) {
            // Not even shaped like a catalog id (a path, say): refuse before anything else looks at it.
            throw new InvalidInputException("unknown catalog model '" + shorten(id) + "'; the server resolves "
                    + "catalog ids and inline configs only, never paths (see /api/catalog)");
        }
        try {
            // The catalogs only (LLMs and torchvision networks): ModelResolver.catalog never touches the filesystem.
            return ModelResolver.catalog(id);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("unknown catalog model: " + e.getMessage(), e);
        }
    }

    static ResolvedModel config(JsonValue.JsonObject config, String label) {
        try {
            return ResolvedModel.Described.of(label, config, "inline config.json");
        } catch (InvalidInputException e) {
            throw new InvalidInputException("config: " + e.getMessage(), e);
        }
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
