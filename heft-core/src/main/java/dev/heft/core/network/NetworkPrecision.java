package dev.heft.core.network;

import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Locale;

/**
 * The precisions a torch.nn network (a torchvision model, a layer spec) is deployed in, with what each means for
 * weight bytes, activation bytes and the units that run it. These, not the LLM formats (llama.cpp types, GPTQ),
 * are the defaults for vision and other non-LLM models.
 */
public enum NetworkPrecision {
    FP32("fp32", 4, 4, "weights and activations fp32 (PyTorch's default)"),
    FP16("fp16", 2, 2, "weights and activations fp16 (model.half())"),
    BF16("bf16", 2, 2, "weights and activations bf16 (model.to(torch.bfloat16))"),
    INT8(
            "int8",
            1,
            1,
            "weights and activations int8 with static quantization (PyTorch AO, TensorRT, ONNX "
                    + "Runtime); per-channel scales are small and not counted"),
    FP8(
            "fp8",
            1,
            1,
            "weights and activations fp8 E4M3 (TensorRT, Transformer Engine); per-tensor scales are not " + "counted");

    /** The table {@code memory --dtypes} and {@code fit} show when none is asked for. */
    public static final List<NetworkPrecision> DEFAULTS = List.of(FP32, FP16, BF16, INT8, FP8);

    private final String key;
    private final int weightBytes;
    private final int activationBytes;
    private final String meaning;

    NetworkPrecision(String key, int weightBytes, int activationBytes, String meaning) {
        this.key = key;
        this.weightBytes = weightBytes;
        this.activationBytes = activationBytes;
        this.meaning = meaning;
    }

    /** The dtype key of device throughput tables ({@code Device.peakFlopsFor}). */
    public String key() {
        return key;
    }

    public int weightBytes() {
        return weightBytes;
    }

    public int activationBytes() {
        return activationBytes;
    }

    public String meaning() {
        return meaning;
    }

    /** fp32, float32, fp16, half, float16, bf16, bfloat16, int8, fp8 (case-insensitive). */
    public static NetworkPrecision parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "fp32", "f32", "float32", "float" -> FP32;
            case "fp16", "f16", "float16", "half" -> FP16;
            case "bf16", "bfloat16" -> BF16;
            case "int8", "i8", "q8" -> INT8;
            case "fp8", "f8", "fp8_e4m3", "e4m3" -> FP8;
            default ->
                throw new InvalidInputException("precision '" + s + "' does not apply to a torch.nn network; "
                        + "use fp32, fp16, bf16, int8 or fp8");
        };
    }

    /** A comma-separated list, or the defaults when {@code csv} is null. */
    public static List<NetworkPrecision> parseList(String csv) {
        if (csv == null) {
            return DEFAULTS;
        }
        return java.util.Arrays.stream(csv.split(","))
                .filter(x -> !x.isBlank())
                .map(NetworkPrecision::parse)
                .distinct()
                .toList();
    }
}
