package dev.heft.core.format.tfjs;

import dev.heft.core.tensor.DType;
import java.util.Optional;

/**
 * The dtypes a TF.js weights manifest names, with the bytes each element takes in the shard files.
 *
 * <p>Weight dtypes come from tfjs-core {@code io/types.ts} ({@code WeightsManifestEntry.dtype}: 'float32' | 'int32' |
 * 'bool' | 'string' | 'complex64'); quantization dtypes from the same file ({@code quantization.dtype}: 'uint8' |
 * 'uint16' | 'float16') and {@code io/io_utils.ts} {@code DTYPE_VALUE_SIZE_MAP}. 'string' is variable-length: each
 * string is a 4-byte little-endian length then its bytes ({@code io_utils.ts} {@code NUM_BYTES_STRING_LENGTH},
 * tfjs-converter {@code write_weights._serialize_string_array}), so its size is found by walking those length
 * prefixes in the shards ({@link #bytesPerElement} is 0 for it); it is never a parameter.
 */
enum TfjsDtype {
    FLOAT32("float32", DType.F32, 4, false),
    INT32("int32", DType.I32, 4, false),
    BOOL("bool", DType.BOOL, 1, false),
    COMPLEX64("complex64", DType.C64, 8, false),
    /** Stored as bytes; sized by its length prefixes, not by {@link #bytesPerElement}. */
    STRING("string", DType.U8, 0, false),
    UINT8("uint8", DType.U8, 1, true),
    UINT16("uint16", DType.U16, 2, true),
    FLOAT16("float16", DType.F16, 2, true);

    private final String manifestName;
    private final DType dtype;
    private final int bytesPerElement;
    private final boolean quantizationOnly;

    TfjsDtype(String manifestName, DType dtype, int bytesPerElement, boolean quantizationOnly) {
        this.manifestName = manifestName;
        this.dtype = dtype;
        this.bytesPerElement = bytesPerElement;
        this.quantizationOnly = quantizationOnly;
    }

    DType dtype() {
        return dtype;
    }

    int bytesPerElement() {
        return bytesPerElement;
    }

    /** Whether each element carries its own length in the shard (only 'string'). */
    boolean variableLength() {
        return bytesPerElement == 0;
    }

    String manifestName() {
        return manifestName;
    }

    /** A weight's own dtype (not a quantization dtype). */
    static Optional<TfjsDtype> weight(String name) {
        for (TfjsDtype d : values()) {
            if (!d.quantizationOnly && d.manifestName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** A {@code quantization.dtype}. */
    static Optional<TfjsDtype> quantization(String name) {
        for (TfjsDtype d : values()) {
            if (d.quantizationOnly && d.manifestName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
