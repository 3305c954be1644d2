package dev.heft.core.arch.catalog;

import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfArchitectures;
import dev.heft.core.compress.PublishedPrecision;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * One well-known model: its published {@code config.json} and where it comes from. The catalog never stores a
 * parameter total; {@link #architecture()} computes it from the config.
 *
 * @param id     simple lowercase id ({@code llama-3-8b}, {@code mixtral-8x7b})
 * @param name   display name
 * @param source Hugging Face repository or paper URL the config was transcribed from
 * @param config the config.json contents as published
 * @param published the precision of the published checkpoint when the config cannot say it all (Qwen's FP8 releases
 *                  store BF16 block scales), with the source that shows it; absent when the config says it
 */
public record CatalogEntry(String id, String name, String source, JsonObject config, Optional<Published> published) {
    public CatalogEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(published, "published");
    }

    public CatalogEntry(String id, String name, String source, JsonObject config) {
        this(id, name, source, config, Optional.empty());
    }

    /**
     * A checkpoint's precision stated outside its config.
     *
     * @param precision a precision name ({@code fp8-block128-bf16-scales})
     * @param source    where the published layout can be checked (the repository's safetensors index or headers)
     */
    public record Published(String precision, String source) {
        public Published {
            Objects.requireNonNull(precision, "precision");
            Objects.requireNonNull(source, "source");
        }
    }

    /** The precision the weights are published in: the entry's own statement, else what its config states. */
    public PublishedPrecision publishedPrecision() {
        return published
                .map(p -> PublishedPrecision.named(p.precision(), p.source(), config))
                .orElseGet(() -> PublishedPrecision.of(config));
    }

    /** Exact counts and shape, as transformers builds this config. */
    public HfArchitecture architecture() {
        return HfArchitectures.count(config);
    }
}
