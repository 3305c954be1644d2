package dev.heft.core.format.onnx;

/**
 * Where a {@code TensorProto}'s values lie. Offsets are absolute in the model file, so a tensor's bytes can be sliced
 * from the mapping without reading them now.
 */
sealed interface TensorStorage {

    /** {@code optional bytes raw_data = 9}: fixed-width little-endian values. */
    record Raw(long offset, long length) implements TensorStorage {}

    /**
     * Values in a typed repeated field ({@code float_data}, {@code int32_data}, ...): {@code offset} is where the
     * first run starts, {@code bytes} the stored payload bytes of all runs, {@code values} how many values they hold.
     */
    record Typed(OnnxDataType.TypedField field, long offset, long bytes, long values) implements TensorStorage {}

    /**
     * {@code data_location = EXTERNAL} with {@code external_data} entries {@code location} (required), {@code offset}
     * and {@code length} (optional, decimal strings); -1 marks an absent offset or length. {@code expectedBytes} is
     * what dims x data_type need, which the data file must hold.
     */
    record External(String location, long offset, long length, long entryOffset, long expectedBytes)
            implements TensorStorage {}

    /** No values at all (an empty tensor, or a tensor whose data field is missing). */
    record Empty() implements TensorStorage {}
}
