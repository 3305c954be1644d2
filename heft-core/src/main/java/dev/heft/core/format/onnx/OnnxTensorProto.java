package dev.heft.core.format.onnx;

/**
 * One {@code TensorProto} as found in the file, before heft decides what it is to the model.
 *
 * @param name      {@code optional string name = 8}
 * @param dims      {@code repeated int64 dims = 1}, outermost first
 * @param dataType  {@code optional int32 data_type = 2}
 * @param storage   where its values lie
 * @param at        absolute offset of the TensorProto message, for error messages
 */
record OnnxTensorProto(String name, long[] dims, OnnxDataType dataType, TensorStorage storage, long at) {
    OnnxTensorProto {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }
}
