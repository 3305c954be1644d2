package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft models}: the models on this machine (schema {@value #SCHEMA}): the HF hub cache, the Ollama store, LM
 * Studio's folders, read header-only with no network.
 *
 * @param models              one entry per model (a cached repo revision, an Ollama {@code NAME:TAG}, an LM Studio
 *                            model; a repo or folder of several GGUF files gives one entry per file)
 * @param searched            the folders looked in
 * @param headerCacheCleared  remote headers deleted from heft's cache, with {@code --clear-header-cache}
 */
public record ModelsReport(
        List<Entry> models,
        List<String> searched,
        @OmitWhenEmpty Optional<Integer> headerCacheCleared) implements Report {
    public static final String SCHEMA = "heft.models/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * @param source     {@code hf-cache}, {@code ollama} or {@code lmstudio}
     * @param id         {@code OWNER/NAME} (with {@code @REF} for a revision other than main), {@code NAME:TAG},
     *                   {@code PUBLISHER/NAME} (each with {@code /FILE} when one of several files)
     * @param model      the MODEL string that names it for every command
     * @param path       where its weights are on disk
     * @param format     the weights' format ({@code config} for a cached config.json alone); null when unreadable
     * @param parameters its parameters; null when unreadable
     * @param bytes      bytes on disk of its files
     * @param error      why it could not be read (only then)
     */
    public record Entry(
            String source,
            String id,
            String model,
            String path,
            Optional<String> format,
            Optional<Long> parameters,
            long bytes,
            @OmitWhenEmpty Optional<String> error) {}
}
