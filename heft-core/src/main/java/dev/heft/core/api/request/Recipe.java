package dev.heft.core.api.request;

/** The precisions of training's weights, gradients and optimizer states. */
public enum Recipe implements Choice {
    /** Everything in bf16 (pure-bf16 trainers). */
    BF16("bf16"),
    /** fp32 master weights, gradients and states with bf16 autocast copies of the matmul weights. */
    MIXED("mixed"),
    /** fp16 weights and gradients with an fp32 master copy and fp32 states (apex O2, DeepSpeed fp16). */
    FP16_MIXED("fp16-mixed"),
    /** Everything in fp32. */
    FP32("fp32");

    private final String id;

    Recipe(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }
}
