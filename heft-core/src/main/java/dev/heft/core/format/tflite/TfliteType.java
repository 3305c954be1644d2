package dev.heft.core.format.tflite;

import dev.heft.core.tensor.DType;
import java.util.Optional;

/**
 * TFLite {@code enum TensorType : byte} (tensorflow/lite/schema/schema.fbs), with the heft dtype each value stores.
 * STRING, RESOURCE and VARIANT have no fixed element size; {@code dtype} is empty for them.
 */
enum TfliteType {
    FLOAT32(0, DType.F32),
    FLOAT16(1, DType.F16),
    INT32(2, DType.I32),
    UINT8(3, DType.U8),
    INT64(4, DType.I64),
    STRING(5, null),
    BOOL(6, DType.BOOL),
    INT16(7, DType.I16),
    COMPLEX64(8, DType.C64),
    INT8(9, DType.I8),
    FLOAT64(10, DType.F64),
    COMPLEX128(11, DType.C128),
    UINT64(12, DType.U64),
    RESOURCE(13, null),
    VARIANT(14, null),
    UINT32(15, DType.U32),
    UINT16(16, DType.U16),
    INT4(17, DType.I4),
    BFLOAT16(18, DType.BF16);

    private final int id;
    private final DType dtype;

    TfliteType(int id, DType dtype) {
        this.id = id;
        this.dtype = dtype;
    }

    Optional<DType> dtype() {
        return Optional.ofNullable(dtype);
    }

    boolean isFloat() {
        return dtype != null
                && (dtype.category() == DType.Category.FLOAT || dtype.category() == DType.Category.COMPLEX);
    }

    static Optional<TfliteType> fromId(int id) {
        for (TfliteType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
