package dev.heft.core.model;

import java.util.Optional;

/**
 * Where stored weights were found when the MODEL argument was not simply a path: a Hub repo read over HTTP, the same
 * repo found in the HF cache, an https:// file, an Ollama model. {@code --json} output carries it as {@code source}
 * (with {@code transferred_bytes}) so a script can tell which commit it was looking at and what it cost.
 *
 * @param kind             where the bytes came from
 * @param id               the repo ({@code OWNER/NAME}), the URL, or the Ollama {@code NAME:TAG}
 * @param revision         the revision asked for (Hub and HF cache)
 * @param commit           the commit it resolved to: {@code X-Repo-Commit} over HTTP, the snapshot in the HF cache;
 *                         for Ollama the model layer's digest, the content it names
 * @param location         the endpoint, the cache snapshot folder, or the Ollama blob
 * @param transferredBytes response body bytes received (0 when nothing went over the network)
 * @param requests         HTTP requests sent (0 when none)
 */
public record ModelSource(
        Kind kind,
        String id,
        Optional<String> revision,
        Optional<String> commit,
        Optional<String> location,
        long transferredBytes,
        int requests) {

    public enum Kind {
        HUB("hf"),
        HUB_CACHE("hf-cache"),
        URL("url"),
        OLLAMA("ollama");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }
}
