package dev.heft.core.arch;

import dev.heft.core.classify.LayerKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates parameters by kind and by module class while an analytic model walks its layers; overflow-checked.
 * One tally per architecture; {@link #build()} freezes it into {@link ArchitectureCounts}.
 */
public final class ParameterTally {
    private long parameters;
    private long tiedExtra;
    private long buffers;
    private long embedding;
    private long bias;
    private final Map<LayerKind, Long> byKind = new EnumMap<>(LayerKind.class);
    private final Map<String, Long> byClass = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** Adds a weight (not a bias) of {@code count} parameters owned by a module of class {@code moduleClass}. */
    public ParameterTally weight(LayerKind kind, String moduleClass, long count) {
        return add(kind, moduleClass, count, false);
    }

    /** Adds a bias of {@code count} parameters (counted in its kind and in the bias total). */
    public ParameterTally bias(LayerKind kind, String moduleClass, long count) {
        return add(kind, moduleClass, count, true);
    }

    public ParameterTally add(LayerKind kind, String moduleClass, long count, boolean isBias) {
        if (count < 0) {
            throw new IllegalArgumentException("negative parameter count for " + moduleClass);
        }
        if (count == 0) {
            return this;
        }
        parameters = Math.addExact(parameters, count);
        byKind.merge(kind, count, Math::addExact);
        byClass.merge(moduleClass, count, Math::addExact);
        if (kind == LayerKind.EMBEDDING) {
            embedding = Math.addExact(embedding, count);
        }
        if (isBias) {
            bias = Math.addExact(bias, count);
        }
        return this;
    }

    /** A weight shared with one already counted (a tied lm_head): counted only in "counting tied twice". */
    public ParameterTally tied(long count) {
        tiedExtra = Math.addExact(tiedExtra, count);
        return this;
    }

    /** Adds everything another architecture counted (a composite's language model inside its tally). */
    public ParameterTally merge(ArchitectureCounts other) {
        parameters = Math.addExact(parameters, other.parameters());
        tiedExtra = Math.addExact(tiedExtra, other.parametersCountingTiedTwice() - other.parameters());
        buffers = Math.addExact(buffers, other.buffers());
        embedding = Math.addExact(embedding, other.embeddingParameters());
        bias = Math.addExact(bias, other.biasParameters());
        other.byKind().forEach((k, v) -> byKind.merge(k, v, Math::addExact));
        other.byClass().forEach((k, v) -> byClass.merge(k, v, Math::addExact));
        notes.addAll(other.notes());
        return this;
    }

    public ParameterTally buffer(long count) {
        buffers = Math.addExact(buffers, count);
        return this;
    }

    public ParameterTally note(String note) {
        notes.add(note);
        return this;
    }

    public long parameters() {
        return parameters;
    }

    public ArchitectureCounts build() {
        return new ArchitectureCounts(
                parameters, Math.addExact(parameters, tiedExtra), buffers, byKind, byClass, embedding, bias, notes);
    }
}
