package dev.heft.core.arch.hf;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.ParameterTally;
import dev.heft.core.classify.LayerKind;

/**
 * Adds whole torch modules ({@code nn.Linear}, {@code nn.Embedding}, norms) to a {@link ParameterTally} by their
 * constructor arguments, and keeps the per-token matmul weight count the FLOP estimate needs. Pure arithmetic: no
 * tensor is materialised, so a configuration is counted in well under a microsecond.
 *
 * <p>Every method takes a {@code times} multiplier so a stack of identical layers is added once, not per layer.
 */
final class ModuleTally {
    static final String LINEAR = "Linear";
    static final String EMBEDDING = "Embedding";
    static final String LAYER_NORM = "LayerNorm";

    private final ParameterTally tally = new ParameterTally();
    /** Weights of every matrix product one token runs through (dense layers, lm_head, ACTIVE experts only). */
    private long matmulPerToken;

    /** {@code nn.Linear(in, out, bias)}: weight (out, in), bias (out). Runs once per token. */
    ModuleTally linear(LayerKind kind, long times, long in, long out, boolean bias) {
        return linear(kind, LINEAR, times, in, out, bias);
    }

    /** A linear layer owned by a module of another class (GPT-2's {@code Conv1D}, a router with its own class). */
    ModuleTally linear(LayerKind kind, String moduleClass, long times, long in, long out, boolean bias) {
        long w = mul(times, mul(in, out));
        tally.weight(kind, moduleClass, w);
        matmulPerToken = Math.addExact(matmulPerToken, w);
        if (bias) {
            tally.bias(kind, moduleClass, mul(times, out));
        }
        return this;
    }

    /** An embedding table (rows x dim): a lookup, not a matmul. */
    ModuleTally embedding(String moduleClass, long times, long rows, long dim) {
        tally.weight(LayerKind.EMBEDDING, moduleClass, mul(times, mul(rows, dim)));
        return this;
    }

    /** A norm with a weight of {@code size} and, for LayerNorm, a bias of the same size. */
    ModuleTally norm(String moduleClass, long times, long size, boolean bias) {
        tally.weight(LayerKind.NORM, moduleClass, mul(times, size));
        if (bias) {
            tally.bias(LayerKind.NORM, moduleClass, mul(times, size));
        }
        return this;
    }

    /** A raw parameter (A_log, cls token, attention sinks) owned directly by {@code moduleClass}. */
    ModuleTally parameter(LayerKind kind, String moduleClass, long count) {
        tally.weight(kind, moduleClass, count);
        return this;
    }

    /** A bias parameter owned directly by {@code moduleClass} (an expert's stacked biases, an MLM head's bias). */
    ModuleTally biasParameter(LayerKind kind, String moduleClass, long count) {
        tally.bias(kind, moduleClass, count);
        return this;
    }

    /**
     * Stacked MoE expert weights ({@code gate_up_proj} (E, 2I, H) and {@code down_proj} (E, H, I) in transformers 5):
     * {@code total} parameters stored, {@code activePerToken} of them used by one token.
     */
    ModuleTally experts(String moduleClass, long total, long activePerToken) {
        tally.weight(LayerKind.EXPERTS, moduleClass, total);
        matmulPerToken = Math.addExact(matmulPerToken, activePerToken);
        return this;
    }

    /** A convolution: weight and optional bias; {@code matmulWeights} of it count per token (0 for a stem that runs per frame). */
    ModuleTally conv(String moduleClass, long times, long weight, long bias, long matmulWeights) {
        tally.weight(LayerKind.CONV, moduleClass, mul(times, weight));
        if (bias > 0) {
            tally.bias(LayerKind.CONV, moduleClass, mul(times, bias));
        }
        matmulPerToken = Math.addExact(matmulPerToken, matmulWeights);
        return this;
    }

    /** A matmul whose weight is shared with one already counted (tied lm_head): runs per token, counted once. */
    ModuleTally tiedHead(long rows, long dim) {
        long w = mul(rows, dim);
        tally.tied(w);
        matmulPerToken = Math.addExact(matmulPerToken, w);
        return this;
    }

    /** Another name for an already counted weight (T5's encoder.embed_tokens is {@code shared}): no matmul. */
    ModuleTally alias(long count) {
        tally.tied(count);
        return this;
    }

    /** Matmul work of weights counted once but run again (ALBERT's shared layers). */
    ModuleTally extraMatmul(long weights) {
        matmulPerToken = Math.addExact(matmulPerToken, weights);
        return this;
    }

    /** A whole counted sub-model (a composite's language model) with the weights one of its tokens multiplies. */
    ModuleTally merge(ArchitectureCounts counts, long matmulWeightsPerToken) {
        tally.merge(counts);
        matmulPerToken = Math.addExact(matmulPerToken, matmulWeightsPerToken);
        return this;
    }

    ModuleTally buffer(long count) {
        tally.buffer(count);
        return this;
    }

    ModuleTally note(String note) {
        tally.note(note);
        return this;
    }

    long matmulPerToken() {
        return matmulPerToken;
    }

    long parameters() {
        return tally.parameters();
    }

    ArchitectureCounts build() {
        return tally.build();
    }

    static long mul(long a, long b) {
        return Math.multiplyExact(a, b);
    }

    /** {@code inv_freq} and {@code original_inv_freq} (transformers 5 registers both) for a rotary dimension. */
    static long rotaryBuffers(long rotaryDim) {
        // torch.arange(0, dim, 2) has ceil(dim / 2) elements
        return 2 * ((rotaryDim + 1) / 2);
    }
}
