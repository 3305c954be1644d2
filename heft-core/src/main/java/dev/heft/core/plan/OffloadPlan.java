package dev.heft.core.plan;

import java.util.List;

/**
 * Where a model's parts go when it does not fit on the accelerator alone (llama.cpp's way to run it anyway).
 *
 * @param kind         how the model is split
 * @param gpuLayers    llama.cpp's {@code -ngl}: the output layer plus the last {@code gpuLayers - 1} repeating layers
 *                     on the GPU (src/llama-model.cpp: {@code i_gpu_start = n_layer + 1 - n_gpu_layers})
 * @param totalLayers  repeating layers + 1 (the output layer), the -ngl that puts everything on the GPU
 * @param cpuMoeLayers llama.cpp's {@code --n-cpu-moe}: layers whose expert tensors stay in host memory
 * @param deviceBytes  bytes on the accelerator
 * @param hostBytes    bytes in host memory (weights left on the CPU, their KV cache, llama.cpp's host buffers)
 * @param flag         the llama.cpp flags that give this split
 * @param assumptions  how the split was computed
 */
public record OffloadPlan(
        Kind kind,
        long gpuLayers,
        long totalLayers,
        long cpuMoeLayers,
        long deviceBytes,
        long hostBytes,
        String flag,
        List<String> assumptions) {
    public OffloadPlan {
        assumptions = List.copyOf(assumptions);
    }

    public enum Kind {
        /** Everything on the accelerator. */
        ALL_ON_DEVICE,
        /** The last {@code gpuLayers} layers on the GPU, the rest on the CPU ({@code -ngl}). */
        LAYERS,
        /** Attention and shared weights on the GPU, the experts of {@code cpuMoeLayers} layers in host memory. */
        MOE_EXPERTS,
        /** Not even the non-layer parts fit on the accelerator: nothing useful to offload. */
        NONE
    }

    public String describe() {
        return switch (kind) {
            case ALL_ON_DEVICE -> "all layers on the device";
            case LAYERS -> "offload " + gpuLayers + " of " + totalLayers + " layers to the GPU (" + flag + ")";
            case MOE_EXPERTS ->
                "experts of " + cpuMoeLayers + " of " + (totalLayers - 1) + " layers in host memory, "
                        + "attention and the rest on the GPU (" + flag + ")";
            case NONE -> "does not fit even with every layer on the CPU side";
        };
    }
}
