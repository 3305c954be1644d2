package dev.heft.core.model;

import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.tensor.TensorInventory;

/**
 * What a MODEL argument turned out to be. Every command accepts the same kinds of argument (a file, a directory, a
 * config.json, a catalog name); {@link ModelResolver} decides which, in one place.
 */
public sealed interface ResolvedModel permits ResolvedModel.Stored, ResolvedModel.Described {

    /** A short label for headings and JSON ({@code model} key): the path or catalog id as the user gave it. */
    String label();

    /** Real weights on disk, read header-only into an inventory. */
    record Stored(String label, TensorInventory inventory) implements ResolvedModel {
    }

    /**
     * An architecture description: a Hugging Face config.json or a catalog entry, counted analytically.
     *
     * @param source where the description comes from (the config's path, or the catalog entry's published source)
     */
    record Described(String label, HfArchitecture architecture, String source) implements ResolvedModel {
    }
}
