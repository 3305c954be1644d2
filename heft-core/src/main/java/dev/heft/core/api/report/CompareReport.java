package dev.heft.core.api.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heft compare A B ...}: one column per model at one batch and context (schema {@value #SCHEMA}).
 *
 * @param kvDtype the KV cache type of {@code kv_cache_bytes_per_token}
 */
public record CompareReport(long context, long batch, List<Column> models, String kvDtype) implements Report {
    public static final String SCHEMA = "heft.compare/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * @param kvCacheBytesPerToken KV cache bytes per token (absent for models that keep none)
     * @param flopsPerToken        FLOPs per token at the context (absent when the shape is unknown)
     * @param memoryBytes          inference memory at the report's batch and context
     */
    public record Column(
            String model,
            long parameters,
            long nonEmbeddingParameters,
            Map<String, Long> byKind,
            String dtype,
            long weightsBytes,
            Optional<Long> kvCacheBytesPerToken,
            Optional<Long> flopsPerToken,
            long memoryBytes) {}
}
