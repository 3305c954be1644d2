package dev.heft.web;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import java.util.Optional;

/**
 * Model resolution for requests: a catalog id, an inline config.json, a header the page uploaded earlier
 * ({@code upload:ID}, {@link Uploads}), and a Hugging Face Hub repo ({@code hf://OWNER/NAME[@REV][/PATH]}) when the
 * server's {@link Heft} allows the Hub ({@code heft serve --allow-hub}). Unlike the CLI's {@link Heft#open}, a
 * request's model is never a path or another URL: {@code "model": "/etc/passwd"} is an unknown catalog model, and no
 * file is opened on a request's behalf (a Hub repo is read from the HF cache or as header bytes over HTTP, as the CLI
 * reads it).
 */
final class ServerModels {
    private ServerModels() {}

    /** The model a request names: a catalog id, an upload or an inline config, exactly one of them. */
    static Model resolve(Heft heft, Uploads uploads, ApiRequest request) {
        return resolve(heft, uploads, request, id -> catalog(heft, id), heft::open);
    }

    /** As {@link #resolve(Heft, Uploads, ApiRequest)}, catalog ids resolved by {@code catalog} (a server's cache). */
    static Model resolve(Heft heft, Uploads uploads, ApiRequest request, CatalogModels catalog) {
        return resolve(heft, uploads, request, catalog::get, heft::open);
    }

    /** As above, Hub repos read through {@code hub} (the repos a server holds, read once while held). */
    static Model resolve(Heft heft, Uploads uploads, ApiRequest request, CatalogModels catalog, HubModels hub) {
        return resolve(heft, uploads, request, catalog::get, hub::get);
    }

    private static Model resolve(
            Heft heft,
            Uploads uploads,
            ApiRequest request,
            java.util.function.Function<String, Model> catalog,
            java.util.function.Function<String, Model> hub) {
        if (request.model().isPresent() && request.config().isPresent()) {
            throw new InvalidInputException("give either model (a catalog id) or config (a config.json), not both");
        }
        if (request.config().isPresent()) {
            JsonValue.JsonObject cfg = request.config().get();
            String label = cfg.getString("_name_or_path", "").isBlank()
                    ? "config.json"
                    : cfg.getString("_name_or_path", "config.json");
            return heft.fromConfig(label, cfg);
        }
        String id = request.model()
                .orElseThrow(
                        () -> new InvalidInputException(
                                "model: required (a catalog id such as llama-3-8b, see /api/catalog) or config: a config.json"));
        if (id.startsWith(Uploads.PREFIX)) {
            return uploads.get(id)
                    .orElseThrow(() -> new HttpError(
                            410,
                            id + " is not held by the server any more "
                                    + "(it keeps the most recent uploads); send the header to "
                                    + ApiHandler.INSPECT_HEADER
                                    + " again"));
        }
        return hubRepo(id).map(hub).orElseGet(() -> catalog.apply(id));
    }

    private static final String HUB_SCHEME = "hf://";

    /**
     * The model itself when it names a Hub repo, else empty. Only an {@code hf://} argument reaches {@link Heft#open},
     * which reads it as a repo and nothing else (never a path), and refuses it unless the server's Heft allows the Hub.
     * A bare {@code OWNER/NAME} is not taken as a repo here: it is also the shape of a relative path
     * ({@code heft-web/pom.xml}), which a request must never appear to name.
     */
    static Optional<String> hubRepo(String model) {
        return model.regionMatches(true, 0, HUB_SCHEME, 0, HUB_SCHEME.length()) ? Optional.of(model) : Optional.empty();
    }

    static Model catalog(Heft heft, String id) {
        if (id.length() > 200 || !id.matches("[A-Za-z0-9._:+-]+")) {
            // Not even shaped like a catalog id (a path, say): refuse before anything else looks at it.
            throw new InvalidInputException("unknown catalog model '" + shorten(id) + "'; the server resolves "
                    + "catalog ids and inline configs only, never paths (see /api/catalog)");
        }
        try {
            // The catalogs only (LLMs and torchvision networks): never the filesystem.
            return heft.catalogModel(id);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("unknown catalog model: " + e.getMessage(), e);
        }
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
