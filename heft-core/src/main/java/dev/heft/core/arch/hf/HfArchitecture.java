package dev.heft.core.arch.hf;

import dev.heft.core.arch.ArchitectureCounts;
import java.util.List;

/**
 * What transformers 5 builds from one {@code config.json}: exact counts and the normalised shape.
 *
 * @param modelType                {@code model_type} of the config
 * @param modelClass               the class built (Auto class: causal LM for decoders, base model for encoders unless
 *                                 {@code architectures} names a head): LlamaForCausalLM, BertModel, T5ForConditionalGeneration
 * @param counts                   parameters, tied-twice, buffers, by kind and by torch module class
 * @param shape                    family-independent shape for memory and speed estimates
 * @param checkpointOnlyParameters parameters a published checkpoint holds that the model object does not build
 *                                 (DeepSeek-V3's multi-token-prediction layers); 0 for most families
 * @param accuracy                 exact (a family modelled module by module) or approximate with its stated bound
 * @param parts                    a composite's parts (vision tower, projector, language model...) with their
 *                                 parameters, summing to the total; empty for a single network
 */
public record HfArchitecture(
        String modelType,
        String modelClass,
        ArchitectureCounts counts,
        TransformerShape shape,
        long checkpointOnlyParameters,
        CountAccuracy accuracy,
        List<Part> parts) {
    public HfArchitecture {
        parts = List.copyOf(parts);
    }

    /** An exact count of a single network (every family modelled module by module). */
    public HfArchitecture(
            String modelType,
            String modelClass,
            ArchitectureCounts counts,
            TransformerShape shape,
            long checkpointOnlyParameters) {
        this(modelType, modelClass, counts, shape, checkpointOnlyParameters, CountAccuracy.Exact.INSTANCE, List.of());
    }

    /** One part of a composite model: its module name in transformers and its parameters. */
    public record Part(String name, String role, long parameters) {}

    public boolean exact() {
        return accuracy.exact();
    }

    /** Parameters in a full published checkpoint: the model's plus the ones transformers skips. */
    public long checkpointParameters() {
        return Math.addExact(counts.parameters(), checkpointOnlyParameters);
    }
}
