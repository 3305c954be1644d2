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
 * @param exact                    true when the counts are the library's own (a Hugging Face family modelled module by
 *                                 module, a torchvision network); false when approximated, then see {@code approximation}
 * @param approximation            how far an approximated count can be off, measured on held-out ground truth
 * @param parts                    a composite's parts (vision tower, projector, language model) and their parameters
 * @param parametersCountingTiedTwice every parameter name counted, tied embeddings twice
 * @param buffers                  elements of registered buffers (rotary tables, BatchNorm statistics): not parameters
 * @param byClass                  parameters owned directly by each module class
 * @param checkpointOnlyParameters parameters a published checkpoint holds beyond what transformers builds (DeepSeek-V3's
 *                                 multi-token-prediction layer)
 * @param flops                    the FLOP convention and either the per-token figures at the first context or one
 *                                 forward pass of a network
 * @param scaling                  per requested context: how each quantity scales (transformers only)
 * @param tensorList               every weight as transformers names it, with {@code --tensors}
 * @param layers                   a torch.nn network's per-layer table, with {@code --layers}
 * @param maxPositions             the longest sequence the architecture declares ({@code max_position_embeddings},
 *                                 {@code n_positions}, GGUF's {@code context_length}); transformers only, absent when
 *                                 the config declares none
 */
public record EstimateReport(
        String model,
        @OmitWhenEmpty Optional<String> modelType,
        @OmitWhenEmpty Optional<String> modelClass,
        String source,
        boolean exact,
        @OmitWhenEmpty Optional<Approximation> approximation,
        @OmitWhenEmpty Optional<List<Part>> parts,
        long parameters,
        long parametersCountingTiedTwice,
        long buffers,
        long embeddingParameters,
        long nonEmbeddingParameters,
        long biasParameters,
        Map<String, Long> byKind,
        Map<String, Long> byClass,
        @OmitWhenEmpty Optional<Long> checkpointOnlyParameters,
        Flops flops,
        @OmitWhenEmpty Optional<List<ScalingRow>> scaling,
        List<String> notes,
        @OmitWhenEmpty Optional<List<HfTensorEntry>> tensorList,
        @OmitWhenEmpty Optional<Layers> layers,
        @OmitWhenEmpty Optional<Long> maxPositions)
        implements Report {
    public static final String SCHEMA = "heft.estimate/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * An approximated count's error, as its tier of the generic transformer shape made it on transformers' own counts
     * of model types it was not tuned on.
     *
     * @param typicalRelativeErrorBound relative error 9 in 10 held-out configs of the tier stayed within
     * @param worstRelativeErrorSeen    the largest relative error seen in the tier
     */
    public record Approximation(
            String tier, double typicalRelativeErrorBound, double worstRelativeErrorSeen, String basis) {}

    /** One part of a composite: its module name in transformers, what it is, its parameters. */
    public record Part(String name, String role, long parameters) {}

    /**
     * FLOPs as {@code convention} counts them. Transformers fill {@code context} and {@code perToken} (the first row of
     * the scaling table); networks fill the forward pass at {@code input} (absent when no input shape is known).
     */
    public record Flops(
            String convention,
            @OmitWhenEmpty Optional<Long> context,
            @OmitWhenEmpty Optional<ScalingRow> perToken,
            @OmitWhenEmpty Optional<List<Long>> input,
            @OmitWhenEmpty Optional<List<Long>> output,
            @OmitWhenEmpty Optional<Long> total,
            @OmitWhenEmpty Optional<Long> macs,
            @OmitWhenEmpty Optional<Map<String, Long>> byOp,
            @OmitWhenEmpty Optional<List<String>> notes) {}

    /**
     * One context length. Parameters are constant; the KV cache (bf16, batch 1) grows linearly; attention FLOPs per
     * token linearly, so a forward pass over the whole sequence grows quadratically.
     */
    public record ScalingRow(
            long context,
            long parameters,
            long kvCacheBytes,
            long weightFlopsPerToken,
            long attentionFlopsPerToken,
            long flopsPerToken,
            double forwardFlops,
            @OmitWhenEmpty Optional<Long> macsPerToken) {}

    public record HfTensorEntry(
            String name,
            List<Long> shape,
            String kind,
            String moduleClass,
            long parameters,
            @OmitWhenEmpty Optional<String> tiedTo) {}

    /**
     * A torch.nn network's forward pass at {@code input}, one row per module call in call order, as torchinfo 1.8's
     * forward hooks list them.
     *
     * @param activationDtype         the element type the activation bytes are counted in
     * @param torchinfoTotalMultAdds  torchinfo's "Total mult-adds": the leaf rows' {@code torchinfo_mult_adds} summed
     * @param activationPeakBytes     the most activation bytes alive at once in an eval-mode {@code torch.no_grad()}
     *                                forward (the input not counted, the output counted)
     * @param conventions             what each column means
     */
    public record Layers(
            List<Long> input,
            List<LayerRow> rows,
            String activationDtype,
            long torchinfoTotalMultAdds,
            long activationPeakBytes,
            List<String> conventions) {}

    /**
     * One module call.
     *
     * @param depth               0 for the root
     * @param name                the attribute its parent calls it by ({@code conv1}, {@code 0}); the class for the root
     * @param torchClass          {@code type(module).__name__}
     * @param parameters          a leaf's parameters, or what a container registers itself; 0 on a repeated call
     * @param parametersInSubtree torchinfo's {@code num_params}: every parameter under the module
     * @param repeatedCall        the module was called before (torchinfo's "(recursive)")
     * @param flops               FlopCounterMode's count for the call, children included
     * @param activationBytes     the output tensor's bytes (torchinfo's {@code output_bytes})
     * @param torchinfoMultAdds   torchinfo's Mult-Adds for a leaf call (absent on containers)
     */
    public record LayerRow(
            long depth,
            String name,
            @JsonName("class") String torchClass,
            List<Long> outputShape,
            long parameters,
            long parametersInSubtree,
            boolean repeatedCall,
            long flops,
            long activationBytes,
            @OmitWhenEmpty Optional<Long> torchinfoMultAdds) {}
}
