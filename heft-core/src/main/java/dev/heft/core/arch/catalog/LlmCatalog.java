package dev.heft.core.arch.catalog;

import dev.heft.core.error.HeftException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.Suggestions;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Published configs of widely used LLMs and encoders, embedded as resources under {@code dev/heft/catalog/llm/}
 * ({@code index.txt} names the files, each a JSON array of {id, name, source, config}). Loaded once, on first use.
 */
public final class LlmCatalog {
    private static final String ROOT = "/dev/heft/catalog/llm/";

    private LlmCatalog() {}

    /** Lazy holder: the resources are parsed the first time the catalog is used, once per JVM. */
    private static final class Holder {
        static final Map<String, CatalogEntry> ENTRIES = load();
    }

    /** Every entry, in catalog order. */
    public static List<CatalogEntry> all() {
        return List.copyOf(Holder.ENTRIES.values());
    }

    /** The entry with this id (case-insensitive), if any. */
    public static Optional<CatalogEntry> lookup(String id) {
        return Optional.ofNullable(Holder.ENTRIES.get(id.toLowerCase(Locale.ROOT)));
    }

    /**
     * The entry with this id (case-insensitive).
     *
     * @throws InvalidInputException naming the closest ids ("did you mean ...") when there is none
     */
    public static CatalogEntry find(String id) {
        return lookup(id)
                .orElseThrow(() -> new InvalidInputException("unknown model '" + id + "' in the catalog"
                        + suggestion(id) + " (" + Holder.ENTRIES.size() + " models; list them with LlmCatalog.all())"));
    }

    private static String suggestion(String id) {
        List<String> close = Suggestions.closest(id, Holder.ENTRIES.keySet(), 3);
        return close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?";
    }

    private static Map<String, CatalogEntry> load() {
        Map<String, CatalogEntry> out = new LinkedHashMap<>();
        for (String file : resourceText("index.txt")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList()) {
            JsonValue parsed = Json.parse(resourceText(file).getBytes(StandardCharsets.UTF_8));
            if (!(parsed instanceof JsonArray array)) {
                throw new HeftException("catalog resource " + file + ": expected a JSON array of entries");
            }
            for (JsonValue v : array.elements()) {
                JsonObject o = v.asObject("catalog resource " + file);
                String id = o.getString("id", null);
                Optional<CatalogEntry.Published> published = o.getObject("published")
                        .map(p -> new CatalogEntry.Published(
                                p.getString("precision", null), p.getString("source", null)));
                CatalogEntry e = new CatalogEntry(
                        id,
                        o.getString("name", null),
                        o.getString("source", null),
                        o.getObject("config")
                                .orElseThrow(() ->
                                        new HeftException("catalog " + file + ": entry '" + id + "' has no config")),
                        published);
                if (out.put(id.toLowerCase(Locale.ROOT), e) != null) {
                    throw new HeftException("catalog resource " + file + ": duplicate id '" + id + "'");
                }
            }
        }
        return out;
    }

    private static String resourceText(String name) {
        try (InputStream in = LlmCatalog.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new HeftException("catalog resource missing from the classpath: " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entry a described model came from: the one with this id whose published source is {@code source}
     * (a student or pruned derivative carries another label and is described by its own config alone).
     */
    public static Optional<CatalogEntry> entryFor(String id, String source) {
        return lookup(id).filter(e -> e.source().equals(source));
    }

    /** Ids in catalog order (for listings and completion). */
    public static List<String> ids() {
        return new ArrayList<>(Holder.ENTRIES.keySet());
    }
}
