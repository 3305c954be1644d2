package dev.heft.core.memory;

import dev.heft.core.api.request.Runtime;
import dev.heft.core.hardware.DeviceCategory;
import java.util.Optional;

/**
 * The runtime a request stands for. AUTO is llama.cpp for GGUF files and llama.cpp quantization types (what runs
 * them); otherwise PyTorch on NVIDIA/AMD/Intel accelerators, llama.cpp on Apple silicon, llama.cpp's CPU backend on
 * CPUs, edge boards, phones and browsers: what people run on each.
 */
public final class RuntimeResolution {
    private RuntimeResolution() {}

    /**
     * The runtime {@code requested} stands for, given whether the weights are llama.cpp's (a GGUF file or a llama.cpp
     * type) and the device, when there is one. llama.cpp on a device without a GPU backend is its CPU backend.
     */
    public static Runtime resolve(Runtime requested, boolean llamaCppWeights, Optional<DeviceCategory> device) {
        Runtime r = requested;
        if (r == Runtime.AUTO) {
            if (llamaCppWeights) {
                r = Runtime.LLAMA_CPP;
            } else {
                r = device.map(RuntimeResolution::forDevice).orElse(Runtime.PYTORCH);
            }
        }
        if (r == Runtime.LLAMA_CPP && device.isPresent() && !hasGpuBackend(device.get())) {
            return Runtime.LLAMA_CPP_CPU;
        }
        return r;
    }

    /** What AUTO stands for on a device of this category. */
    static Runtime forDevice(DeviceCategory c) {
        return switch (c) {
            case DATACENTER_GPU, CONSUMER_GPU, CUSTOM -> Runtime.PYTORCH;
            case APPLE_SILICON -> Runtime.LLAMA_CPP;
            default -> Runtime.LLAMA_CPP_CPU;
        };
    }

    static boolean hasGpuBackend(DeviceCategory c) {
        return c.isGpu() || c == DeviceCategory.APPLE_SILICON || c == DeviceCategory.CUSTOM;
    }
}
