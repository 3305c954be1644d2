package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/** {@code heft catalog}: the built-in models (schema {@value #SCHEMA}). */
public record CatalogReport(List<Entry> models) implements Report {
    public static final String SCHEMA = "heft.catalog/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * @param kind      {@code llm} (a transformers config) or {@code vision} (a torchvision network)
     * @param modelType the transformers model type (language models)
     * @param family    the torchvision family (vision models)
     * @param flops     FLOPs of one forward pass at {@code input} (vision models)
     * @param source    the published config or definition the entry follows
     */
    public record Entry(String id, String name, String kind, @OmitWhenEmpty Optional<String> modelType,
                        @OmitWhenEmpty Optional<String> family, long parameters, @OmitWhenEmpty Optional<Long> flops,
                        @OmitWhenEmpty Optional<List<Long>> input, String source) {
    }
}
