package dev.heft.core.memory;

import dev.heft.core.api.request.Recipe;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long training takes on a set of devices: {@code tokens/s = devices x peak bf16 FLOP/s x MFU / FLOPs per token}.
 *
 * <p>FLOPs per token (Kaplan et al. 2020, "Scaling Laws", section 2.1; Chinchilla appendix F): forward 2 x N, backward
 * 4 x N for the N weights a token multiplies (MoE: the active ones), plus attention: 3 x the forward score and value
 * products at the mean causal context (sequence / 2). LoRA/QLoRA: the frozen base still runs forward (2N) and passes
 * gradients to the activations (2N) but computes no weight gradients; the adapters cost 6 x their parameters.
 * MFU (model FLOPs utilisation) is an assumption, stated: 0.40 for full fine-tuning in bf16 (well-tuned FSDP/Megatron
 * runs report 35-45% on H100), lower for LoRA/QLoRA where small adapter kernels and, for QLoRA, dequantizing the NF4
 * base cost time without FLOPs.
 */
public record TrainingTime(
        long tokens,
        long tokensPerStep,
        double flopsPerToken,
        double peakFlops,
        double mfu,
        double tokensPerSecond,
        double hours,
        List<String> assumptions) {
    public TrainingTime {
        assumptions = List.copyOf(assumptions);
    }

    public static double defaultMfu(TrainingOptions o) {
        return o.loraRank() == 0 ? 0.40 : o.qlora() ? 0.25 : 0.30;
    }

    /**
     * @param devices the devices training runs on (N x a device for data parallelism)
     * @param mfu     model FLOPs utilisation, 0 to take {@link #defaultMfu}
     */
    public static TrainingTime of(
            TransformerShape s, long parameters, TrainingOptions o, Device devices, long tokens, double mfu) {
        if (tokens < 1) {
            throw new InvalidInputException("--tokens must be at least 1");
        }
        double u = mfu > 0 ? mfu : defaultMfu(o);
        if (u > 1) {
            throw new InvalidInputException("--mfu must be in (0, 1], got " + u);
        }
        long n = s.matmulParametersPerToken() > 0 ? s.matmulParametersPerToken() : parameters;
        long attention = s.flopsPerToken(Math.max(1, o.sequence() / 2)).attentionFlops();
        double perToken;
        List<String> assumptions = new ArrayList<>();
        if (o.loraRank() > 0) {
            long adapters = TrainingMemory.loraParameters(s, o.loraRank());
            perToken = 4.0 * n + 6.0 * adapters + 3.0 * attention;
            assumptions.add(String.format(
                    Locale.ROOT,
                    "LoRA r=%d: 4 x %,d frozen weights (forward + activation "
                            + "gradients) + 6 x %,d adapter parameters + 3 x attention",
                    o.loraRank(),
                    n,
                    adapters));
        } else {
            perToken = 6.0 * n + 3.0 * attention;
            assumptions.add(String.format(
                    Locale.ROOT,
                    "6 x %,d weights a token multiplies + 3 x attention at the mean " + "context of %d",
                    n,
                    Math.max(1, o.sequence() / 2)));
        }
        String key = o.recipe() == Recipe.FP32 ? "tf32" : "bf16";
        double peak = devices.peakFlopsFor(key);
        if (peak <= 0) {
            throw new InvalidInputException(devices.id() + ": no " + key + " peak throughput known");
        }
        double tps = peak * u / perToken;
        assumptions.add(String.format(
                Locale.ROOT,
                "MFU %.2f of %s's peak dense %s %.0f TFLOP/s (an assumption: "
                        + "measured runs vary with model size, sequence length and parallelism)",
                u,
                devices.id(),
                key,
                peak / 1e12));
        return new TrainingTime(
                tokens, o.batch() * o.sequence(), perToken, peak, u, tps, tokens / tps / 3600.0, assumptions);
    }
}
