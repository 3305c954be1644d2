package dev.heft.core.format.gguf;

import java.util.Optional;

/**
 * GGUF metadata value types ({@code enum gguf_metadata_value_type : uint32_t} in ggml's docs/gguf.md; gguf-py
 * {@code GGUFValueType}). The on-disk id is an explicit field; the name is gguf-py's, which is also what
 * {@link dev.heft.core.tensor.TensorInventory.MetadataArray#elementType()} reports.
 */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    /** One byte, 0 or 1 (the spec calls any other value invalid; ggml does not check, nor does heft). */
    BOOL(7, 1),
    /** {@code gguf_string_t}: a length (uint64, uint32 in v1) then that many UTF-8 bytes, no terminator. */
    STRING(8, -1),
    /** A uint32 element type, a length (uint64, uint32 in v1), then the elements. */
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int fixedBytes;

    GgufValueType(int id, int fixedBytes) {
        this.id = id;
        this.fixedBytes = fixedBytes;
    }

    public int id() {
        return id;
    }

    /** Bytes of one value, or -1 for the variable-length STRING and ARRAY. */
    public int fixedBytes() {
        return fixedBytes;
    }

    public boolean isFixedSize() {
        return fixedBytes > 0;
    }

    public static Optional<GgufValueType> fromId(long id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
