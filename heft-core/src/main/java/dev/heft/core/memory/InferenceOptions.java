package dev.heft.core.memory;

import dev.heft.core.api.request.Attention;
import dev.heft.core.api.request.Logits;
import dev.heft.core.api.request.Phase;
import dev.heft.core.api.request.Runtime;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;

/**
 * What an inference estimate assumes. Flag names on the CLI and keys in the HTTP API are the lower-case forms.
 *
 * @param batch            sequences processed together
 * @param context          tokens per sequence (prompt plus generated)
 * @param phase            prefill (the whole prompt in one pass) or decode (one new token per sequence)
 * @param attention        eager materialises batch x heads x query x key scores; sdpa and flash do not
 * @param logits           all positions or only the last (generation keeps only the last)
 * @param kvDtype          KV-cache element type
 * @param activationBytes  bytes per activation value (2 for bf16/fp16 compute, 4 for fp32)
 * @param encoderContext   encoder length for encoder-decoder models (Whisper: 1500 frames)
 * @param generative       false for encoder-only models, which keep no KV cache
 * @param runtime          which runtime to model (AUTO: by the model's format and the device)
 * @param llamaCpp         llama.cpp's flags, used when the runtime is llama.cpp
 * @param vllm             vLLM's engine arguments, used when the runtime is vLLM
 */
public record InferenceOptions(
        long batch,
        long context,
        Phase phase,
        Attention attention,
        Logits logits,
        DType kvDtype,
        int activationBytes,
        long encoderContext,
        boolean generative,
        Runtime runtime,
        LlamaCppSettings llamaCpp,
        VllmSettings vllm) {
    public InferenceOptions {
        java.util.Objects.requireNonNull(llamaCpp, "llamaCpp");
        java.util.Objects.requireNonNull(vllm, "vllm");
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1, got " + batch);
        }
        if (context < 1) {
            throw new InvalidInputException("--context must be at least 1, got " + context);
        }
    }

    /** With llama.cpp's and vLLM's default settings. */
    public InferenceOptions(
            long batch,
            long context,
            Phase phase,
            Attention attention,
            Logits logits,
            DType kvDtype,
            int activationBytes,
            long encoderContext,
            boolean generative,
            Runtime runtime) {
        this(
                batch,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                activationBytes,
                encoderContext,
                generative,
                runtime,
                LlamaCppSettings.defaults(),
                VllmSettings.defaults());
    }

    /** sdpa, bf16, runtime AUTO (chosen by the model and the device). */
    public static InferenceOptions defaults(long batch, long context) {
        return new InferenceOptions(
                batch, context, Phase.PREFILL, Attention.SDPA, Logits.LAST, DType.BF16, 2, context, true, Runtime.AUTO);
    }

    public InferenceOptions withContext(long c) {
        return new InferenceOptions(
                batch,
                c,
                phase,
                attention,
                logits,
                kvDtype,
                activationBytes,
                encoderContext == context ? c : encoderContext,
                generative,
                runtime,
                llamaCpp,
                vllm);
    }

    public InferenceOptions withRuntime(Runtime r) {
        return new InferenceOptions(
                batch,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                activationBytes,
                encoderContext,
                generative,
                r,
                llamaCpp,
                vllm);
    }

    public InferenceOptions withBatch(long b) {
        return new InferenceOptions(
                b,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                activationBytes,
                encoderContext,
                generative,
                runtime,
                llamaCpp,
                vllm);
    }

    public InferenceOptions withGenerative(boolean g) {
        return new InferenceOptions(
                batch,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                activationBytes,
                encoderContext,
                g,
                runtime,
                llamaCpp,
                vllm);
    }

    public InferenceOptions withLlamaCpp(LlamaCppSettings s) {
        return new InferenceOptions(
                batch,
                context,
                phase,
                attention,
                logits,
                kvDtype,
                activationBytes,
                encoderContext,
                generative,
                runtime,
                s,
                vllm);
    }
}
