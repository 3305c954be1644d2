package dev.heft.core.memory;

import dev.heft.core.error.InvalidInputException;
import java.util.Locale;

/**
 * What a training estimate assumes.
 *
 * @param batch          micro-batch (sequences per step per GPU)
 * @param sequence       tokens per sequence
 * @param optimizer      AdamW, 8-bit Adam, SGD with momentum, Adafactor
 * @param recipe         precision recipe
 * @param checkpointing  gradient (activation) checkpointing per layer
 * @param zero           ZeRO stage 0-3 (3 = FSDP full shard)
 * @param gpus           data-parallel GPUs the states are sharded over
 * @param cpuOffload     optimizer states (and fp32 master weights) live in CPU memory
 * @param loraRank       0 for full fine-tuning; otherwise LoRA rank on the attention and MLP projections
 * @param qlora          LoRA over an NF4-quantized frozen base (QLoRA)
 */
public record TrainingOptions(
        long batch,
        long sequence,
        Optimizer optimizer,
        Recipe recipe,
        boolean checkpointing,
        int zero,
        int gpus,
        boolean cpuOffload,
        int loraRank,
        boolean qlora) {
    public TrainingOptions {
        if (batch < 1 || sequence < 1) {
            throw new InvalidInputException("--batch and --context must be at least 1");
        }
        if (zero < 0 || zero > 3) {
            throw new InvalidInputException("--zero must be 0, 1, 2 or 3, got " + zero);
        }
        if (gpus < 1) {
            throw new InvalidInputException("--gpus must be at least 1, got " + gpus);
        }
        if (loraRank < 0) {
            throw new InvalidInputException("--lora must be a positive rank");
        }
        if (qlora && loraRank == 0) {
            throw new InvalidInputException("--qlora needs --lora RANK");
        }
    }

    public enum Optimizer {
        ADAMW,
        ADAM8BIT,
        SGD,
        ADAFACTOR;

        public static Optimizer parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
                case "adamw", "adam" -> ADAMW;
                case "adam8bit", "adamw8bit", "bnbadam8bit" -> ADAM8BIT;
                case "sgd", "sgdm", "momentum" -> SGD;
                case "adafactor" -> ADAFACTOR;
                default ->
                    throw new InvalidInputException(
                            "unknown optimizer '" + s + "' (known: adamw, adam8bit, sgd, adafactor)");
            };
        }
    }

    /**
     * Precision recipes: bytes per parameter for the weights the optimizer updates, the gradients, and each optimizer
     * state value, and whether a 16-bit copy of the weights exists for the matmuls.
     */
    public enum Recipe {
        /** Everything in bf16: weights, gradients and optimizer states (what pure-bf16 trainers do). */
        BF16(2, 2, 2, 0, 2),
        /** fp32 master weights, gradients and states; bf16 autocast keeps a bf16 copy of each matmul weight. */
        MIXED(4, 4, 4, 2, 2),
        /** fp16 weights and gradients with an fp32 master copy and fp32 states (apex O2 / DeepSpeed fp16). */
        FP16_MIXED(2, 2, 4, 4, 2),
        /** Everything in fp32. */
        FP32(4, 4, 4, 0, 4);

        final int weightBytes;
        final int gradientBytes;
        final int stateBytes;
        final int extraCopyBytes;
        final int activationBytes;

        Recipe(int weightBytes, int gradientBytes, int stateBytes, int extraCopyBytes, int activationBytes) {
            this.weightBytes = weightBytes;
            this.gradientBytes = gradientBytes;
            this.stateBytes = stateBytes;
            this.extraCopyBytes = extraCopyBytes;
            this.activationBytes = activationBytes;
        }

        public static Recipe parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "bf16", "pure-bf16" -> BF16;
                case "mixed", "amp", "bf16-mixed" -> MIXED;
                case "fp16-mixed", "fp16" -> FP16_MIXED;
                case "fp32" -> FP32;
                default ->
                    throw new InvalidInputException(
                            "unknown recipe '" + s + "' (known: bf16, mixed, fp16-mixed, fp32)");
            };
        }
    }
}
