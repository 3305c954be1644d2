package dev.heft.core.format.pickle;

import dev.heft.core.tensor.DType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The storage classes a persistent id can name (torch/storage.py: the legacy typed storage classes that
 * {@code _dtype_to_storage_type_map} lists, plus {@code UntypedStorage}). A typed storage counts elements of its
 * dtype; an untyped storage counts bytes (torch/serialization.py {@code persistent_id}: {@code storage.nbytes()}).
 */
public enum TorchStorageType {
    DOUBLE("DoubleStorage", DType.F64),
    FLOAT("FloatStorage", DType.F32),
    HALF("HalfStorage", DType.F16),
    BFLOAT16("BFloat16Storage", DType.BF16),
    LONG("LongStorage", DType.I64),
    INT("IntStorage", DType.I32),
    SHORT("ShortStorage", DType.I16),
    CHAR("CharStorage", DType.I8),
    BYTE("ByteStorage", DType.U8),
    BOOL("BoolStorage", DType.BOOL),
    COMPLEX_FLOAT("ComplexFloatStorage", DType.C64),
    COMPLEX_DOUBLE("ComplexDoubleStorage", DType.C128),
    QINT8("QInt8Storage", DType.I8),
    QUINT8("QUInt8Storage", DType.U8),
    QINT32("QInt32Storage", DType.I32),
    QUINT4X2("QUInt4x2Storage", DType.U8),
    QUINT2X4("QUInt2x4Storage", DType.U8),
    UNTYPED("UntypedStorage", DType.U8);

    private static final Map<String, TorchStorageType> BY_CLASS = new HashMap<>();

    static {
        for (TorchStorageType t : values()) {
            BY_CLASS.put(t.className, t);
        }
    }

    private final String className;
    private final DType dtype;

    TorchStorageType(String className, DType dtype) {
        this.className = className;
        this.dtype = dtype;
    }

    /**
     * The storage class {@code module.name}: legacy classes live in {@code torch} (and {@code torch.cuda} for old
     * CUDA checkpoints); {@code UntypedStorage} in {@code torch} or {@code torch.storage}.
     */
    public static Optional<TorchStorageType> byGlobal(String module, String name) {
        TorchStorageType t = BY_CLASS.get(name);
        if (t == null) {
            return Optional.empty();
        }
        boolean ok = module.equals("torch")
                || module.equals("torch.cuda")
                || (t == UNTYPED && module.equals("torch.storage"));
        return ok ? Optional.of(t) : Optional.empty();
    }

    public String className() {
        return className;
    }

    public String qualifiedName() {
        return "torch." + className;
    }

    /** Element type counted by the storage's numel. */
    public DType dtype() {
        return dtype;
    }
}
