package dev.heft.core.format.pickle;

import dev.heft.core.tensor.DType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The torch dtypes a checkpoint can name as globals ({@code torch.float32} pickles as GLOBAL 'torch float32'), each
 * with the element type heft counts it as. Source: torch/storage.py {@code _dtype_to_storage_type_map} and
 * {@code _new_dtypes} (torch 2.x), which {@code _weights_only_unpickler._get_allowed_globals} allowlists.
 *
 * <p>{@code dtype} is null for the few torch dtypes heft has no element type for (complex32, packed fp4 pairs); naming
 * them is allowed, counting a tensor of them is refused as unsupported.
 */
public enum TorchDtype {
    FLOAT64("float64", DType.F64),
    FLOAT32("float32", DType.F32),
    FLOAT16("float16", DType.F16),
    BFLOAT16("bfloat16", DType.BF16),
    INT64("int64", DType.I64),
    INT32("int32", DType.I32),
    INT16("int16", DType.I16),
    INT8("int8", DType.I8),
    UINT8("uint8", DType.U8),
    UINT16("uint16", DType.U16),
    UINT32("uint32", DType.U32),
    UINT64("uint64", DType.U64),
    BOOL("bool", DType.BOOL),
    COMPLEX64("complex64", DType.C64),
    COMPLEX128("complex128", DType.C128),
    COMPLEX32("complex32", null),
    FLOAT8_E4M3FN("float8_e4m3fn", DType.F8_E4M3),
    FLOAT8_E5M2("float8_e5m2", DType.F8_E5M2),
    FLOAT8_E4M3FNUZ("float8_e4m3fnuz", DType.F8_E4M3FNUZ),
    FLOAT8_E5M2FNUZ("float8_e5m2fnuz", DType.F8_E5M2FNUZ),
    FLOAT8_E8M0FNU("float8_e8m0fnu", DType.F8_E8M0),
    /** One byte holding two fp4 values; torch's shape counts bytes, so it is not heft's F4 (2 elements per block). */
    FLOAT4_E2M1FN_X2("float4_e2m1fn_x2", null),
    // quantized dtypes: the stored integer per element (scales live in the quantizer parameters)
    QINT8("qint8", DType.I8),
    QUINT8("quint8", DType.U8),
    QINT32("qint32", DType.I32),
    QUINT4X2("quint4x2", DType.U8),
    QUINT2X4("quint2x4", DType.U8),
    // raw bit containers
    BITS8("bits8", DType.U8),
    BITS16("bits16", DType.U16),
    BITS1X8("bits1x8", DType.U8),
    BITS2X4("bits2x4", DType.U8),
    BITS4X2("bits4x2", DType.U8);

    private static final Map<String, TorchDtype> BY_NAME = new HashMap<>();

    static {
        for (TorchDtype t : values()) {
            BY_NAME.put(t.torchName, t);
        }
        // sub-byte integer dtypes torch.int1..int7 / uint1..uint7 are allowlisted names but store packed bits in
        // a layout torch leaves to tensor subclasses; they are named and refused when counted (dtype null).
    }

    private final String torchName;
    private final DType dtype;

    TorchDtype(String torchName, DType dtype) {
        this.torchName = torchName;
        this.dtype = dtype;
    }

    /** The dtype named {@code torch.<name>}. */
    public static Optional<TorchDtype> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public String torchName() {
        return torchName;
    }

    /** heft's element type, or empty when heft cannot count this dtype. */
    public Optional<DType> dtype() {
        return Optional.ofNullable(dtype);
    }
}
