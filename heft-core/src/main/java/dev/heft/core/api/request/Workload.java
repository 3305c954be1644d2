package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.Optional;

/**
 * What an inference is sized for: how many sequences, how long, which pass, and the runtime. Shared by memory, fit,
 * speed, compress and compare. {@link #defaults()} is batch 1, context 4096, prefill, sdpa, last logits, a bf16 KV cache
 * and the runtime that suits the device.
 *
 * @param batch          sequences processed together
 * @param context        tokens per sequence (prompt plus generated)
 * @param kvDtype        KV cache element type: bf16, fp16, fp32, fp8, q8_0, q4_0
 * @param encoderContext encoder length for encoder-decoder models (Whisper: 1500 frames); the context when absent
 * @param llamaCpp       llama.cpp's own flags, when it is the runtime
 * @param vllm           vLLM's engine arguments, when it is the runtime
 * @param contextDefaulted true when {@code context} is the default rather than asked for: a model built for fewer
 *                       tokens (GPT-2's 1,024, BERT's 512) is then sized at its own limit instead
 */
public record Workload(
        long batch,
        long context,
        Phase phase,
        Attention attention,
        Logits logits,
        String kvDtype,
        Runtime runtime,
        Optional<Long> encoderContext,
        LlamaCppOptions llamaCpp,
        VllmOptions vllm,
        boolean contextDefaulted) {
    /** The largest batch and context heft sizes (beyond any real deployment; keeps every product far from overflow). */
    public static final long MAX_BATCH = 1L << 20;

    public static final long MAX_CONTEXT = 1L << 40;

    public Workload {
        if (batch < 1 || batch > MAX_BATCH) {
            throw new InvalidInputException("batch: " + batch + " is outside 1.." + MAX_BATCH);
        }
        if (context < 1 || context > MAX_CONTEXT) {
            throw new InvalidInputException("context: " + context + " is outside 1.." + MAX_CONTEXT);
        }
        if (encoderContext.isPresent() && (encoderContext.get() < 1 || encoderContext.get() > MAX_CONTEXT)) {
            throw new InvalidInputException(
                    "encoder-context: " + encoderContext.get() + " is outside 1.." + MAX_CONTEXT);
        }
    }

    /** A context that was asked for. */
    public Workload(
            long batch,
            long context,
            Phase phase,
            Attention attention,
            Logits logits,
            String kvDtype,
            Runtime runtime,
            Optional<Long> encoderContext,
            LlamaCppOptions llamaCpp,
            VllmOptions vllm) {
        this(batch, context, phase, attention, logits, kvDtype, runtime, encoderContext, llamaCpp, vllm, false);
    }

    /** With llama.cpp's and vLLM's default settings. */
    public Workload(
            long batch,
            long context,
            Phase phase,
            Attention attention,
            Logits logits,
            String kvDtype,
            Runtime runtime,
            Optional<Long> encoderContext) {
        this(
                batch,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                runtime,
                encoderContext,
                LlamaCppOptions.defaults(),
                VllmOptions.defaults());
    }

    public static Workload defaults() {
        return new Workload(1, 4096, Phase.PREFILL, Attention.SDPA, Logits.LAST, "bf16", Runtime.AUTO, Optional.empty())
                .withDefaultContext(true);
    }

    /** Marks the context as the default (capped at a model's limit) or as asked for. */
    public Workload withDefaultContext(boolean defaulted) {
        return new Workload(
                batch, context, phase, attention, logits, kvDtype, runtime, encoderContext, llamaCpp, vllm, defaulted);
    }

    public Workload withBatch(long b) {
        return new Workload(
                b,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                runtime,
                encoderContext,
                llamaCpp,
                vllm,
                contextDefaulted);
    }

    public Workload withContext(long c) {
        return new Workload(batch, c, phase, attention, logits, kvDtype, runtime, encoderContext, llamaCpp, vllm);
    }

    public Workload withPhase(Phase p) {
        return new Workload(
                batch,
                context,
                p,
                attention,
                logits,
                kvDtype,
                runtime,
                encoderContext,
                llamaCpp,
                vllm,
                contextDefaulted);
    }

    public Workload withAttention(Attention a) {
        return new Workload(
                batch, context, phase, a, logits, kvDtype, runtime, encoderContext, llamaCpp, vllm, contextDefaulted);
    }

    public Workload withLogits(Logits l) {
        return new Workload(
                batch,
                context,
                phase,
                attention,
                l,
                kvDtype,
                runtime,
                encoderContext,
                llamaCpp,
                vllm,
                contextDefaulted);
    }

    public Workload withKvDtype(String kv) {
        return new Workload(
                batch,
                context,
                phase,
                attention,
                logits,
                kv,
                runtime,
                encoderContext,
                llamaCpp,
                vllm,
                contextDefaulted);
    }

    public Workload withRuntime(Runtime r) {
        return new Workload(
                batch, context, phase, attention, logits, kvDtype, r, encoderContext, llamaCpp, vllm, contextDefaulted);
    }

    public Workload withLlamaCpp(LlamaCppOptions l) {
        return new Workload(
                batch, context, phase, attention, logits, kvDtype, runtime, encoderContext, l, vllm, contextDefaulted);
    }

    public Workload withVllm(VllmOptions v) {
        return new Workload(
                batch,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                runtime,
                encoderContext,
                llamaCpp,
                v,
                contextDefaulted);
    }

    public Workload withEncoderContext(long tokens) {
        return new Workload(
                batch,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                runtime,
                Optional.of(tokens),
                llamaCpp,
                vllm,
                contextDefaulted);
    }
}
