package dev.heft.core.api.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heft estimate}: exact counts and FLOPs from an architecture (schema {@value #SCHEMA}). A transformer carries
 * its model type and class and a context {@code scaling} table; a torch.nn network (torchvision, a layer spec) carries
 * the FLOPs of one forward pass at an input shape instead.
 *
 * @param source                   where the description came from (a config path, a catalog entry's published source)
 * @param parametersCountingTiedTwice every parameter name counted, tied embeddings twice
 * @param buffers                  elements of registered buffers (rotary tables, BatchNorm statistics): not parameters
 * @param byClass                  parameters owned directly by each module class
 * @param checkpointOnlyParameters parameters a published checkpoint holds beyond what transformers builds (DeepSeek-V3's
 *                                 multi-token-prediction layer)
 * @param flops                    the FLOP convention and either the per-token figures at the first context or one
 *                                 forward pass of a network
 * @param scaling                  per requested context: how each quantity scales (transformers only)
 * @param tensorList               every weight as transformers names it, with {@code --tensors}
 * @param maxPositions             the longest sequence the architecture declares ({@code max_position_embeddings},
 *                                 {@code n_positions}, GGUF's {@code context_length}); transformers only, absent when
 *                                 the config declares none
 */
public record EstimateReport(String model, @OmitWhenEmpty Optional<String> modelType,
                             @OmitWhenEmpty Optional<String> modelClass, String source, long parameters,
                             long parametersCountingTiedTwice, long buffers, long embeddingParameters,
                             long nonEmbeddingParameters, long biasParameters, Map<String, Long> byKind,
                             Map<String, Long> byClass, @OmitWhenEmpty Optional<Long> checkpointOnlyParameters,
                             Flops flops, @OmitWhenEmpty Optional<List<ScalingRow>> scaling, List<String> notes,
                             @OmitWhenEmpty Optional<List<HfTensorEntry>> tensorList,
                             @OmitWhenEmpty Optional<Long> maxPositions) implements Report {
    public static final String SCHEMA = "heft.estimate/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * FLOPs as {@code convention} counts them. Transformers fill {@code context} and {@code perToken} (the first row of
     * the scaling table); networks fill the forward pass at {@code input} (absent when no input shape is known).
     */
    public record Flops(String convention, @OmitWhenEmpty Optional<Long> context,
                        @OmitWhenEmpty Optional<ScalingRow> perToken, @OmitWhenEmpty Optional<List<Long>> input,
                        @OmitWhenEmpty Optional<List<Long>> output, @OmitWhenEmpty Optional<Long> total,
                        @OmitWhenEmpty Optional<Long> macs, @OmitWhenEmpty Optional<Map<String, Long>> byOp,
                        @OmitWhenEmpty Optional<List<String>> notes) {
    }

    /**
     * One context length. Parameters are constant; the KV cache (bf16, batch 1) grows linearly; attention FLOPs per
     * token linearly, so a forward pass over the whole sequence grows quadratically.
     */
    public record ScalingRow(long context, long parameters, long kvCacheBytes, long weightFlopsPerToken,
                             long attentionFlopsPerToken, long flopsPerToken, double forwardFlops,
                             @OmitWhenEmpty Optional<Long> macsPerToken) {
    }

    public record HfTensorEntry(String name, List<Long> shape, String kind, String moduleClass, long parameters,
                                @OmitWhenEmpty Optional<String> tiedTo) {
    }
}
