package dev.heft.core.memory;

import dev.heft.core.api.request.Recipe;

/**
 * What a training precision recipe stores per parameter or value, as {@link TrainingMemory} sizes it.
 *
 * @param weight     bytes per weight the optimizer updates
 * @param gradient   bytes per gradient
 * @param state      bytes per optimizer state value
 * @param extraCopy  bytes per weight of a second copy beside the trained weights (mixed: the bf16 autocast copy of
 *                   each matmul weight; fp16-mixed: the fp32 master copy)
 * @param activation bytes per activation value
 */
record RecipeBytes(int weight, int gradient, int state, int extraCopy, int activation) {
    static RecipeBytes of(Recipe r) {
        return switch (r) {
            // Everything in bf16: weights, gradients and optimizer states (what pure-bf16 trainers do).
            case BF16 -> new RecipeBytes(2, 2, 2, 0, 2);
            // fp32 master weights, gradients and states; bf16 autocast keeps a bf16 copy of each matmul weight.
            case MIXED -> new RecipeBytes(4, 4, 4, 2, 2);
            // fp16 weights and gradients with an fp32 master copy and fp32 states (apex O2 / DeepSpeed fp16).
            case FP16_MIXED -> new RecipeBytes(2, 2, 4, 4, 2);
            // Everything in fp32.
            case FP32 -> new RecipeBytes(4, 4, 4, 0, 4);
        };
    }
}
