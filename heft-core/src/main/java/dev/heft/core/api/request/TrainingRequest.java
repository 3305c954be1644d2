package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.Optional;

/**
 * {@code heft memory --train}.
 *
 * @param batch         micro-batch sequences
 * @param context       tokens per sequence
 * @param checkpointing gradient checkpointing per layer
 * @param zero          ZeRO stage 0-3 (3 = FSDP full shard)
 * @param gpus          GPUs the ZeRO states are sharded over
 * @param offload       optimizer states in CPU memory
 * @param loraRank      LoRA rank (0: full fine-tuning)
 * @param qlora         LoRA over an NF4 base; needs a rank
 * @param time          how long a token budget takes on some devices, when asked
 */
public record TrainingRequest(
        long batch,
        long context,
        Optimizer optimizer,
        Recipe recipe,
        boolean checkpointing,
        int zero,
        int gpus,
        boolean offload,
        int loraRank,
        boolean qlora,
        Runtime runtime,
        Optional<TrainingTimeRequest> time) {
    public TrainingRequest {
        if (batch < 1 || batch > Workload.MAX_BATCH) {
            throw new InvalidInputException("batch: " + batch + " is outside 1.." + Workload.MAX_BATCH);
        }
        if (context < 1 || context > Workload.MAX_CONTEXT) {
            throw new InvalidInputException("context: " + context + " is outside 1.." + Workload.MAX_CONTEXT);
        }
        if (zero < 0 || zero > 3) {
            throw new InvalidInputException("zero: the ZeRO stage is 0, 1, 2 or 3, got " + zero);
        }
        if (gpus < 1 || gpus > 65_536) {
            throw new InvalidInputException("gpus: " + gpus + " is outside 1..65536");
        }
        if (loraRank < 0 || loraRank > 65_536) {
            throw new InvalidInputException("lora: rank " + loraRank + " is outside 0..65536");
        }
        if (qlora && loraRank == 0) {
            throw new InvalidInputException(
                    "qlora: QLoRA trains LoRA adapters over an NF4 base; give their rank " + "with --lora");
        }
    }

    public TrainingRequest(
            long batch,
            long context,
            Optimizer optimizer,
            Recipe recipe,
            boolean checkpointing,
            int zero,
            int gpus,
            boolean offload,
            int loraRank,
            boolean qlora,
            Runtime runtime) {
        this(
                batch,
                context,
                optimizer,
                recipe,
                checkpointing,
                zero,
                gpus,
                offload,
                loraRank,
                qlora,
                runtime,
                Optional.empty());
    }

    public static TrainingRequest defaults() {
        return new TrainingRequest(1, 4096, Optimizer.ADAMW, Recipe.MIXED, false, 0, 1, false, 0, false, Runtime.AUTO);
    }

    public TrainingRequest withContext(long c) {
        return new TrainingRequest(
                batch, c, optimizer, recipe, checkpointing, zero, gpus, offload, loraRank, qlora, runtime, time);
    }

    public TrainingRequest withLora(int rank, boolean q) {
        return new TrainingRequest(
                batch, context, optimizer, recipe, checkpointing, zero, gpus, offload, rank, q, runtime, time);
    }

    public TrainingRequest withTime(TrainingTimeRequest t) {
        return new TrainingRequest(
                batch,
                context,
                optimizer,
                recipe,
                checkpointing,
                zero,
                gpus,
                offload,
                loraRank,
                qlora,
                runtime,
                Optional.of(t));
    }
}
