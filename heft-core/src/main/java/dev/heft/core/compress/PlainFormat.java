package dev.heft.core.compress;

import dev.heft.core.tensor.DType;

/** Every tensor in one floating-point type (fp32, fp16, bf16): no scales, no packing. */
public record PlainFormat(DType dtype) implements PrecisionFormat {

    public PlainFormat {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("plain formats are F32, F16 and BF16, not " + dtype);
        }
    }

    @Override
    public String label() {
        return switch (dtype) {
            case F32 -> "fp32";
            case F16 -> "fp16";
            default -> "bf16";
        };
    }

    @Override
    public String description() {
        return "every tensor as " + dtype + " (" + dtype.blockBytes() + " bytes per parameter)";
    }
}
