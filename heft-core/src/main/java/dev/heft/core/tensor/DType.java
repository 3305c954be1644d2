package dev.heft.core.tensor;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every element type heft meets in a model file, with the facts needed to turn element counts into exact bytes.
 *
 * <p>Types are stored in blocks: a plain type is a block of one element ({@code F32}: 1 element in 4 bytes); sub-byte
 * types pack several elements per block ({@code F4}: 2 in 1 byte; {@code F6_E2M3}: 4 in 3 bytes); group-quantized
 * ggml types carry their scales inside the block ({@code Q4_K}: 256 elements in 144 bytes). The on-disk ids are explicit
 * fields, never {@code ordinal()}, so reordering this list cannot change a file's meaning.
 *
 * <p>Sources: ggml type table and block structs in ggml/src/ggml-common.h and ggml/src/ggml.c
 * ({@code type_traits[]}: blck_size, type_size); safetensors' {@code Dtype} enum (safetensors/src/tensor.rs).
 */
public enum DType {
    // ---- plain floating point ----
    F64("F64", Category.FLOAT, 1, 8, 28, "F64"),
    F32("F32", Category.FLOAT, 1, 4, 0, "F32"),
    F16("F16", Category.FLOAT, 1, 2, 1, "F16"),
    BF16("BF16", Category.FLOAT, 1, 2, 30, "BF16"),
    F8_E4M3("F8_E4M3", Category.FLOAT, 1, 1, -1, "F8_E4M3"),
    F8_E5M2("F8_E5M2", Category.FLOAT, 1, 1, -1, "F8_E5M2"),
    F8_E4M3FNUZ("F8_E4M3FNUZ", Category.FLOAT, 1, 1, -1, "F8_E4M3FNUZ"),
    F8_E5M2FNUZ("F8_E5M2FNUZ", Category.FLOAT, 1, 1, -1, "F8_E5M2FNUZ"),
    /** A power-of-two scale (MX formats' shared exponent); 8 bits, no mantissa. */
    F8_E8M0("F8_E8M0", Category.FLOAT, 1, 1, -1, "F8_E8M0"),
    /** FP6 (OCP MX): 4 elements packed in 3 bytes. */
    F6_E2M3("F6_E2M3", Category.FLOAT, 4, 3, -1, "F6_E2M3"),
    F6_E3M2("F6_E3M2", Category.FLOAT, 4, 3, -1, "F6_E3M2"),
    /** FP4 E2M1 (OCP MX), two per byte. */
    F4("F4", Category.FLOAT, 2, 1, -1, "F4"),
    C64("C64", Category.COMPLEX, 1, 8, -1, "C64"),
    C128("C128", Category.COMPLEX, 1, 16, -1, null),

    // ---- integers ----
    BOOL("BOOL", Category.BOOL, 1, 1, -1, "BOOL"),
    I64("I64", Category.INT, 1, 8, 27, "I64"),
    I32("I32", Category.INT, 1, 4, 26, "I32"),
    I16("I16", Category.INT, 1, 2, 25, "I16"),
    I8("I8", Category.INT, 1, 1, 24, "I8"),
    U64("U64", Category.INT, 1, 8, -1, "U64"),
    U32("U32", Category.INT, 1, 4, -1, "U32"),
    U16("U16", Category.INT, 1, 2, -1, "U16"),
    U8("U8", Category.INT, 1, 1, -1, "U8"),
    /** 4-bit integers, two per byte (ONNX INT4/UINT4, torch int4 packings). */
    I4("I4", Category.INT, 2, 1, -1, null),
    U4("U4", Category.INT, 2, 1, -1, null),
    /** 2-bit integers, four per byte (ONNX INT2/UINT2). */
    I2("I2", Category.INT, 4, 1, -1, null),
    U2("U2", Category.INT, 4, 1, -1, null),

    // ---- ggml block-quantized types (ggml-common.h block_* structs) ----
    Q4_0("Q4_0", Category.QUANT, 32, 18, 2, null), // half d; uint8 qs[16]
    Q4_1("Q4_1", Category.QUANT, 32, 20, 3, null), // half d, m; uint8 qs[16]
    Q5_0("Q5_0", Category.QUANT, 32, 22, 6, null), // half d; uint8 qh[4]; qs[16]
    Q5_1("Q5_1", Category.QUANT, 32, 24, 7, null), // half d, m; uint8 qh[4]; qs[16]
    Q8_0("Q8_0", Category.QUANT, 32, 34, 8, null), // half d; int8 qs[32]
    Q8_1("Q8_1", Category.QUANT, 32, 36, 9, null), // half d, s; int8 qs[32]
    Q2_K("Q2_K", Category.QUANT, 256, 84, 10, null), // scales[16], qs[64], half d, dmin
    Q3_K("Q3_K", Category.QUANT, 256, 110, 11, null), // hmask[32], qs[64], scales[12], half d
    Q4_K("Q4_K", Category.QUANT, 256, 144, 12, null), // half d, dmin; scales[12]; qs[128]
    Q5_K("Q5_K", Category.QUANT, 256, 176, 13, null), // half d, dmin; scales[12]; qh[32]; qs[128]
    Q6_K("Q6_K", Category.QUANT, 256, 210, 14, null), // ql[128], qh[64], int8 scales[16], half d
    Q8_K("Q8_K", Category.QUANT, 256, 292, 15, null), // float d; int8 qs[256]; int16 bsums[16]
    IQ2_XXS("IQ2_XXS", Category.QUANT, 256, 66, 16, null),
    IQ2_XS("IQ2_XS", Category.QUANT, 256, 74, 17, null),
    IQ3_XXS("IQ3_XXS", Category.QUANT, 256, 98, 18, null),
    IQ1_S("IQ1_S", Category.QUANT, 256, 50, 19, null),
    IQ4_NL("IQ4_NL", Category.QUANT, 32, 18, 20, null),
    IQ3_S("IQ3_S", Category.QUANT, 256, 110, 21, null),
    IQ2_S("IQ2_S", Category.QUANT, 256, 82, 22, null),
    IQ4_XS("IQ4_XS", Category.QUANT, 256, 136, 23, null),
    IQ1_M("IQ1_M", Category.QUANT, 256, 56, 29, null),
    TQ1_0("TQ1_0", Category.QUANT, 256, 54, 34, null),
    TQ2_0("TQ2_0", Category.QUANT, 256, 66, 35, null),
    MXFP4("MXFP4", Category.QUANT, 32, 17, 39, null), // uint8 e (E8M0 scale); uint8 qs[16]
    // Added to ggml after MXFP4 (ggml.h enum ggml_type, ggml-common.h, gguf-py GGML_QUANT_SIZES):
    NVFP4("NVFP4", Category.QUANT, 64, 36, 40, null), // uint8 d[4] (UE4M3 scale per 16); uint8 qs[32] (E2M1)
    Q1_0("Q1_0", Category.QUANT, 128, 18, 41, null), // half d; uint8 qs[16] (1 sign bit per element)
    Q2_0("Q2_0", Category.QUANT, 64, 18, 42, null); // half d; uint8 qs[16] (2 bits per element)

    /** What kind of number a dtype holds; decides whether a tensor of it can be a floating-point weight. */
    public enum Category {
        FLOAT,
        INT,
        BOOL,
        COMPLEX,
        QUANT
    }

    private final String displayName;
    private final Category category;
    private final int blockElements;
    private final int blockBytes;
    private final int ggmlId;
    private final String safetensorsName;

    DType(
            String displayName,
            Category category,
            int blockElements,
            int blockBytes,
            int ggmlId,
            String safetensorsName) {
        this.displayName = displayName;
        this.category = category;
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
        this.ggmlId = ggmlId;
        this.safetensorsName = safetensorsName;
    }

    private static final Map<Integer, DType> BY_GGML_ID = new HashMap<>();
    private static final Map<String, DType> BY_SAFETENSORS_NAME = new HashMap<>();

    static {
        for (DType t : values()) {
            if (t.ggmlId >= 0 && BY_GGML_ID.put(t.ggmlId, t) != null) {
                throw new ExceptionInInitializerError("duplicate ggml id " + t.ggmlId);
            }
            if (t.safetensorsName != null) {
                BY_SAFETENSORS_NAME.put(t.safetensorsName, t);
            }
        }
    }

    /** The ggml type with this on-disk id (enum ggml_type), if heft knows it. Removed ids (4, 5, 31-33, 36-38) and the
     * GGML_TYPE_COUNT sentinel (43) are absent. */
    public static Optional<DType> fromGgmlId(long id) {
        if (id < 0 || id > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_GGML_ID.get((int) id));
    }

    /** The safetensors dtype with this header name ("F32", "BF16", ...), if heft knows it. */
    public static Optional<DType> fromSafetensors(String name) {
        return Optional.ofNullable(BY_SAFETENSORS_NAME.get(name));
    }

    public String displayName() {
        return displayName;
    }

    public Category category() {
        return category;
    }

    public int blockElements() {
        return blockElements;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /** ggml's on-disk id, or -1 when ggml has no such type. */
    public int ggmlId() {
        return ggmlId;
    }

    /** The safetensors header name, or null when safetensors has no such dtype. */
    public String safetensorsName() {
        return safetensorsName;
    }

    public boolean isQuantized() {
        return category == Category.QUANT;
    }

    public boolean isFloat() {
        return category == Category.FLOAT;
    }

    /** Exact bits per element, including in-block scales (Q4_K: 144 * 8 / 256 = 4.5). */
    public double bitsPerElement() {
        return blockBytes * 8.0 / blockElements;
    }

    /**
     * Exact bytes for {@code elements} elements, rejecting partial blocks (a Q4_K row of 192 cannot exist; an odd
     * count of F4 values is not a whole number of bytes).
     *
     * @throws IllegalArgumentException if {@code elements} is negative or not a whole number of blocks, or on overflow
     */
    public long bytesFor(long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("negative element count " + elements);
        }
        if (elements % blockElements != 0) {
            throw new IllegalArgumentException(
                    elements + " elements is not a whole number of " + displayName + " blocks of " + blockElements);
        }
        return Math.multiplyExact(elements / blockElements, (long) blockBytes);
    }

    /** Whether {@code elements} fill whole blocks of this type. */
    public boolean fitsBlocks(long elements) {
        return elements >= 0 && elements % blockElements == 0;
    }

    /** Bytes when a trailing partial block is padded out to a whole one (ONNX packs an odd count of int4 this way). */
    public long bytesForPadded(long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("negative element count " + elements);
        }
        long blocks = elements / blockElements + (elements % blockElements == 0 ? 0 : 1);
        return Math.multiplyExact(blocks, (long) blockBytes);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
