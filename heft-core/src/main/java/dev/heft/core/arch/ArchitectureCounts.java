package dev.heft.core.arch;

import dev.heft.core.classify.LayerKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact counts an analytic architecture model computes (no tensors are materialised: the analytic path is arithmetic).
 *
 * @param parameters                  unique parameters, tied weights once ({@code sum(p.numel() for p in model.parameters())})
 * @param parametersCountingTiedTwice the same counting every name (tied embeddings twice)
 * @param buffers                     elements in registered buffers (BatchNorm running stats and counters, rotary tables)
 * @param byKind                      parameters per layer kind (sums to {@code parameters})
 * @param byClass                     parameters owned directly by each torch module class (Linear, Embedding, LlamaRMSNorm...)
 * @param embeddingParameters         parameters in embedding tables (token, position, type)
 * @param biasParameters              parameters in biases (also inside their kinds)
 * @param notes                       facts a user should see (tied head, weights a checkpoint holds that the model does not build)
 */
public record ArchitectureCounts(
        long parameters,
        long parametersCountingTiedTwice,
        long buffers,
        Map<LayerKind, Long> byKind,
        Map<String, Long> byClass,
        long embeddingParameters,
        long biasParameters,
        List<String> notes) {
    public ArchitectureCounts {
        byKind = Collections.unmodifiableMap(new EnumMap<>(byKind.isEmpty() ? new EnumMap<>(LayerKind.class) : byKind));
        byClass = Collections.unmodifiableMap(new LinkedHashMap<>(byClass));
        notes = List.copyOf(notes);
    }

    public long nonEmbeddingParameters() {
        return parameters - embeddingParameters;
    }
}
