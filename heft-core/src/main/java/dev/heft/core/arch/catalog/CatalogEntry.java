package dev.heft.core.arch.catalog;

import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfArchitectures;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.Objects;

/**
 * One well-known model: its published {@code config.json} and where it comes from. The catalog never stores a
 * parameter total; {@link #architecture()} computes it from the config.
 *
 * @param id     simple lowercase id ({@code llama-3-8b}, {@code mixtral-8x7b})
 * @param name   display name
 * @param source Hugging Face repository or paper URL the config was transcribed from
 * @param config the config.json contents as published
 */
public record CatalogEntry(String id, String name, String source, JsonObject config) {
    public CatalogEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(config, "config");
    }

    /** Exact counts and shape, as transformers builds this config. */
    public HfArchitecture architecture() {
        return HfArchitectures.count(config);
    }
}
