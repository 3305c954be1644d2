package dev.heft.core.memory;

import dev.heft.core.api.request.Optimizer;
import dev.heft.core.api.request.Recipe;
import dev.heft.core.error.InvalidInputException;

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
}
