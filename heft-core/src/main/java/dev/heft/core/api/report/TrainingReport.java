package dev.heft.core.api.report;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft memory --train} (schema {@value #SCHEMA}, the same as inference; {@code train} is {@code true}):
 * weights, gradients, optimizer states, autocast copies, the activations saved for the backward pass and the loss's
 * logits, each with its formula, and the peak of what coexists.
 *
 * @param train    always {@code true}: tells a training estimate from an inference one in the shared schema
 * @param recipe   {@code mixed} (fp32 master weights + bf16 autocast), {@code bf16}, {@code fp16-mixed}, {@code fp32}
 * @param context  tokens per sequence in the micro-batch
 * @param zero     ZeRO stage (0: none)
 * @param gpus     GPUs the ZeRO states are sharded over
 * @param loraRank LoRA rank (0: full fine-tuning)
 * @param peakBytes what coexists at the worst moment (less than the total: gradients grow as activations are freed)
 * @param trainingTime how long the token budget takes on each device setup, with {@code --devices}
 */
public record TrainingReport(
        String model,
        long parameters,
        boolean train,
        String optimizer,
        String recipe,
        long batch,
        long context,
        boolean checkpointing,
        long zero,
        long gpus,
        long loraRank,
        long weightsBytes,
        long kvCacheBytes,
        long activationsBytes,
        long logitsBytes,
        long gradientsBytes,
        long optimizerBytes,
        long autocastCopiesBytes,
        long overheadBytes,
        List<MemoryPartEntry> parts,
        long activationBytes,
        long totalBytes,
        long peakBytes,
        List<String> assumptions,
        boolean offload,
        boolean qlora,
        @OmitWhenEmpty Optional<List<TimeRow>> trainingTime)
        implements Report {
    public static final String SCHEMA = MemoryReport.SCHEMA;

    @Override
    public String schema() {
        return SCHEMA;
    }

    /**
     * One device setup's training time.
     *
     * @param devices       the setup ({@code 8xh100-sxm})
     * @param tokensPerS    tokens trained per second
     * @param mfu           the model FLOPs utilisation assumed
     * @param flopsPerToken training FLOPs per token (6N plus attention; LoRA 4N plus the adapters)
     */
    public record TimeRow(
            String devices,
            long tokens,
            @JsonName("tokens_per_s") long tokensPerS,
            double hours,
            double mfu,
            double flopsPerToken,
            List<String> assumptions) {}
}
