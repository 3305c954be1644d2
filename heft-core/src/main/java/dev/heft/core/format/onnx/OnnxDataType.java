package dev.heft.core.format.onnx;

import dev.heft.core.tensor.DType;
import java.util.Optional;

/**
 * {@code TensorProto.DataType} (onnx/onnx.proto, enum values as of onnx 1.20) with the heft {@link DType} each maps to
 * and the typed repeated field that holds its values when {@code raw_data} is not used.
 *
 * <p>The ids are explicit: they are the numbers written in files, never {@code ordinal()}. {@code STRING} has no
 * {@link DType} (its elements have no fixed width); a string tensor is reported in the notes, not as a tensor.
 */
public enum OnnxDataType {
    FLOAT(1, DType.F32, TypedField.FLOAT_DATA),
    UINT8(2, DType.U8, TypedField.INT32_DATA),
    INT8(3, DType.I8, TypedField.INT32_DATA),
    UINT16(4, DType.U16, TypedField.INT32_DATA),
    INT16(5, DType.I16, TypedField.INT32_DATA),
    INT32(6, DType.I32, TypedField.INT32_DATA),
    INT64(7, DType.I64, TypedField.INT64_DATA),
    STRING(8, null, TypedField.STRING_DATA),
    BOOL(9, DType.BOOL, TypedField.INT32_DATA),
    /** IEEE half; in int32_data each value is the uint16 bit pattern. */
    FLOAT16(10, DType.F16, TypedField.INT32_DATA),
    DOUBLE(11, DType.F64, TypedField.DOUBLE_DATA),
    UINT32(12, DType.U32, TypedField.UINT64_DATA),
    UINT64(13, DType.U64, TypedField.UINT64_DATA),
    /** Real and imaginary float32 pairs; float_data holds 2 floats per element. */
    COMPLEX64(14, DType.C64, TypedField.FLOAT_DATA),
    COMPLEX128(15, DType.C128, TypedField.DOUBLE_DATA),
    BFLOAT16(16, DType.BF16, TypedField.INT32_DATA),
    // IR version 9 (onnx 1.14) float8 types; int32_data holds one 8-bit pattern per value.
    FLOAT8E4M3FN(17, DType.F8_E4M3, TypedField.INT32_DATA),
    FLOAT8E4M3FNUZ(18, DType.F8_E4M3FNUZ, TypedField.INT32_DATA),
    FLOAT8E5M2(19, DType.F8_E5M2, TypedField.INT32_DATA),
    FLOAT8E5M2FNUZ(20, DType.F8_E5M2FNUZ, TypedField.INT32_DATA),
    // IR version 10 (onnx 1.16) 4-bit integers: two per byte in raw_data (low nibble first, odd counts padded);
    // int32_data holds one packed byte per int32.
    UINT4(21, DType.U4, TypedField.INT32_DATA),
    INT4(22, DType.I4, TypedField.INT32_DATA),
    // IR version 11 (onnx 1.18): FP4 E2M1 packed like INT4, and the E8M0 MX scale type.
    FLOAT4E2M1(23, DType.F4, TypedField.INT32_DATA),
    FLOAT8E8M0(24, DType.F8_E8M0, TypedField.INT32_DATA),
    // IR version 12 (onnx 1.20) 2-bit integers, four per byte.
    UINT2(25, DType.U2, TypedField.INT32_DATA),
    INT2(26, DType.I2, TypedField.INT32_DATA);

    /** The typed repeated fields of TensorProto (field number, protobuf scalar type). */
    public enum TypedField {
        /** {@code repeated float float_data = 4 [packed = true]}: 4 bytes per value. */
        FLOAT_DATA(4, 4),
        /** {@code repeated int32 int32_data = 5 [packed = true]}: varints. */
        INT32_DATA(5, 0),
        /** {@code repeated bytes string_data = 6}. */
        STRING_DATA(6, 0),
        /** {@code repeated int64 int64_data = 7 [packed = true]}: varints. */
        INT64_DATA(7, 0),
        /** {@code repeated double double_data = 10 [packed = true]}: 8 bytes per value. */
        DOUBLE_DATA(10, 8),
        /** {@code repeated uint64 uint64_data = 11 [packed = true]}: varints. */
        UINT64_DATA(11, 0);

        private final int fieldNumber;
        private final int fixedWidth;

        TypedField(int fieldNumber, int fixedWidth) {
            this.fieldNumber = fieldNumber;
            this.fixedWidth = fixedWidth;
        }

        public int fieldNumber() {
            return fieldNumber;
        }

        /** Bytes per value for fixed-width fields, 0 for varint or bytes fields. */
        public int fixedWidth() {
            return fixedWidth;
        }

        static Optional<TypedField> byFieldNumber(int field) {
            for (TypedField f : values()) {
                if (f.fieldNumber == field) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    private final int id;
    private final DType dtype;
    private final TypedField typedField;

    OnnxDataType(int id, DType dtype, TypedField typedField) {
        this.id = id;
        this.dtype = dtype;
        this.typedField = typedField;
    }

    /** The number written in {@code TensorProto.data_type}. */
    public int id() {
        return id;
    }

    /** The heft dtype, empty for STRING. */
    public Optional<DType> dtype() {
        return Optional.ofNullable(dtype);
    }

    /** The repeated field that holds values of this type when raw_data is not used. */
    public TypedField typedField() {
        return typedField;
    }

    /**
     * How many values the typed field holds for {@code elements} elements: complex types store two numbers per
     * element; sub-byte types store one packed byte per int32 value (INT4: ceil(n/2), INT2: ceil(n/4)).
     */
    public long typedValuesFor(long elements) {
        if (dtype == null) {
            return elements;
        }
        if (dtype.category() == DType.Category.COMPLEX) {
            return Math.multiplyExact(elements, 2);
        }
        if (dtype.blockElements() > 1) {
            return dtype.bytesForPadded(elements);
        }
        return elements;
    }

    public static Optional<OnnxDataType> fromId(long id) {
        for (OnnxDataType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
