package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft catalog}: the built-in models (schema {@value #SCHEMA}); with {@code --families}, instead, the Hugging
 * Face model types counted exactly and the tiers every other one is approximated in.
 */
public record CatalogReport(
        List<Entry> models, @OmitWhenEmpty Optional<Families> families) implements Report {
    public static final String SCHEMA = "heft.catalog/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * @param exact       the model types counted module by module, as transformers builds them
     * @param approximate every other model type: the tiers of the generic transformer shape, with their errors
     */
    public record Families(List<String> exact, Approximate approximate) {}

    /** @param basis how the errors were measured */
    public record Approximate(String families, List<Tier> tiers, String basis) {}

    /**
     * @param typicalRelativeErrorBound relative error 9 in 10 held-out configs of the tier stayed within
     * @param worstRelativeErrorSeen    the largest relative error seen in the tier
     */
    public record Tier(String tier, double typicalRelativeErrorBound, double worstRelativeErrorSeen) {}

    /**
     * @param kind      {@code llm} (a transformers config) or {@code vision} (a torchvision network)
     * @param modelType the transformers model type (language models)
     * @param family    the torchvision family (vision models)
     * @param flops     FLOPs of one forward pass at {@code input} (vision models)
     * @param source    the published config or definition the entry follows
     */
    public record Entry(
            String id,
            String name,
            String kind,
            @OmitWhenEmpty Optional<String> modelType,
            @OmitWhenEmpty Optional<String> family,
            long parameters,
            @OmitWhenEmpty Optional<Long> flops,
            @OmitWhenEmpty Optional<List<Long>> input,
            String source) {}
}
