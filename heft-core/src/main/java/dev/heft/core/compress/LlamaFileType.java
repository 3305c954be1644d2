package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import java.util.Locale;
import java.util.Optional;

/**
 * llama.cpp's file types ({@code enum llama_ftype} in include/llama.h), the names {@code llama-quantize} accepts, and
 * the ggml type each one starts every quantizable tensor at before the per-tensor rules raise or lower it.
 *
 * <p>The ids are the values written to {@code general.file_type} (uint32). Defaults follow the switch at the top of
 * {@code llama_model_quantize_impl} in src/llama-quant.cpp (llama.cpp c392e50, 2025-02-20): note that IQ2_S starts at
 * IQ2_XS, IQ2_M at IQ2_S, IQ3_XS and IQ3_M at IQ3_S, and Q2_K_S at Q2_K. Ids 4-6 and 33-35 were removed upstream.
 */
public enum LlamaFileType {
    F32(0, DType.F32, false),
    F16(1, DType.F16, false),
    Q4_0(2, DType.Q4_0, false),
    Q4_1(3, DType.Q4_1, false),
    Q8_0(7, DType.Q8_0, false),
    Q5_0(8, DType.Q5_0, false),
    Q5_1(9, DType.Q5_1, false),
    Q2_K(10, DType.Q2_K, false),
    Q3_K_S(11, DType.Q3_K, false),
    Q3_K_M(12, DType.Q3_K, false),
    Q3_K_L(13, DType.Q3_K, false),
    Q4_K_S(14, DType.Q4_K, false),
    Q4_K_M(15, DType.Q4_K, false),
    Q5_K_S(16, DType.Q5_K, false),
    Q5_K_M(17, DType.Q5_K, false),
    Q6_K(18, DType.Q6_K, false),
    IQ2_XXS(19, DType.IQ2_XXS, true),
    IQ2_XS(20, DType.IQ2_XS, true),
    Q2_K_S(21, DType.Q2_K, true),
    IQ3_XS(22, DType.IQ3_S, false),
    IQ3_XXS(23, DType.IQ3_XXS, false),
    IQ1_S(24, DType.IQ1_S, true),
    IQ4_NL(25, DType.IQ4_NL, false),
    IQ3_S(26, DType.IQ3_S, false),
    IQ3_M(27, DType.IQ3_S, false),
    IQ2_S(28, DType.IQ2_XS, true),
    IQ2_M(29, DType.IQ2_S, true),
    IQ4_XS(30, DType.IQ4_XS, false),
    IQ1_M(31, DType.IQ1_M, true),
    BF16(32, DType.BF16, false),
    TQ1_0(36, DType.TQ1_0, false),
    TQ2_0(37, DType.TQ2_0, false),
    /** MoE experts MXFP4, every other quantizable tensor Q8_0 (gpt-oss releases; llama.h value 38). */
    MXFP4_MOE(38, DType.MXFP4, false);

    private final int id;
    private final DType defaultType;
    private final boolean needsImportanceMatrix;

    LlamaFileType(int id, DType defaultType, boolean needsImportanceMatrix) {
        this.id = id;
        this.defaultType = defaultType;
        this.needsImportanceMatrix = needsImportanceMatrix;
    }

    /** The value llama-quantize writes to {@code general.file_type}. */
    public int id() {
        return id;
    }

    /** The type every quantizable tensor starts at ({@code default_type} in llama_model_quantize_impl). */
    public DType defaultType() {
        return defaultType;
    }

    /**
     * Whether llama-quantize refuses to write this type without an importance matrix ("Missing importance matrix for
     * tensor ... in a very low-bit quantization"): the types whose tensors become IQ2_XXS/IQ2_XS/IQ2_S/IQ1_S/IQ1_M, and
     * Q2_K_S.
     */
    public boolean needsImportanceMatrix() {
        return needsImportanceMatrix;
    }

    /** Whether {@link #defaultType()} is a block-quantized type; only then do the per-tensor mix rules run. */
    public boolean isQuantized() {
        return defaultType.isQuantized();
    }

    /** The name llama-quantize prints and accepts ("Q4_K_M"). */
    public String displayName() {
        return name();
    }

    /** The file type with this {@code general.file_type} id. */
    public static Optional<LlamaFileType> fromId(long id) {
        for (LlamaFileType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Case-insensitive lookup of a llama-quantize type name ("q4_k_m", "Q4_K_M"). */
    public static Optional<LlamaFileType> fromName(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (LlamaFileType t : values()) {
            if (t.name().equals(upper)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
